import { decodeAidToNavigation } from './aid-to-navigation.js';
import type { AisMessage } from './ais-message.js';
import { decodeBaseStationReport } from './base-station-report.js';
import { decodeClassBExtended, decodeClassBPosition } from './class-b-position.js';
import { decodeClassBStatic } from './class-b-static.js';
import { decodeLongRange } from './long-range.js';
import { decodePositionReport } from './position-report.js';
import type { RejectReason } from './reject-reason.js';
import { decodeSarAircraft } from './sar-aircraft.js';
import type { SixbitPayload } from './sixbit.js';
import { decodeStaticVoyage } from './static-voyage.js';

type Decode = (p: SixbitPayload, m: AisMessage) => void;

/**
 * Per message type: the decoder and the accepted payload length in bits. The minimum is the
 * nominal length less the few bits some transponders drop (the fields read all lie within it).
 * Longer payloads are decoded from their first bits, as gpsd 3.22 does (exactEarth sends 218-bit
 * type 1), up to twice the nominal length; beyond that the message is not what its type says.
 */
interface TypeRule {
  readonly decode: Decode;
  readonly minBits: number;
  readonly maxBits: number;
}

const RULES: readonly (TypeRule | undefined)[] = (() => {
  const rules: (TypeRule | undefined)[] = new Array(28).fill(undefined);
  const position: TypeRule = { decode: decodePositionReport, minBits: 163, maxBits: 336 };
  rules[1] = position;
  rules[2] = position;
  rules[3] = position;
  rules[4] = { decode: decodeBaseStationReport, minBits: 163, maxBits: 336 };
  rules[5] = { decode: decodeStaticVoyage, minBits: 420, maxBits: 848 };
  rules[9] = { decode: decodeSarAircraft, minBits: 163, maxBits: 336 };
  rules[18] = { decode: decodeClassBPosition, minBits: 163, maxBits: 336 };
  rules[19] = { decode: decodeClassBExtended, minBits: 307, maxBits: 624 };
  rules[21] = { decode: decodeAidToNavigation, minBits: 265, maxBits: 368 };
  rules[24] = { decode: decodeClassBStatic, minBits: 158, maxBits: 336 };
  rules[27] = { decode: decodeLongRange, minBits: 96, maxBits: 192 };
  return rules;
})();

/** Bits needed for the message id, repeat indicator and MMSI. */
const HEADER_BITS = 38;

/**
 * Decodes a complete payload into `m` (already cleared). Returns undefined on success or the
 * reason the message is rejected; `m.type` and `m.mmsi` are set whenever the header is present,
 * so an unsupported type is still attributable.
 */
export function decodePayload(p: SixbitPayload, m: AisMessage): RejectReason | undefined {
  if (p.bitLength < HEADER_BITS) return 'payload_length';
  const type = p.uint(0, 6);
  m.type = type;
  m.mmsi = p.uint(8, 30);
  const rule = RULES[type];
  if (rule === undefined) return 'unsupported_type';
  if (p.bitLength < rule.minBits || p.bitLength > rule.maxBits) return 'payload_length';
  // Type 24 part B is 168 bits; part A 160 (some transponders pad it to 168).
  if (type === 24 && p.uint(38, 2) > 1) return 'range';
  rule.decode(p, m);
  return undefined;
}
