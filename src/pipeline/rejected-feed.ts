import { LineSplitter } from '../ais/line-splitter.js';
import { openInput } from '../io/file-input.js';

const latin1 = new TextDecoder('latin1');

/**
 * Reads a whole recorded feed (gzip allowed) and hands every non-blank line to `onLine`
 * undecoded: a feed that may not enter any picture still leaves a dead letter per line (DESIGN.md
 * §4: nothing is silently dropped). Returns the number of lines handed over.
 */
export async function rejectFeedLines(
  path: string,
  onLine: (line: string) => void,
): Promise<number> {
  const splitter = new LineSplitter();
  let lines = 0;
  const handle = (buf: Uint8Array, start: number, end: number): void => {
    const line = latin1.decode(buf.subarray(start, end)).trimEnd();
    if (line.trim() === '') return;
    lines++;
    onLine(line);
  };
  for await (const chunk of await openInput(path)) splitter.push(chunk as Buffer, handle);
  splitter.end(handle);
  return lines;
}
