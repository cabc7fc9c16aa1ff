import { describe, expect, it } from 'vitest';
import { hasBit, nextBit, setBit, wordsFor } from '../../src/coalition/bitset.js';
import { createRandom } from '../../src/util/random.js';

describe('bitset', () => {
  it('sizes masks in 32-bit words, at least one', () => {
    expect([0, 1, 32, 33, 128, 129].map(wordsFor)).toEqual([1, 1, 1, 2, 4, 5]);
  });

  it('sets, tests and iterates bits past 32 and 64, bit 31 of a word included', () => {
    const words = new Uint32Array(wordsFor(200));
    const bits = [0, 31, 32, 63, 64, 95, 127, 128, 199];
    for (const bit of bits) setBit(words, bit);
    const found: number[] = [];
    for (let b = nextBit(words, 0); b >= 0; b = nextBit(words, b + 1)) found.push(b);
    expect(found).toEqual(bits);
    expect(hasBit(words, 31)).toBe(true);
    expect(hasBit(words, 30)).toBe(false);
    expect(nextBit(words, 200)).toBe(-1);
    expect(nextBit(words, 96, 3)).toBe(-1); // only the first 3 words
  });

  it('agrees with a plain set on random masks at an offset', () => {
    const random = createRandom(7);
    for (let round = 0; round < 50; round++) {
      const bitCount = random.int(1, 300);
      const offset = random.int(0, 3);
      const words = new Uint32Array(offset + wordsFor(bitCount));
      const expected = new Set<number>();
      for (let i = random.int(0, bitCount); i > 0; i--) {
        const bit = random.int(0, bitCount - 1);
        expected.add(bit);
        setBit(words, bit, offset);
      }
      const mask = words.subarray(offset);
      const found: number[] = [];
      for (let b = nextBit(mask, 0); b >= 0; b = nextBit(mask, b + 1)) found.push(b);
      expect(found).toEqual([...expected].sort((x, y) => x - y));
      for (let bit = 0; bit < bitCount; bit++)
        expect(hasBit(words, bit, offset)).toBe(expected.has(bit));
    }
  });
});
