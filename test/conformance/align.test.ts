import { describe, expect, it } from 'vitest';
import { alignSequences } from './align.js';

function lcsLength(a: readonly string[], b: readonly string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = x === b[j - 1] ? diagonal + 1 : Math.max(above, row[j - 1] ?? 0);
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

function checkAlignment(a: string[], b: string[], maxEdits?: number): void {
  const { pairs, onlyA, onlyB } = alignSequences(a, b, maxEdits);
  for (const [i, j] of pairs) expect(a[i]).toBe(b[j]);
  for (let p = 1; p < pairs.length; p++) {
    expect(pairs[p]?.[0]).toBeGreaterThan(pairs[p - 1]?.[0] ?? -1);
    expect(pairs[p]?.[1]).toBeGreaterThan(pairs[p - 1]?.[1] ?? -1);
  }
  const seenA = [...pairs.map(([i]) => i), ...onlyA].sort((x, y) => x - y);
  const seenB = [...pairs.map(([, j]) => j), ...onlyB].sort((x, y) => x - y);
  expect(seenA).toEqual(a.map((_, i) => i));
  expect(seenB).toEqual(b.map((_, j) => j));
}

describe('alignSequences', () => {
  it('pairs everything when the sequences are equal', () => {
    const a = ['1:1', '1:2', '5:3'];
    expect(alignSequences(a, a)).toEqual({
      pairs: [
        [0, 0],
        [1, 1],
        [2, 2],
      ],
      onlyA: [],
      onlyB: [],
    });
  });

  it('leaves out what one side dropped and pairs the rest', () => {
    const gpsd = ['1:1', '1:2', '5:3', '1:1'];
    const ours = ['1:1', '24B:9', '1:2', '1:1'];
    expect(alignSequences(gpsd, ours)).toEqual({
      pairs: [
        [0, 0],
        [1, 2],
        [3, 3],
      ],
      onlyA: [2],
      onlyB: [1],
    });
  });

  it('handles empty sides', () => {
    expect(alignSequences([], ['a'])).toEqual({ pairs: [], onlyA: [], onlyB: [0] });
    expect(alignSequences(['a'], [])).toEqual({ pairs: [], onlyA: [0], onlyB: [] });
  });

  it('finds a longest common subsequence on random input', () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 200; round++) {
      const a = Array.from(
        { length: Math.floor(random() * 30) },
        () => `k${Math.floor(random() * 5)}`,
      );
      const b = Array.from(
        { length: Math.floor(random() * 30) },
        () => `k${Math.floor(random() * 5)}`,
      );
      checkAlignment(a, b);
      expect(alignSequences(a, b).pairs.length).toBe(lcsLength(a, b));
    }
  });

  it('still returns a consistent alignment past the edit budget (greedy fallback)', () => {
    const a = Array.from({ length: 50 }, (_, i) => `a${i % 7}`);
    const b = Array.from({ length: 50 }, (_, i) => `a${(i * 3) % 11}`);
    checkAlignment(a, b, 2);
  });
});
