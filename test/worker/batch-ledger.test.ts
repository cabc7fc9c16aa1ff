import { describe, expect, it } from 'vitest';
import { BatchLedger } from '../../src/worker/batch-ledger.js';

describe('BatchLedger', () => {
  it('releases a batch only once the core has released its newest report', () => {
    const ledger = new BatchLedger<string>();
    ledger.add('b1', 1000, 0);
    ledger.add('b2', 5000, 0);
    ledger.add('b3', 2000, 0);
    expect(ledger.release(999)).toBe(0);
    expect(ledger.release(2000)).toBe(2);
    expect(ledger.waitingCount).toBe(1);
    expect(ledger.takeReleased().map((e) => e.batch)).toEqual(['b1', 'b3']);
    expect(ledger.releasedCount).toBe(0);
    expect(ledger.release(5000)).toBe(1);
    expect(ledger.takeReleased().map((e) => e.batch)).toEqual(['b2']);
  });

  it('gives a failed flush its batches back, ahead of those released since', () => {
    const ledger = new BatchLedger<string>();
    ledger.add('b1', 1, 10);
    ledger.add('b2', 2, 20);
    ledger.release(1);
    const flushing = ledger.takeReleased();
    ledger.release(2);
    ledger.restore(flushing);
    const next = ledger.takeReleased();
    expect(next.map((e) => e.batch)).toEqual(['b1', 'b2']);
    expect(next[0]).toEqual({ batch: 'b1', holdUntil: 1, consumedAtMs: 10 });
  });

  it('releases a batch with no decoded report at once', () => {
    const ledger = new BatchLedger<string>();
    ledger.add('only-rejects', Number.NEGATIVE_INFINITY, 0);
    expect(ledger.release(Number.NEGATIVE_INFINITY)).toBe(1);
  });
});
