import type { AisMessage } from './ais-message.js';
import { HIGH_RES_PER_DEGREE, readLonLat } from './fields.js';
import type { SixbitPayload } from './sixbit.js';

/** Types 4 (base station report) and 11 (UTC/date response) share this layout (168 bits). */
export function decodeBaseStationReport(p: SixbitPayload, m: AisMessage): void {
  m.accuracy = p.bool(78);
  readLonLat(p, m, 79, 28, 107, 27, HIGH_RES_PER_DEGREE);
  const second = p.uint(72, 6);
  if (second < 60) m.second = second;
}
