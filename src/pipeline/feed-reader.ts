import { AisMessage } from '../ais/ais-message.js';
import { createDecodeStats, type DecodeStats } from '../ais/decode-stats.js';
import { LineSplitter } from '../ais/line-splitter.js';
import type { RejectReason } from '../ais/reject-reason.js';
import { StreamDecoder } from '../ais/stream-decoder.js';
import { openInput } from '../io/file-input.js';
import { isMarineCadastreHeader, MarineCadastreParser } from '../io/marinecadastre-csv.js';
import { ProgressClock } from './progress-clock.js';

export type FeedFormat = 'nmea' | 'marinecadastre-csv';

/** Receives each decoded message of a feed (the message object is reused: copy what you keep). */
export type MessageHandler = (m: AisMessage, member: string, station: string | undefined) => void;
export type FeedRejectHandler = (member: string, reason: RejectReason, line: string) => void;

const latin1 = new TextDecoder('latin1');

/**
 * One recorded member feed (a file, gzip allowed), read chunk by chunk so `replay` can keep
 * several feeds level in event time. The format is detected from the first line: a
 * MarineCadastre CSV header, otherwise NMEA (tag blocks, `$PGHP`, times after the checksum).
 */
export class FeedReader {
  readonly stats: DecodeStats = createDecodeStats();
  format: FeedFormat = 'nmea';
  private readonly clock = new ProgressClock();
  bytesRead = 0;
  done = false;
  private chunks: AsyncIterator<Buffer> | undefined;
  private readonly splitter = new LineSplitter();
  private decoder: StreamDecoder | undefined;
  private csv: MarineCadastreParser | undefined;
  private readonly csvMessage = new AisMessage();
  private firstLine = true;

  constructor(
    readonly member: string,
    readonly path: string,
    private readonly onMessage: MessageHandler,
    private readonly onReject: FeedRejectHandler,
  ) {}

  /** Reads and processes the next chunk; false once the feed is exhausted. */
  async pump(): Promise<boolean> {
    if (this.done) return false;
    this.chunks ??= (await openInput(this.path))[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const next = await this.chunks.next();
    if (next.done === true) {
      this.splitter.end(this.onLine);
      this.decoder?.flush();
      this.done = true;
      return false;
    }
    this.bytesRead += next.value.length;
    this.splitter.push(next.value, this.onLine);
    return true;
  }

  private readonly onLine = (buf: Uint8Array, start: number, end: number): void => {
    if (this.firstLine) {
      this.firstLine = false;
      const first = latin1.decode(buf.subarray(start, Math.min(end, start + 64)));
      if (isMarineCadastreHeader(first)) {
        this.format = 'marinecadastre-csv';
        this.csv = new MarineCadastreParser(latin1.decode(buf.subarray(start, end)));
        this.stats.lines++;
        this.stats.context++;
        return;
      }
      this.decoder = new StreamDecoder({
        requireTime: true,
        onReject: (reason, line, from, to) =>
          this.onReject(this.member, reason, latin1.decode(line.subarray(from, to))),
      });
    }
    if (this.csv !== undefined) this.csvLine(buf, start, end);
    else this.nmeaLine(buf, start, end);
  };

  private nmeaLine(buf: Uint8Array, start: number, end: number): void {
    const decoder = this.decoder!;
    if (decoder.decodeLine(buf, start, end) !== 'message') return;
    const m = decoder.message;
    this.clock.note(m.receivedAt!);
    this.onMessage(m, this.member, m.station);
  }

  private csvLine(buf: Uint8Array, start: number, end: number): void {
    const stats = this.stats;
    stats.lines++;
    while (end > start && buf[end - 1]! <= 32) end--;
    if (end === start) {
      stats.context++;
      return;
    }
    const m = this.csvMessage;
    const reason = this.csv!.parse(buf, start, end, m);
    if (reason !== undefined) {
      stats.rejected[reason]++;
      this.onReject(this.member, reason, latin1.decode(buf.subarray(start, end)));
      return;
    }
    stats.messages++;
    stats.byType[m.type]!++;
    this.clock.note(m.receivedAt!);
    this.onMessage(m, this.member, undefined);
  }

  /** How far this feed has got in event time (see ProgressClock). */
  get progressTime(): number {
    return this.clock.progressTime;
  }

  /** Line accounting, whichever format the feed turned out to be. */
  get lineStats(): DecodeStats {
    return this.decoder?.stats ?? this.stats;
  }
}
