import { AisMessage } from '../ais/ais-message.js';

/**
 * The internal topic's records (docs/scale-out.md, issue 16): what the decode stage sends the
 * fusion stage. Two kinds, one byte first:
 *
 * - `REPORT`: one decoded AIS message as the core needs it (`Report`'s fields, `FusionCore.ingest`):
 *   type, MMSI, payload hash and check (dedupe), event time, the member that heard it and the
 *   station, and the kinematic and static fields it carries — a presence bit each, so a position
 *   report is ~70 bytes. Numbers are float64 so the fusion stage sees bit for bit what `replay`'s
 *   decoder made (SOG tenths, type 27's 1/10' positions, CSV decimals alike).
 * - `WATERMARK`: one upstream (raw) partition's event-time progress, forwarded to every internal
 *   partition after the reports it covers (same producer, same partition: Kafka keeps the order).
 *
 * Layout, little-endian: REPORT = kind u8, type u8, presence u32, mmsi u32, time f64, payloadHash
 * u32, payloadCheck u32, member str, then each present field in `FIELDS` order (numbers f64,
 * text str); str = u16 byte length + UTF-8. WATERMARK = kind u8, flags u8 (1: idle), upstream
 * partitions u16, progress f64, end f64, upstream str.
 */
export const RECORD_KIND = { report: 1, watermark: 2 } as const;

/** One upstream partition's progress, as the decode stage forwards it. */
export interface UpstreamMark {
  /** The raw partition, `topic/partition`. */
  readonly upstream: string;
  /** Its event-time progress (`ProgressClock.progressTime`), epoch ms; -Infinity before data. */
  readonly progressMs: number;
  /** Where its input has got (`ProgressClock.runEnd`), for the all-idle finish; -Infinity if unknown. */
  readonly endMs: number;
  /** Caught up and quiet for `watermark.idlePartitionSeconds`: it holds nobody back. */
  readonly idle: boolean;
  /**
   * How many raw partitions the upstream stage reads in all (every decode instance's together):
   * a downstream partition waits until it has heard from that many before its watermark moves.
   */
  readonly upstreamPartitions: number;
}

type NumberField =
  | 'navStatus'
  | 'sog'
  | 'lon'
  | 'lat'
  | 'cog'
  | 'heading'
  | 'imo'
  | 'shipType'
  | 'toBow'
  | 'toStern'
  | 'toPort'
  | 'toStarboard'
  | 'draught';
type TextField = 'callSign' | 'shipName' | 'destination' | 'name' | 'station';

/** The optional fields, in wire order: bit i of `presence` is FIELDS[i]. */
const FIELDS: readonly (readonly [NumberField, 'n'] | readonly [TextField, 's'])[] = [
  ['navStatus', 'n'],
  ['sog', 'n'],
  ['lon', 'n'],
  ['lat', 'n'],
  ['cog', 'n'],
  ['heading', 'n'],
  ['imo', 'n'],
  ['shipType', 'n'],
  ['toBow', 'n'],
  ['toStern', 'n'],
  ['toPort', 'n'],
  ['toStarboard', 'n'],
  ['draught', 'n'],
  ['callSign', 's'],
  ['shipName', 's'],
  ['destination', 's'],
  ['name', 's'],
  ['station', 's'],
];

const REPORT_HEADER_BYTES = 1 + 1 + 4 + 4 + 8 + 4 + 4;
const MAX_TEXT_BYTES = 0xffff;
const utf8 = new TextDecoder();

/** A record that is not one this codec writes (a foreign producer, a newer version). */
export class RecordError extends Error {
  readonly code = 'BAD_INTERNAL_RECORD';
}

/** Encodes reports into one reused scratch buffer; each result is a copy the caller owns. */
export class ReportRecordWriter {
  private scratch = Buffer.allocUnsafe(512);
  private at = 0;

  /** A REPORT record of `m` (its `receivedAt` is the event time) heard by `member`. */
  report(m: AisMessage, member: string): Buffer {
    const time = m.receivedAt;
    if (time === undefined) throw new RecordError(`MMSI ${m.mmsi}: no event time`);
    this.at = 0;
    this.room(REPORT_HEADER_BYTES);
    const b = this.scratch;
    b[0] = RECORD_KIND.report;
    b[1] = m.type;
    let presence = 0;
    for (let i = 0; i < FIELDS.length; i++) {
      if (m[FIELDS[i]![0]] !== undefined) presence |= 1 << i;
    }
    b.writeUInt32LE(presence >>> 0, 2);
    b.writeUInt32LE(m.mmsi >>> 0, 6);
    b.writeDoubleLE(time, 10);
    b.writeUInt32LE(m.payloadHash >>> 0, 18);
    b.writeUInt32LE(m.payloadCheck >>> 0, 22);
    this.at = REPORT_HEADER_BYTES;
    this.text(member);
    for (let i = 0; i < FIELDS.length; i++) {
      if ((presence & (1 << i)) === 0) continue;
      const [field, kind] = FIELDS[i]!;
      if (kind === 'n') this.number(m[field as NumberField]!);
      else this.text(m[field as TextField]!);
    }
    return Buffer.from(this.scratch.subarray(0, this.at));
  }

