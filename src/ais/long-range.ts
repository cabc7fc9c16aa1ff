import type { AisMessage } from './ais-message.js';
import { LOW_RES_PER_DEGREE, readLonLat } from './fields.js';
import type { SixbitPayload } from './sixbit.js';

/** Type 27: long-range (satellite) position report, 96 bits, 1/10 minute resolution. */
export function decodeLongRange(p: SixbitPayload, m: AisMessage): void {
  m.accuracy = p.bool(38);
  m.navStatus = p.uint(40, 4);
  readLonLat(p, m, 44, 18, 62, 17, LOW_RES_PER_DEGREE);
  const sog = p.uint(79, 6);
  if (sog !== 63) m.sog = sog;
  const cog = p.uint(85, 9);
  if (cog < 360) m.cog = cog;
}
