import type { Writable } from 'node:stream';

/**
 * Collects text and writes it to a stream in large pieces, waiting for `drain` when the stream
 * is full (backpressure: the producer awaits `flushIfFull`, so memory stays bounded by
 * `highWaterChars` plus the stream's own buffer).
 */
export class BufferedWriter {
  private parts: string[] = [];
  private chars = 0;

  constructor(
    private readonly out: Writable,
    private readonly highWaterChars = 1 << 16,
  ) {}

  write(text: string): void {
    this.parts.push(text);
    this.chars += text.length;
  }

  async flushIfFull(): Promise<void> {
    if (this.chars >= this.highWaterChars) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    this.chars = 0;
    // A stream that failed emits nothing more: waiting for 'drain' would never end.
    if (this.out.errored) throw this.out.errored;
    if (!this.out.write(text)) {
      await new Promise<void>((resolve, reject) => {
        const onError = (error: Error): void => {
          this.out.off('drain', onDrain);
          reject(error);
        };
        const onDrain = (): void => {
          this.out.off('error', onError);
          resolve();
        };
        this.out.once('drain', onDrain);
        this.out.once('error', onError);
      });
    }
  }
}
