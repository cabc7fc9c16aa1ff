import type { AisMessage } from './ais-message.js';
import { HIGH_RES_PER_DEGREE, readDimensions, readLonLat, readSecond } from './fields.js';
import type { SixbitPayload } from './sixbit.js';

/** Type 21: aid-to-navigation report (272 bits plus up to 88 bits of name extension). */
export function decodeAidToNavigation(p: SixbitPayload, m: AisMessage): void {
  const aidType = p.uint(38, 5);
  if (aidType !== 0) m.aidType = aidType;
  const name = p.text(43, 120);
  // The name extension (bits 272..) continues the name when all 20 characters are used.
  const extension = p.bitLength >= 278 ? p.text(272, p.bitLength - 272) : undefined;
  m.name = extension === undefined ? name : (name ?? '') + extension;
  m.accuracy = p.bool(163);
  readLonLat(p, m, 164, 28, 192, 27, HIGH_RES_PER_DEGREE);
  readDimensions(p, m, 219);
  readSecond(p, m, 253);
}
