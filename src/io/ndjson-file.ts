import { BufferedWriter } from './buffered-writer.js';
import { OutputFile } from './output-file.js';

/** Writes `rows` as NDJSON, one JSON object a line, to `path` (replaced if it exists). */
export async function writeNdjson(path: string, rows: readonly unknown[]): Promise<void> {
  const file = await OutputFile.open(path);
  const writer = new BufferedWriter(file.stream);
  for (const row of rows) {
    writer.write(`${JSON.stringify(row)}\n`);
    await writer.flushIfFull();
  }
  await writer.flush();
  await file.close();
}
