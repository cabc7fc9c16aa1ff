import type { AisMessage } from './ais-message.js';
import { readDimensions, readShipType } from './fields.js';
import type { SixbitPayload } from './sixbit.js';

/** Auxiliary craft MMSIs (98MIDxxxx) carry the mother ship's MMSI instead of dimensions. */
function isAuxiliaryCraft(mmsi: number): boolean {
  return mmsi >= 980_000_000 && mmsi < 990_000_000;
}

/** Type 24: class B static data, part A (name, 160 bits) or part B (type, call sign, size). */
export function decodeClassBStatic(p: SixbitPayload, m: AisMessage): void {
  const partNo = p.uint(38, 2);
  m.partNo = partNo;
  if (partNo === 0) {
    m.shipName = p.text(40, 120);
    return;
  }
  readShipType(p, m, 40);
  m.callSign = p.text(90, 42);
  if (!isAuxiliaryCraft(m.mmsi)) readDimensions(p, m, 132);
}
