/** Defaults of `tidewatch feed` (issue 4). */
export const LINE_BATCHER_DEFAULTS = {
  /** Lines per Kafka message at most. */
  maxLines: 500,
  /** Payload bytes per Kafka message at most (256 KiB). */
  maxBytes: 262_144,
  /** How long a message's first line may wait for more lines, milliseconds. */
  lingerMs: 50,
} as const;

/**
 * Longest line accepted, bytes without its line ending. An NMEA 0183 sentence is at most 82
 * characters, and an NMEA 4.10 tag block or a provider's trailing fields add a few dozen: a line
 * of more than 8 KiB is not NMEA (a binary stream, an HTML error page, a lost newline).
 */
export const MAX_LINE_BYTES = 8192;

/** librdkafka's default `message.max.bytes`: it refuses a larger message outright. */
export const MAX_PAYLOAD_BYTES = 1_000_000;

/** Why a line was not put into a message (a metric label; warned about on stderr). */
export const LINE_SKIP_REASONS = ['oversize'] as const;
export type LineSkipReason = (typeof LINE_SKIP_REASONS)[number];

/** How many bytes of a skipped line its warning quotes. */
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

/** Receives a skipped line's reason, length in bytes and first bytes (latin1). */
export type SkipHandler = (reason: LineSkipReason, lineBytes: number, head: string) => void;

/** Counters since construction. */
export interface LineBatcherStats {
  /** Lines put into messages (finished or pending). */
  readonly lines: number;
  /** Messages handed to the payload handler. */
  readonly messages: number;
  /** Payload bytes of those messages. */
  readonly bytes: number;
  /** Lines skipped as longer than `MAX_LINE_BYTES`. */
  readonly oversize: number;
}

/**
 * Turns a byte stream of NMEA lines into Kafka message payloads of many lines each (DESIGN.md
 * §2.3: "one or more NMEA lines, newline-separated"). Pure: no I/O and no timers; the caller
 * passes the time and calls `flushIfDue` from its own linger timer.
 *
 * Lines end with `\n` or `\r\n`; empty lines are skipped; a line longer than `MAX_LINE_BYTES` is
 * skipped (`oversize`) without being buffered whole. Bytes after the last newline of a chunk are
 * kept for the next chunk (TCP, files) until `endStream` says they end a line (a UDP datagram,
 * the end of a file or of a connection). Lines are copied into one reused payload buffer; each
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
  private readonly onSkip: SkipHandler | undefined;
  /** The message being filled. */
  private readonly payload: Buffer;
  private payloadLength = 0;
  private lineCount = 0;
  private firstLineAtMs = 0;
  /** The start of a line cut by a chunk boundary; room for the longest line and its `\r`. */
  private readonly carry = Buffer.allocUnsafe(MAX_LINE_BYTES + 1);
  private carryLength = 0;
  /** Inside an oversize line: its bytes are counted, not kept (its head stays in `carry`). */
  private discarding = false;
  private discardedBytes = 0;
  private lastDiscardedByte = 0;
  private headLength = 0;
  private lines = 0;
  private messages = 0;
  private bytes = 0;
  private oversize = 0;

  constructor(options: LineBatcherOptions, onPayload: PayloadHandler, onSkip?: SkipHandler) {
    const maxLines = options.maxLines ?? LINE_BATCHER_DEFAULTS.maxLines;
    if (!Number.isInteger(maxLines) || maxLines < 1) {
      throw new RangeError(`Line batcher maxLines: ${maxLines} is not a positive integer.`);
    }
    const maxBytes = options.maxBytes ?? LINE_BATCHER_DEFAULTS.maxBytes;
    if (!Number.isInteger(maxBytes) || maxBytes < MAX_LINE_BYTES || maxBytes > MAX_PAYLOAD_BYTES) {
      throw new RangeError(
        `Line batcher maxBytes: ${maxBytes} is not an integer from ${MAX_LINE_BYTES} (the longest line) to ${MAX_PAYLOAD_BYTES} (librdkafka's message.max.bytes).`,
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
    this.onSkip = onSkip;
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
      this.skipOversize(length, buf.toString('latin1', start, start + HEAD_BYTES));
      return;
    }
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
    // Longer than any line accepted, even with a `\r`: count the rest of it, keep only its head.
    if (this.carryLength < HEAD_BYTES) {
      buf.copy(this.carry, this.carryLength, start, start + HEAD_BYTES - this.carryLength);
    }
    this.discarding = true;
    this.discardedBytes = this.carryLength + count;
    this.lastDiscardedByte = buf[end - 1]!;
    this.headLength = Math.min(HEAD_BYTES, this.discardedBytes);
    this.carryLength = 0;
  }

  private endCarriedLine(nowMs: number): void {
    if (this.discarding) {
      this.discarding = false;
      const length = this.discardedBytes - (this.lastDiscardedByte === CR ? 1 : 0);
      this.skipOversize(length, this.carry.toString('latin1', 0, this.headLength));
      return;
    }
    const length = this.carryLength;
    this.carryLength = 0;
    this.addLine(this.carry, 0, length, nowMs);
  }

  private skipOversize(lineBytes: number, head: string): void {
    this.oversize++;
    this.onSkip?.('oversize', lineBytes, head);
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
