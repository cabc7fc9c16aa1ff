import type { AisMessage } from './ais-message.js';
import { HIGH_RES_PER_DEGREE, readCogTenths, readLonLat, readSecond } from './fields.js';
import type { SixbitPayload } from './sixbit.js';

/** Type 9: standard SAR aircraft position report (168 bits). */
export function decodeSarAircraft(p: SixbitPayload, m: AisMessage): void {
  const altitude = p.uint(38, 12);
  if (altitude !== 4095) m.altitude = altitude;
  // Whole knots here, not tenths: 1023 = not available, 1022 = 1022 kn or more.
  const sog = p.uint(50, 10);
  if (sog !== 1023) m.sog = sog;
  m.accuracy = p.bool(60);
  readLonLat(p, m, 61, 28, 89, 27, HIGH_RES_PER_DEGREE);
  readCogTenths(p, m, 116);
  readSecond(p, m, 128);
}