  /** A WATERMARK record. */
  watermark(mark: UpstreamMark): Buffer {
    this.at = 0;
    this.room(20);
    const b = this.scratch;
    b[0] = RECORD_KIND.watermark;
    b[1] = mark.idle ? 1 : 0;
    b.writeUInt16LE(mark.upstreamPartitions, 2);
    b.writeDoubleLE(mark.progressMs, 4);
    b.writeDoubleLE(mark.endMs, 12);
    this.at = 20;
    this.text(mark.upstream);
    return Buffer.from(this.scratch.subarray(0, this.at));
  }

  private number(value: number): void {
    this.room(8);
    this.scratch.writeDoubleLE(value, this.at);
    this.at += 8;
  }

  private text(value: string): void {
    const length = Buffer.byteLength(value);
    if (length > MAX_TEXT_BYTES)
      throw new RecordError(`text of ${length} bytes: ${value.slice(0, 40)}`);
    this.room(2 + length);
    this.scratch.writeUInt16LE(length, this.at);
    this.scratch.write(value, this.at + 2, 'utf8');
    this.at += 2 + length;
  }

  private room(bytes: number): void {
    if (this.at + bytes <= this.scratch.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.scratch.length * 2, this.at + bytes));
    this.scratch.copy(grown, 0, 0, this.at);
    this.scratch = grown;
  }
}

/** A decoded record: a report (into the reader's reused message) or a watermark. */
export type ReadRecord =
  | { readonly kind: 'report'; readonly message: AisMessage; readonly member: string }
  | { readonly kind: 'watermark'; readonly mark: UpstreamMark };

/**
 * Decodes records. A report is decoded into one reused `AisMessage` (valid until the next
 * `read`: `FusionCore.ingest` copies what it keeps into a `Report`). Throws `RecordError` for a
 * record it does not know or one cut short.
 */
export class ReportRecordReader {
  readonly message = new AisMessage();
  private value: Uint8Array = new Uint8Array(0);
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  private at = 0;

  read(value: Uint8Array): ReadRecord {
    this.value = value;
    this.view = new DataView(value.buffer, value.byteOffset, value.byteLength);
    this.at = 0;
    try {
      const kind = this.u8();
      if (kind === RECORD_KIND.report) return this.report();
      if (kind === RECORD_KIND.watermark) return this.watermark();
      throw new RecordError(`unknown record kind ${kind}`);
    } catch (error) {
      if (error instanceof RecordError) throw error;
      throw new RecordError(`record cut short at byte ${this.at} of ${value.length}`, {
        cause: error,
      });
    }
  }

  private report(): ReadRecord {
    const m = this.message;
    m.clear();
    m.type = this.u8();
    const presence = this.view.getUint32(this.at, true);
    m.mmsi = this.view.getUint32(this.at + 4, true);
    m.receivedAt = this.view.getFloat64(this.at + 8, true);
    m.payloadHash = this.view.getUint32(this.at + 16, true);
    m.payloadCheck = this.view.getUint32(this.at + 20, true);
    this.at += 24;
    const member = this.text();
    for (let i = 0; i < FIELDS.length; i++) {
      if ((presence & (1 << i)) === 0) continue;
      const [field, kind] = FIELDS[i]!;
      if (kind === 'n') {
        m[field as NumberField] = this.view.getFloat64(this.at, true);
        this.at += 8;
      } else m[field as TextField] = this.text();
    }
    return { kind: 'report', message: m, member };
  }

  private watermark(): ReadRecord {
    const idle = (this.u8() & 1) === 1;
    const upstreamPartitions = this.view.getUint16(this.at, true);
    const progressMs = this.view.getFloat64(this.at + 2, true);
    const endMs = this.view.getFloat64(this.at + 10, true);
    this.at += 18;
    const upstream = this.text();
    return { kind: 'watermark', mark: { upstream, progressMs, endMs, idle, upstreamPartitions } };
  }

  private u8(): number {
    return this.view.getUint8(this.at++);
  }

  private text(): string {
    const length = this.view.getUint16(this.at, true);
    const start = this.at + 2;
    if (start + length > this.value.length) throw new RangeError('text beyond the record');
    this.at = start + length;
    return utf8.decode(this.value.subarray(start, start + length));
  }
}
