import { describe, expect, it } from 'vitest';
import { mmsiPartition } from '../../src/scale/mmsi-partitioner.js';

describe('mmsiPartition', () => {
  it('puts one MMSI always on one partition, within range', () => {
    for (const mmsi of [0, 1, 257000000, 999999999, 2 ** 32 - 1]) {
      const p = mmsiPartition(mmsi, 7);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(7);
      expect(mmsiPartition(mmsi, 7)).toBe(p);
    }
  });

  it("spreads one country's consecutive MMSIs evenly (MID 257, Norway)", () => {
    for (const partitions of [2, 4, 12]) {
      const counts = new Array<number>(partitions).fill(0);
      const n = 12_000;
      for (let i = 0; i < n; i++) counts[mmsiPartition(257000000 + i * 10, partitions)]!++;
      for (const count of counts)
        expect(Math.abs(count - n / partitions)).toBeLessThan(0.1 * (n / partitions));
    }
  });

  it('refuses a partition count that is not a positive integer', () => {
    expect(() => mmsiPartition(1, 0)).toThrow(/positive integer: 0/);
    expect(() => mmsiPartition(1, 1.5)).toThrow(RangeError);
  });
});
