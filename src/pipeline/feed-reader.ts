import type { DecodeStats } from '../ais/decode-stats.js';
import {
  FeedDecoder,
  type FeedFormat,
  type FeedRejectHandler,
  type MessageHandler,
} from '../ais/feed-decoder.js';
import { openInput } from '../io/file-input.js';
import { ProgressClock } from './progress-clock.js';

/**
 * One recorded member feed (a file, gzip allowed) for `replay`: its chunks, read through
 * io/file-input.ts one at a time, go to a FeedDecoder, and its ProgressClock follows the decoded
 * messages' event times, so `replay` can keep several feeds level in event time.
 */
export class FeedReader {
  private readonly decoder: FeedDecoder;
  private readonly clock = new ProgressClock();
  bytesRead = 0;
  done = false;
  private chunks: AsyncIterator<Buffer> | undefined;

  constructor(
    readonly member: string,
    readonly path: string,
    onMessage: MessageHandler,
    onReject: FeedRejectHandler,
  ) {
    const clock = this.clock;
    this.decoder = new FeedDecoder(
      member,
      (m, feedMember, station) => {
        clock.note(m.receivedAt!);
        onMessage(m, feedMember, station);
      },
      onReject,
    );
  }

  /** Reads and processes the next chunk; false once the feed is exhausted. */
  async pump(): Promise<boolean> {
    if (this.done) return false;
    this.chunks ??= (await openInput(this.path))[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const next = await this.chunks.next();
    if (next.done === true) {
      this.decoder.end();
      this.done = true;
      return false;
    }
    this.bytesRead += next.value.length;
    this.decoder.push(next.value);
    return true;
  }

  /** The format detected from the feed's first line. */
  get format(): FeedFormat {
    return this.decoder.format;
  }

  /** How far this feed has got in event time (see ProgressClock). */
  get progressTime(): number {
    return this.clock.progressTime;
  }

  /** Line accounting, whichever format the feed turned out to be. */
  get lineStats(): DecodeStats {
    return this.decoder.lineStats;
  }
}
