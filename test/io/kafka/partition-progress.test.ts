import { describe, expect, it } from 'vitest';
import { PartitionProgress } from '../../../src/io/kafka/partition-progress.js';

describe('PartitionProgress', () => {
  it('stores the end of the longest run of finished batches', () => {
    const progress = new PartitionProgress('ais.raw.alpha', 3);
    progress.handOut(1, 100);
    progress.handOut(2, 250);
    progress.handOut(5, 260);
    // Batch 2 finished first: batch 1 still open, nothing may be stored yet (at-least-once).
    expect(progress.finish(2)).toBeUndefined();
    expect(progress.finishedOffset).toBe(-1);
    expect(progress.finish(1)).toBe(250);
    expect(progress.openBatches).toBe(1);
    expect(progress.finish(5)).toBe(260);
    expect(progress.openBatches).toBe(0);
  });

  it('ignores batches it did not hand out and batches finished twice', () => {
    const progress = new PartitionProgress('ais.raw.alpha', 0);
    progress.handOut(7, 10);
    expect(progress.finish(6)).toBeUndefined();
    expect(progress.finish(7)).toBe(10);
    expect(progress.finish(7)).toBeUndefined();
    expect(progress.finishedOffset).toBe(10);
  });

  it('refuses a batch that does not move forward', () => {
    const progress = new PartitionProgress('ais.raw.alpha', 0);
    progress.handOut(1, 10);
    expect(() => progress.handOut(2, 10)).toThrow(/ends at offset 10, not after 10/);
  });
});
