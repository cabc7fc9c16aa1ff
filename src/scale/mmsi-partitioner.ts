/**
 * The internal partition of a vessel (docs/scale-out.md): every report of one MMSI, from every
 * member, goes to one partition, so dedupe, fusion and the per-vessel detectors meet all of it in
 * one place. MurmurHash3's 32-bit finaliser spreads MMSIs evenly: they share their MID prefix by
 * country, so `mmsi % n` would put one flag's fleet on few partitions for some n. The decode stage
 * chooses the partition itself, so no client's key hashing has to agree with it.
 */
export function mmsiPartition(mmsi: number, partitions: number): number {
  if (!(Number.isInteger(partitions) && partitions > 0)) {
    throw new RangeError(`partitions must be a positive integer: ${partitions}`);
  }
  let h = mmsi >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % partitions;
}
