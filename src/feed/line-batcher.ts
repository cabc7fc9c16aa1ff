import { MAX_LINE_BYTES } from '../ais/max-line-bytes.js';

/** Defaults of `tidewatch feed` (issue 4). */
export const LINE_BATCHER_DEFAULTS = {
  /** Lines per Kafka message at most. */
  maxLines: 500,
  /** Payload bytes per Kafka message at most (256 KiB). */
  maxBytes: 262_144,
  /** How long a message's first line may wait for more lines, milliseconds. */
  lingerMs: 50,
} as const;

export { MAX_LINE_BYTES };

/**
 * A line longer than `MAX_LINE_BYTES` is sent as its first `MAX_LINE_BYTES` + 1 bytes, or + 2
 * when the last of those is a `\r` (the decoder ignores one): longer than any line the decoder
 * takes, so the worker rejects it (`syntax`), counts it and dead-letters it with its member and
 * offset, instead of the bridge dropping it unseen. The rest of the line is not kept.
 */
export const CUT_LINE_BYTES = MAX_LINE_BYTES + 2;

/** librdkafka's default `message.max.bytes`: it refuses a larger message outright. */
export const MAX_PAYLOAD_BYTES = 1_000_000;

/** How many bytes of an oversize line its warning quotes. */
const HEAD_BYTES = 40;
const LF = 10;
const CR = 13;

export interface LineBatcherOptions {
  readonly maxLines?: number;
  readonly maxBytes?: number;
  readonly lingerMs?: number;
}

/**
 * Receives one finished message: the lines joined by `\n` (no trailing newline), how many, and
 * when its first line arrived (epoch ms, the caller's `nowMs`). The payload is the receiver's.
 */
export type PayloadHandler = (payload: Buffer, lineCount: number, firstLineAtMs: number) => void;

/** Hears of a line longer than `MAX_LINE_BYTES`: its length in bytes and first bytes (latin1). */
export type OversizeHandler = (lineBytes: number, head: string) => void;

/** Counters since construction. */
export interface LineBatcherStats {
  /** Lines put into messages (finished or pending). */
  readonly lines: number;
  /** Messages handed to the payload handler. */
  readonly messages: number;
  /** Payload bytes of those messages. */
  readonly bytes: number;
  /** Lines longer than `MAX_LINE_BYTES`, sent cut (see `CUT_LINE_BYTES`; counted in `lines`). */
  readonly oversize: number;
}

/**
 * Turns a byte stream of NMEA lines into Kafka message payloads of many lines each (DESIGN.md
 * §2.3: "one or more NMEA lines, newline-separated"). Pure: no I/O and no timers; the caller
 * passes the time and calls `flushIfDue` from its own linger timer.
 *
 * Lines end with `\n` or `\r\n`; empty lines are skipped; a line longer than `MAX_LINE_BYTES` is
 * sent cut (`oversize`, see `CUT_LINE_BYTES`) without being buffered whole. Bytes after the last
 * newline of a chunk are kept for the next chunk (TCP, files) until `endStream` says they end a
 * line (a UDP datagram, the end of a file or of a connection). Lines are copied into one reused payload buffer; each
 * finished message costs one allocation of its exact size.
 *
 * A message is finished when it holds `maxLines` lines, when the next line would take it over
 * `maxBytes` (or it holds exactly `maxBytes`), or when its first line has waited `lingerMs`: at
 * the next `push` or `flushIfDue` at or after that time.
 */
export class LineBatcher {
  private readonly maxLines: number;
  private readonly maxBytes: number;
  private readonly lingerMs: number;
  private readonly onPayload: PayloadHandler;
  private readonly onOversize: OversizeHandler | undefined;
  /** The message being filled. */
  private readonly payload: Buffer;
  private payloadLength = 0;
  private lineCount = 0;
  private firstLineAtMs = 0;
  /** The start of a line cut by a chunk boundary; room for a cut line (`CUT_LINE_BYTES`). */
  private readonly carry = Buffer.allocUnsafe(CUT_LINE_BYTES);
  private carryLength = 0;
  /** Inside an oversize line: its bytes are counted, not kept (its cut stays in `carry`). */
  private discarding = false;
  private discardedBytes = 0;
  private lastDiscardedByte = 0;
  private lines = 0;
  private messages = 0;
  private bytes = 0;
  private oversize = 0;

  constructor(
    options: LineBatcherOptions,
    onPayload: PayloadHandler,
    onOversize?: OversizeHandler,
  ) {
    const maxLines = options.maxLines ?? LINE_BATCHER_DEFAULTS.maxLines;
    if (!Number.isInteger(maxLines) || maxLines < 1) {
      throw new RangeError(`Line batcher maxLines: ${maxLines} is not a positive integer.`);
    }
    const maxBytes = options.maxBytes ?? LINE_BATCHER_DEFAULTS.maxBytes;
    if (!Number.isInteger(maxBytes) || maxBytes < CUT_LINE_BYTES || maxBytes > MAX_PAYLOAD_BYTES) {
      throw new RangeError(
        `Line batcher maxBytes: ${maxBytes} is not an integer from ${CUT_LINE_BYTES} (a cut line) to ${MAX_PAYLOAD_BYTES} (librdkafka's message.max.bytes).`,
      );
    }
    const lingerMs = options.lingerMs ?? LINE_BATCHER_DEFAULTS.lingerMs;
    if (!Number.isFinite(lingerMs) || lingerMs < 0) {
      throw new RangeError(`Line batcher lingerMs: ${lingerMs} is not a number of ms >= 0.`);
    }
    this.maxLines = maxLines;
    this.maxBytes = maxBytes;
    this.lingerMs = lingerMs;
    this.onPayload = onPayload;
    this.onOversize = onOversize;
    this.payload = Buffer.allocUnsafe(maxBytes);
  }

