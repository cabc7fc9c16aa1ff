import { BufferedWriter } from './buffered-writer.js';
import { OutputFile } from './output-file.js';

/** `replay`'s dead letters (DESIGN.md §4): one NDJSON line per rejected line, `{member, reason, line}`. */
export class DeadLetterFile {
  private constructor(
    private readonly file: OutputFile,
    private readonly writer: BufferedWriter,
  ) {}

  static async open(path: string): Promise<DeadLetterFile> {
    const file = await OutputFile.open(path);
    return new DeadLetterFile(file, new BufferedWriter(file.stream));
  }

  /** Records one rejected line (bound: pass it as a callback). */
  readonly reject = (member: string, reason: string, line: string): void => {
    this.writer.write(`${JSON.stringify({ member, reason, line })}\n`);
  };

  async close(): Promise<void> {
    await this.writer.flush();
    await this.file.close();
  }
}
