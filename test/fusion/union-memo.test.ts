import { describe, expect, it } from 'vitest';
import { UnionMemo } from '../../src/fusion/union-memo.js';
import { seededRandom } from '../support/seeded-random.js';

describe('UnionMemo', () => {
  it('remembers a pair, and only that pair', () => {
    const memo = new UnionMemo();
    expect(memo.get(1, 2)).toBe(-1);
    memo.set(1, 2, 3);
    expect(memo.get(1, 2)).toBe(3);
    expect(memo.get(1, 3)).toBe(-1);
    expect(memo.get(2, 3)).toBe(-1);
    expect(memo.size).toBe(1);
  });

  it('refuses pairs out of order or with the empty set (0 marks an empty slot)', () => {
    const memo = new UnionMemo();
    expect(() => memo.set(0, 2, 2)).toThrow(RangeError);
    expect(() => memo.set(3, 2, 4)).toThrow(RangeError);
    expect(() => memo.set(2, 2, 2)).toThrow(RangeError);
    expect(memo.size).toBe(0);
  });

  it('agrees with a plain Map model through growth and collisions (100 k seeded pairs)', () => {
    const random = seededRandom(3);
    const memo = new UnionMemo();
    const model = new Map<string, number>();
    for (let n = 0; n < 100_000; n++) {
      // Small ids collide often in the model's terms (shared lower ids), large ones spread.
      const span = n % 2 === 0 ? 64 : 1 << 24;
      const x = 1 + Math.floor(random() * span);
      const y = 1 + Math.floor(random() * span);
      if (x === y) continue;
      const lower = Math.min(x, y);
      const higher = Math.max(x, y);
      const k = `${lower} ${higher}`;
      const known = model.get(k);
      expect(memo.get(lower, higher)).toBe(known ?? -1);
      if (known === undefined) {
        const union = 1 + Math.floor(random() * 2 ** 30);
        memo.set(lower, higher, union);
        model.set(k, union);
      }
    }
    expect(memo.size).toBe(model.size);
    for (const [k, union] of model) {
      const [lower, higher] = k.split(' ').map(Number);
      expect(memo.get(lower!, higher!)).toBe(union);
    }
  });
});
