const INITIAL_CAPACITY = 256;
/** Fibonacci hashing spreads the mixed pair over the table's bits. */
const GOLDEN = 0x9e3779b1;
/** murmur3's multiplier: mixes the lower id before the higher one is added. */
const MIX = 0x85ebca6b;

/**
 * The union of two interned member sets (`MemberRegistry`), remembered: an unordered pair of set
 * ids → the id of their union. Provenance is merged on every report fused (issue 13: one look-up
 * here instead of a bitwise OR), so this is an open-addressing table with linear probing over
 * typed arrays, as `DedupeIndex` is: a probe reads two Int32Arrays and allocates nothing, and the
 * arrays go into a state snapshot as raw bytes. Pairs are kept lower id first, and never with the
 * empty set (0), so a lower id of 0 marks an empty slot. Entries are never removed: a union, once
 * known, stays true.
 */
export class UnionMemo {
  private lower = new Int32Array(INITIAL_CAPACITY);
  private higher = new Int32Array(INITIAL_CAPACITY);
  private unions = new Int32Array(INITIAL_CAPACITY);
  private shift = 32 - Math.log2(INITIAL_CAPACITY);
  private mask = INITIAL_CAPACITY - 1;
  private count = 0;

  /** Pairs remembered. */
  get size(): number {
    return this.count;
  }

  /** The union of sets `lower` < `higher` (both > 0), or -1 when not remembered yet. */
  get(lower: number, higher: number): number {
    const lowers = this.lower;
    const mask = this.mask;
    let i = slot(lower, higher, this.shift);
    for (let k = lowers[i]!; k !== 0; k = lowers[i]!) {
      if (k === lower && this.higher[i] === higher) return this.unions[i]!;
      i = (i + 1) & mask;
    }
    return -1;
  }

  /** Remembers `union` as the union of `lower` < `higher` (both > 0, not remembered yet). */
  set(lower: number, higher: number, union: number): void {
    if (!(lower > 0 && higher > lower)) {
      throw new RangeError(
        `UnionMemo.set: set ids ${lower}, ${higher} are not 0 < lower < higher.`,
      );
    }
    this.insert(lower, higher, union);
    if (++this.count * 2 > this.mask) this.resize(this.lower.length * 2);
  }

  private insert(lower: number, higher: number, union: number): void {
    const lowers = this.lower;
    const mask = this.mask;
    let i = slot(lower, higher, this.shift);
    while (lowers[i] !== 0) i = (i + 1) & mask;
    lowers[i] = lower;
    this.higher[i] = higher;
    this.unions[i] = union;
  }

  /** Moves every entry into a table of `capacity` slots (a power of two). */
  private resize(capacity: number): void {
    const { lower, higher, unions } = this;
    this.lower = new Int32Array(capacity);
    this.higher = new Int32Array(capacity);
    this.unions = new Int32Array(capacity);
    this.shift = 32 - Math.log2(capacity);
    this.mask = capacity - 1;
    for (let s = 0; s < lower.length; s++) {
      if (lower[s] !== 0) this.insert(lower[s]!, higher[s]!, unions[s]!);
    }
  }
}

function slot(lower: number, higher: number, shift: number): number {
  return Math.imul((Math.imul(lower, MIX) + higher) | 0, GOLDEN) >>> shift;
}
