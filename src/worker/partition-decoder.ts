import type { MessageHandler } from '../ais/feed-decoder.js';
import type { RejectReason } from '../ais/reject-reason.js';
import { StreamDecoder } from '../ais/stream-decoder.js';
import type { RejectedLineMessage } from '../io/protobuf/rejected-line-codec.js';
import type { ProgressClock } from '../pipeline/progress-clock.js';

/** A line that was not decoded, where it came from and why (DESIGN.md §4): `ais.rejected`. */
export type DeadLetter = RejectedLineMessage;

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const latin1 = new TextDecoder('latin1');
const NO_BYTES = new Uint8Array(0);

/**
 * Decodes one raw-feed partition's Kafka messages (DESIGN.md §2.3: one or more NMEA lines per
 * message, newline-separated, optionally tag-blocked). One decoder per partition, because a
 * multi-sentence AIS message and a `$PGHP` or lone tag-block line can be split across
 * consecutive Kafka messages of the producer, which stay in order only within a partition. The
 * Kafka timestamp is the receive time of lines that carry none; a message with neither is
 * rejected `no_timestamp`. With `rejectEveryLine`, nothing is decoded: every line that is not
 * blank is rejected with that reason (a topic that names no member: `no_member`, issue 13).
 */
export class PartitionDecoder {
  private readonly decoder: StreamDecoder;
  private offset = -1;
  private timestamp = Number.NaN;
  /** Newest event time decoded since the last `takeNewestTime`. */
  private newest = Number.NEGATIVE_INFINITY;
  /** Dead-letters `buf[start, end)` as the line of the current Kafka message. */
  private readonly reject: (
    reason: RejectReason,
    buf: Uint8Array,
    start: number,
    end: number,
  ) => void;

  constructor(
    readonly member: string,
    readonly topic: string,
    readonly partition: number,
    private readonly clock: ProgressClock,
    private readonly onMessage: MessageHandler,
    onReject: (letter: DeadLetter) => void,
    private readonly rejectEveryLine: RejectReason | undefined = undefined,
  ) {
    this.reject = (reason, buf, start, end) =>
      onReject({
        member,
        reason,
        line: latin1.decode(buf.subarray(start, end)),
        topic,
        partition,
        offset: this.offset,
        kafkaTimestamp: this.timestamp,
      });
    this.decoder = new StreamDecoder({ requireTime: true, onReject: this.reject });
  }

  /**
   * Decodes every line of one Kafka message; returns the number of AIS messages decoded. A
   * message with no value (a tombstone) carries no line: dead-lettered `syntax`, still accounted for.
   */
  decode(
    value: Uint8Array | null | undefined,
    offset: number,
    timestampMs: number | undefined,
  ): number {
    this.offset = offset;
    this.timestamp = timestampMs ?? Number.NaN;
    if (value === null || value === undefined) {
      this.reject('syntax', NO_BYTES, 0, 0);
      return 0;
    }
    if (this.rejectEveryLine !== undefined) {
      this.rejectLines(value, this.rejectEveryLine);
      return 0;
    }
    const decoder = this.decoder;
    decoder.setFallbackTime(this.timestamp);
    const m = decoder.message;
    let decoded = 0;
    let start = 0;
    const length = value.length;
    while (start < length) {
      let end = value.indexOf(NEWLINE, start);
      if (end < 0) end = length;
      if (decoder.decodeLine(value, start, end) === 'message') {
        const time = m.receivedAt!;
        this.clock.note(time);
        if (time > this.newest) this.newest = time;
        this.onMessage(m, this.member, m.station);
        decoded++;
      }
      start = end + 1;
    }
    return decoded;
  }

  private rejectLines(value: Uint8Array, reason: RejectReason): void {
    let start = 0;
    const length = value.length;
    while (start < length) {
      let end = value.indexOf(NEWLINE, start);
      if (end < 0) end = length;
      const last = end > start && value[end - 1] === CARRIAGE_RETURN ? end - 1 : end;
      if (last > start) this.reject(reason, value, start, last);
      start = end + 1;
    }
  }

  /** The newest event time decoded since the previous call (-Infinity if none). */
  takeNewestTime(): number {
    const newest = this.newest;
    this.newest = Number.NEGATIVE_INFINITY;
    return newest;
  }

  /** Line accounting of this partition (lines = messages + parts + context + rejected). */
  get stats() {
    return this.decoder.stats;
  }
}
