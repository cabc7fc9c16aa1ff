import { AisMessage } from './ais-message.js';
import { createDecodeStats, type DecodeStats } from './decode-stats.js';
import { LineSplitter } from './line-splitter.js';
import { isMarineCadastreHeader, MarineCadastreParser } from './marinecadastre-csv.js';
import type { RejectReason } from './reject-reason.js';
import { StreamDecoder } from './stream-decoder.js';

export type FeedFormat = 'nmea' | 'marinecadastre-csv';

/** Receives each decoded message of a feed (the message object is reused: copy what you keep). */
export type MessageHandler = (m: AisMessage, member: string, station: string | undefined) => void;
export type FeedRejectHandler = (member: string, reason: RejectReason, line: string) => void;

const latin1 = new TextDecoder('latin1');

/**
 * The bytes of one recorded member feed, chunk by chunk, as decoded messages (no I/O: the caller
 * reads the chunks). The format is detected from the first line: a MarineCadastre CSV header,
 * otherwise NMEA (tag blocks, `$PGHP`, times after the checksum). Every line is counted in
 * `lineStats` and every rejected one reaches `onReject` (DESIGN.md §4).
 */
export class FeedDecoder {
  /** Line accounting of a CSV feed (an NMEA feed's is its StreamDecoder's: see `lineStats`). */
  private readonly csvStats: DecodeStats = createDecodeStats();
  format: FeedFormat = 'nmea';
  private readonly splitter = new LineSplitter();
  private decoder: StreamDecoder | undefined;
  private csv: MarineCadastreParser | undefined;
  private readonly csvMessage = new AisMessage();
  private firstLine = true;

  constructor(
    readonly member: string,
    private readonly onMessage: MessageHandler,
    private readonly onReject: FeedRejectHandler,
  ) {}

  /** Decodes the complete lines of `chunk` (a line cut at its end waits for the next chunk). */
  push(chunk: Uint8Array): void {
    this.splitter.push(chunk, this.onLine);
  }

  /** End of the feed: its last line without a newline, and multi-sentence messages left open. */
  end(): void {
    this.splitter.end(this.onLine);
    this.decoder?.flush();
  }

  /** Line accounting, whichever format the feed turned out to be. */
  get lineStats(): DecodeStats {
    return this.decoder?.stats ?? this.csvStats;
  }

  private readonly onLine = (buf: Uint8Array, start: number, end: number): void => {
    if (this.firstLine) {
      this.firstLine = false;
      const first = latin1.decode(buf.subarray(start, Math.min(end, start + 64)));
      if (isMarineCadastreHeader(first)) {
        this.format = 'marinecadastre-csv';
        this.csv = new MarineCadastreParser(latin1.decode(buf.subarray(start, end)));
        this.csvStats.lines++;
        this.csvStats.context++;
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
    this.onMessage(m, this.member, m.station);
  }

  private csvLine(buf: Uint8Array, start: number, end: number): void {
    const stats = this.csvStats;
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
    this.onMessage(m, this.member, undefined);
  }
}
