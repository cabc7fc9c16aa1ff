import type { AisMessage } from './ais-message.js';
import { readDimensions, readShipType } from './fields.js';
import type { SixbitPayload } from './sixbit.js';

/** Type 5: static and voyage related data (424 bits, usually two sentences). */
export function decodeStaticVoyage(p: SixbitPayload, m: AisMessage): void {
  const imo = p.uint(40, 30);
  if (imo !== 0) m.imo = imo;
  m.callSign = p.text(70, 42);
  m.shipName = p.text(112, 120);
  readShipType(p, m, 232);
  readDimensions(p, m, 240);
  m.eta = formatEta(p.uint(274, 4), p.uint(278, 5), p.uint(283, 5), p.uint(288, 6));
  const draught = p.uint(294, 8);
  if (draught !== 0) m.draught = draught / 10;
  m.destination = p.text(302, 120);
}

/**
 * ETA as gpsd prints it, `MM-DDTHH:MMZ` (AIS carries no year). Month 0 or day 0 mean "not
 * available"; hour 24 and minute 60 are kept as sent, like gpsd.
 */
function formatEta(month: number, day: number, hour: number, minute: number): string | undefined {
  if (month === 0 || day === 0 || month > 12) return undefined;
  return `${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}Z`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}
