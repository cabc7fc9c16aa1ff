import type { AisMessage } from './ais-message.js';
import { HIGH_RES_PER_DEGREE, readDimensions, readLonLat, readSecond } from './fields.js';
import type { SixbitPayload } from './sixbit.js';

/** Type 21: aid-to-navigation report (272 bits plus up to 88 bits of name extension). */
export function decodeAidToNavigation(p: SixbitPayload, m: AisMessage): void {
  const aidType = p.uint(38, 5);
  if (aidType !== 0) m.aidType = aidType;
  // The name extension (bits 272..) continues the name only when all 20 characters are used
  // (no `@` padding): then it follows the full field, spaces included (ITU-R M.1371; gpsd).
  const extension =
    p.bitLength >= 278 && !p.hasPadding(43, 120) ? p.text(272, p.bitLength - 272) : undefined;
  if (extension === undefined) m.name = p.text(43, 120);
  else m.name = `${p.text(43, 120, false) ?? ''}${extension}`.trimEnd() || undefined;
  m.accuracy = p.bool(163);
  readLonLat(p, m, 164, 28, 192, 27, HIGH_RES_PER_DEGREE);
  readDimensions(p, m, 219);
  readSecond(p, m, 253);
}
