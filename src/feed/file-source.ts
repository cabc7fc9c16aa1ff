import type { Readable } from 'node:stream';
import { openInput } from '../io/file-input.js';
import type { FeedSource, FeedSourceEvents, FeedSourceStats } from './feed-source.js';

/**
 * A recorded feed read to its end: a file (gzip detected by its magic number) or standard input
 * (`-`), so `zcat day.nmea.gz | tidewatch feed --file -` works too.
 *
 * Backpressure: `pause()` pauses the stream; a gzip stream stops reading its file through pipe's
 * own flow control.
 */
export class FileSource implements FeedSource {
  readonly description: string;
  private readonly path: string;
  private stream: Readable | undefined;
  private paused = false;
  private stopped = false;

  constructor(path: string) {
    this.path = path;
    this.description = path === '-' ? 'stdin' : `file ${path}`;
  }

  async run(events: FeedSourceEvents): Promise<void> {
    if (this.stopped) return;
    const stream = await openInput(this.path);
    if (this.stopped) {
      stream.destroy();
      return;
    }
    this.stream = stream;
    events.ready(undefined);
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (chunk: Buffer) => events.data(chunk));
      stream.once('end', () => {
        events.boundary('end');
        resolve();
      });
      stream.once('error', (error) =>
        reject(new Error(`cannot read ${this.path}: ${error.message}`, { cause: error })),
      );
      // Destroyed by `stop()`: no 'end'.
      stream.once('close', () => resolve());
      if (this.paused) stream.pause();
    });
  }

  pause(): void {
    this.paused = true;
    this.stream?.pause();
  }

  resume(): void {
    this.paused = false;
    if (!this.stopped) this.stream?.resume();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.stream?.destroy();
  }

  stats(): FeedSourceStats {
    return { connections: 0, droppedDatagrams: 0 };
  }
}
