/** FNV-1a offset basis; pass another value as `seed` for an independent hash. */
export const FNV_OFFSET = 0x811c9dc5;

/** 32-bit FNV-1a hash of `buf[start..end)`. */
export function fnv1a(buf: Uint8Array, start: number, end: number, seed = FNV_OFFSET): number {
  let hash = seed;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ buf[i]!, 0x01000193);
  return hash >>> 0;
}
