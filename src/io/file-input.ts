import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** gzip magic number. */
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/**
 * Opens an input for reading bytes: a file (gzip detected by its magic number, so `.gz` and
 * renamed files both work) or standard input when `path` is undefined or `-`.
 * Throws with the path in the message when the file cannot be opened.
 */
export async function openInput(path: string | undefined): Promise<Readable> {
  if (path === undefined || path === '-') return process.stdin;
  let gzipped = false;
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw new Error(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  });
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    gzipped = bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  } finally {
    await handle.close();
  }
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  if (!gzipped) return stream;
  const gunzip = createGunzip();
  // Closing the decompressed stream closes the file too (`closeInput`).
  gunzip.once('close', () => stream.destroy());
  return stream.pipe(gunzip);
}

/**
 * Closes an input `openInput` gave and not read to its end (standard input is left open): its
 * file is not opened or read after this resolves, even if it disappears meanwhile.
 */
export async function closeInput(input: Readable): Promise<void> {
  if (input === process.stdin || input.closed) return;
  const closed = once(input, 'close').catch(() => {});
  input.destroy();
  await closed;
}
