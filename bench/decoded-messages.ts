import { AisMessage } from '../src/ais/ais-message.js';
import type { StreamDecoder } from '../src/ais/stream-decoder.js';
import type { FleetSegment } from './fleet.js';

const NEWLINE = 10;
/** Static and voyage types: kept as a whole copy (they are a few percent of the messages). */
const STATIC_TYPES = new Set([5, 19, 21, 24]);

/**
 * A segment's messages decoded beforehand, column by column (typed arrays: no object per
 * message), so the core can be timed alone: `fill` writes message `i` into a reused AisMessage,
 * as the decoder would. `advanceAfter[i]` marks where the line loop would move the watermark.
 */
export class DecodedMessages {
  readonly count: number;
  readonly member: Uint8Array;
  readonly advanceAfter: Uint8Array;
  private readonly type: Uint8Array;
  private readonly mmsi: Int32Array;
  private readonly payloadHash: Uint32Array;
  private readonly payloadCheck: Uint32Array;
  private readonly receivedAt: Float64Array;
  /** NaN where the message has no value. */
  private readonly lat: Float64Array;
  private readonly lon: Float64Array;
  private readonly sog: Float64Array;
  private readonly cog: Float64Array;
  private readonly heading: Float64Array;
  private readonly navStatus: Float64Array;
  private readonly station: (string | undefined)[];
  private readonly statics: (AisMessage | undefined)[];

  constructor(
    segment: FleetSegment,
    decoders: readonly StreamDecoder[],
    advanceEveryLines: number,
  ) {
    const n = segment.messages;
    this.member = new Uint8Array(n);
    this.advanceAfter = new Uint8Array(n);
    this.type = new Uint8Array(n);
    this.mmsi = new Int32Array(n);
    this.payloadHash = new Uint32Array(n);
    this.payloadCheck = new Uint32Array(n);
    this.receivedAt = new Float64Array(n);
    this.lat = new Float64Array(n);
    this.lon = new Float64Array(n);
    this.sog = new Float64Array(n);
    this.cog = new Float64Array(n);
    this.heading = new Float64Array(n);
    this.navStatus = new Float64Array(n);
    this.station = new Array(n).fill(undefined);
    this.statics = new Array(n).fill(undefined);
    const buf = segment.bytes;
    let start = 0;
    let line = 0;
    let i = 0;
    while (start < buf.length) {
      const end = buf.indexOf(NEWLINE, start);
      const member = segment.lineMember[line]!;
      const decoder = decoders[member]!;
      if (decoder.decodeLine(buf, start, end) === 'message') {
        if (i === n) throw new Error(`DecodedMessages: more than the ${n} messages announced.`);
        this.keep(i++, decoder.message, member);
      }
      start = end + 1;
      line++;
      if (line % advanceEveryLines === 0 && i > 0) this.advanceAfter[i - 1] = 1;
    }
    if (i !== n) throw new Error(`DecodedMessages: ${i} messages decoded, ${n} expected.`);
    this.count = n;
  }

  private keep(i: number, m: AisMessage, member: number): void {
    this.member[i] = member;
    this.type[i] = m.type;
    this.mmsi[i] = m.mmsi;
    this.payloadHash[i] = m.payloadHash;
    this.payloadCheck[i] = m.payloadCheck;
    this.receivedAt[i] = m.receivedAt!;
    this.lat[i] = m.lat ?? Number.NaN;
    this.lon[i] = m.lon ?? Number.NaN;
    this.sog[i] = m.sog ?? Number.NaN;
    this.cog[i] = m.cog ?? Number.NaN;
    this.heading[i] = m.heading ?? Number.NaN;
    this.navStatus[i] = m.navStatus ?? Number.NaN;
    this.station[i] = m.station;
    if (STATIC_TYPES.has(m.type)) this.statics[i] = Object.assign(new AisMessage(), m);
  }

  /** Writes message `i` into `m`, every field, as the decoder leaves it. */
  fill(i: number, m: AisMessage): void {
    const copy = this.statics[i];
    if (copy !== undefined) {
      Object.assign(m, copy);
      return;
    }
    m.clear();
    m.type = this.type[i]!;
    m.mmsi = this.mmsi[i]!;
    m.payloadHash = this.payloadHash[i]!;
    m.payloadCheck = this.payloadCheck[i]!;
    m.receivedAt = this.receivedAt[i]!;
    m.station = this.station[i];
    m.lat = orUndefined(this.lat[i]!);
    m.lon = orUndefined(this.lon[i]!);
    m.sog = orUndefined(this.sog[i]!);
    m.cog = orUndefined(this.cog[i]!);
    m.heading = orUndefined(this.heading[i]!);
    m.navStatus = orUndefined(this.navStatus[i]!);
  }
}

function orUndefined(value: number): number | undefined {
  return Number.isNaN(value) ? undefined : value;
}
