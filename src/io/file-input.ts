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
  return gzipped ? stream.pipe(createGunzip()) : stream;
}
