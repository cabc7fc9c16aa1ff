import { createWriteStream, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';

/**
 * A file written as a stream, whose failures are errors with the path in them: `open` rejects
 * when the file cannot be created (a missing directory, no permission) before anything is
 * written, and `close` rejects when a write failed meanwhile (a full disk). A failed write never
 * crashes the process as an unhandled stream 'error' would.
 */
export class OutputFile {
  private failure: Error | undefined;

  private constructor(
    readonly path: string,
    readonly stream: WriteStream,
  ) {
    stream.on('error', (error) => {
      this.failure ??= cannotWrite(path, error);
    });
  }

  static async open(path: string): Promise<OutputFile> {
    const stream = createWriteStream(path);
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => {
        stream.off('open', onOpen);
        reject(cannotWrite(path, error));
      };
      const onOpen = (): void => {
        stream.off('error', onError);
        resolve();
      };
      stream.once('open', onOpen);
      stream.once('error', onError);
    });
    return new OutputFile(path, stream);
  }

  /** The first write failure, if any (the file is useless from then on). */
  get failed(): Error | undefined {
    return this.failure;
  }

  /** Ends the file; rejects with the first write failure, if any. */
  async close(): Promise<void> {
    if (this.failure === undefined) {
      this.stream.end();
      await finished(this.stream).catch(() => {});
    }
    if (this.failure !== undefined) throw this.failure;
  }
}

function cannotWrite(path: string, error: Error): Error {
  return new Error(`cannot write ${path}: ${error.message}`, { cause: error });
}
