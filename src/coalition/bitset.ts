/**
 * Bit sets of any size as Uint32Array words, bit `i` in word `i >>> 5`: masks over picture
 * classes (release-table.ts) grow with the coalition, so there is no 32- or 64-member ceiling.
 * Every function takes an `offset` in words, so many masks can live in one flat array.
 */

/** Words needed for `bits` bits (at least one, so an empty set is still a mask). */
export function wordsFor(bits: number): number {
  return Math.max(1, Math.ceil(bits / 32));
}

export function setBit(words: Uint32Array, bit: number, offset = 0): void {
  const at = offset + (bit >>> 5);
  words[at] = words[at]! | (1 << (bit & 31));
}

export function hasBit(words: Uint32Array, bit: number, offset = 0): boolean {
  return (words[offset + (bit >>> 5)]! & (1 << (bit & 31))) !== 0;
}

/**
 * The lowest set bit at or above `from` among the first `wordCount` words, or -1. Iterates a set
 * without allocating: `for (let b = nextBit(m, 0, n); b >= 0; b = nextBit(m, b + 1, n))`.
 */
export function nextBit(words: Uint32Array, from: number, wordCount = words.length): number {
  let at = from >>> 5;
  if (at >= wordCount) return -1;
  // Clear the bits below `from` in its word (a shift by 32 would be a shift by 0).
  let word = (from & 31) === 0 ? words[at]! : words[at]! & ~((1 << (from & 31)) - 1);
  while (word === 0) {
    at++;
    if (at >= wordCount) return -1;
    word = words[at]!;
  }
  // word & -word keeps the lowest set bit; clz32 counts the zeros above it.
  return at * 32 + 31 - Math.clz32(word & -word);
}
