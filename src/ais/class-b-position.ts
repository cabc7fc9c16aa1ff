import type { AisMessage } from './ais-message.js';
import {
  HIGH_RES_PER_DEGREE,
  readCogTenths,
  readDimensions,
  readHeading,
  readLonLat,
  readSecond,
  readShipType,
  readSogTenths,
} from './fields.js';
import type { SixbitPayload } from './sixbit.js';

/** Type 18: standard class B position report (168 bits). */
export function decodeClassBPosition(p: SixbitPayload, m: AisMessage): void {
  readClassBKinematics(p, m);
}

/** Type 19: extended class B position report with static data (312 bits). */
export function decodeClassBExtended(p: SixbitPayload, m: AisMessage): void {
  readClassBKinematics(p, m);
  m.shipName = p.text(143, 120);
  readShipType(p, m, 263);
  readDimensions(p, m, 271);
}

/** Types 18 and 19 share their first 139 bits. */
function readClassBKinematics(p: SixbitPayload, m: AisMessage): void {
  readSogTenths(p, m, 46);
  m.accuracy = p.bool(56);
  readLonLat(p, m, 57, 28, 85, 27, HIGH_RES_PER_DEGREE);
  readCogTenths(p, m, 112);
  readHeading(p, m, 124);
  readSecond(p, m, 133);
}
