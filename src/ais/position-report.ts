import type { AisMessage } from './ais-message.js';
import { readMotion } from './fields.js';
import type { SixbitPayload } from './sixbit.js';

/** ROT_AIS = 4.733 √(ROT deg/min) (ITU-R M.1371 Table 48). */
const ROT_FACTOR = 4.733;
/** ±127: turning at more than 5°/30 s, no turn indicator; reported as ±720 deg/min (= 127²/4.733²). */
export const ROT_FAST_DEG_PER_MIN = 720;

/** Types 1, 2, 3: class A position report (168 bits). */
export function decodePositionReport(p: SixbitPayload, m: AisMessage): void {
  m.navStatus = p.uint(38, 4);
  const rot = p.int(42, 8);
  if (rot === 127) m.rot = ROT_FAST_DEG_PER_MIN;
  else if (rot === -127) m.rot = -ROT_FAST_DEG_PER_MIN;
  else if (rot !== -128) {
    const degPerMin = (rot / ROT_FACTOR) ** 2;
    m.rot = Math.round((rot < 0 ? -degPerMin : degPerMin) * 1000) / 1000;
  }
  readMotion(p, m, 50);
}
