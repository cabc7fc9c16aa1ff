import type { AisMessage } from './ais-message.js';
import { readDimensions, readMotion, readShipType } from './fields.js';
import type { SixbitPayload } from './sixbit.js';

/** Type 18: standard class B position report (168 bits). */
export function decodeClassBPosition(p: SixbitPayload, m: AisMessage): void {
  readMotion(p, m, 46);
}

/** Type 19: extended class B position report with static data (312 bits). */
export function decodeClassBExtended(p: SixbitPayload, m: AisMessage): void {
  readMotion(p, m, 46);
  m.shipName = p.text(143, 120);
  readShipType(p, m, 263);
  readDimensions(p, m, 271);
}