  /** Takes the next bytes of the stream, received at `nowMs`. */
  push(chunk: Buffer, nowMs: number): void {
    // A message already past its linger time goes before lines that arrived after it.
    this.flushIfDue(nowMs);
    const length = chunk.length;
    let start = 0;
    if (this.carryLength > 0 || this.discarding) {
      const newline = chunk.indexOf(LF);
      if (newline < 0) {
        this.appendCarry(chunk, 0, length);
        return;
      }
      this.appendCarry(chunk, 0, newline);
      this.endCarriedLine(nowMs);
      start = newline + 1;
    }
    for (;;) {
      const newline = chunk.indexOf(LF, start);
      if (newline < 0) break;
      this.addLine(chunk, start, newline, nowMs);
      start = newline + 1;
    }
    if (start < length) this.appendCarry(chunk, start, length);
  }

  /**
   * The bytes since the last newline end a line: the end of a UDP datagram, of a file, or of a
   * TCP connection (then the line may be cut short; it goes out as it is).
   */
  endStream(nowMs: number): void {
    if (this.carryLength > 0 || this.discarding) this.endCarriedLine(nowMs);
  }

  /** Bytes after the last newline, waiting for the rest of their line. */
  get partialBytes(): number {
    return this.discarding ? this.discardedBytes : this.carryLength;
  }

  /** Lines in the message being filled. */
  get pendingLines(): number {
    return this.lineCount;
  }

  /** When the message being filled reaches its linger time (epoch ms); undefined when empty. */
  dueAtMs(): number | undefined {
    return this.lineCount === 0 ? undefined : this.firstLineAtMs + this.lingerMs;
  }

  /** Finishes the message being filled if its first line has waited `lingerMs` by `nowMs`. */
  flushIfDue(nowMs: number): boolean {
    if (this.lineCount === 0 || nowMs < this.firstLineAtMs + this.lingerMs) return false;
    this.emit();
    return true;
  }

  /** Finishes the message being filled now, if it holds any line. */
  flush(): void {
    if (this.lineCount > 0) this.emit();
  }

  stats(): LineBatcherStats {
    return {
      lines: this.lines,
      messages: this.messages,
      bytes: this.bytes,
      oversize: this.oversize,
    };
  }

  /** One whole line `buf[start..end)` without its `\n`. */
  private addLine(buf: Buffer, start: number, end: number, nowMs: number): void {
    if (end > start && buf[end - 1] === CR) end--;
    const length = end - start;
    if (length === 0) return;
    if (length > MAX_LINE_BYTES) {
      this.sendCut(buf, start, length, nowMs);
      return;
    }
    this.append(buf, start, end, nowMs);
  }

  /**
   * An oversize line of `lineBytes` bytes, of which `buf[start..]` holds at least the first
   * `CUT_LINE_BYTES`: sends its cut (see `CUT_LINE_BYTES`).
   */
  private sendCut(buf: Buffer, start: number, lineBytes: number, nowMs: number): void {
    let cut = MAX_LINE_BYTES + 1;
    // A `\r` there is not the line's end (that was taken off): one more byte keeps it too long.
    if (buf[start + cut - 1] === CR) cut++;
    this.oversize++;
    this.onOversize?.(lineBytes, buf.toString('latin1', start, start + HEAD_BYTES));
    this.append(buf, start, start + cut, nowMs);
  }

  private append(buf: Buffer, start: number, end: number, nowMs: number): void {
    const length = end - start;
    if (this.lineCount > 0 && this.payloadLength + 1 + length > this.maxBytes) this.emit();
    if (this.lineCount === 0) {
      this.firstLineAtMs = nowMs;
    } else {
      this.payload[this.payloadLength++] = LF;
    }
    buf.copy(this.payload, this.payloadLength, start, end);
    this.payloadLength += length;
    this.lineCount++;
    this.lines++;
    if (this.lineCount >= this.maxLines || this.payloadLength >= this.maxBytes) this.emit();
  }

  private appendCarry(buf: Buffer, start: number, end: number): void {
    const count = end - start;
    if (count === 0) return;
    if (this.discarding) {
      this.discardedBytes += count;
      this.lastDiscardedByte = buf[end - 1]!;
      return;
    }
    if (this.carryLength + count <= this.carry.length) {
      buf.copy(this.carry, this.carryLength, start, end);
      this.carryLength += count;
      return;
    }
    // Longer than any line accepted, even with a `\r`: keep its cut, count the rest.
    buf.copy(this.carry, this.carryLength, start, start + this.carry.length - this.carryLength);
    this.discarding = true;
    this.discardedBytes = this.carryLength + count;
    this.lastDiscardedByte = buf[end - 1]!;
    this.carryLength = this.carry.length;
  }

  private endCarriedLine(nowMs: number): void {
    const length = this.carryLength;
    this.carryLength = 0;
    if (this.discarding) {
      this.discarding = false;
      const lineBytes = this.discardedBytes - (this.lastDiscardedByte === CR ? 1 : 0);
      this.sendCut(this.carry, 0, lineBytes, nowMs);
      return;
    }
    this.addLine(this.carry, 0, length, nowMs);
  }

  private emit(): void {
    const payload = Buffer.allocUnsafe(this.payloadLength);
    this.payload.copy(payload, 0, 0, this.payloadLength);
    const lineCount = this.lineCount;
    this.messages++;
    this.bytes += this.payloadLength;
    this.payloadLength = 0;
    this.lineCount = 0;
    // Last: the handler may push back (pause the source), never re-enter this batcher.
    this.onPayload(payload, lineCount, this.firstLineAtMs);
  }
}
