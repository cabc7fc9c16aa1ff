/**
 * A buffer with room for `needed` bytes that keeps the first `used` bytes of `buffer`: `buffer`
 * itself when it is big enough, else a new one at least twice its size (amortised growth for the
 * byte writers that fill one reused buffer: binary COPY rows, protobuf messages).
 */
export function withRoom(buffer: Buffer, used: number, needed: number): Buffer {
  if (needed <= buffer.length) return buffer;
  const grown = Buffer.allocUnsafe(Math.max(buffer.length * 2, needed));
  buffer.copy(grown, 0, 0, used);
  return grown;
}
