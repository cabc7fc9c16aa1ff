import { describe, expect, it } from 'vitest';
import {
  FLUSH_ROWS,
  type FlushInputs,
  MAX_FLUSHES_IN_FLIGHT,
  shouldFlush,
} from '../../src/worker/flush-policy.js';

/** A loop turn with one released batch, 250 ms after the last flush, interval 250 ms. */
const due: FlushInputs = {
  flushesInFlight: 0,
  bufferedRows: 0,
  releasedBatches: 1,
  checkpointDue: false,
  sinceLastFlushMs: 250,
  flushIntervalMs: 250,
};

describe('shouldFlush', () => {
  it('flushes released batches once the interval has passed, not before', () => {
    expect(shouldFlush(due)).toBe(true);
    expect(shouldFlush({ ...due, sinceLastFlushMs: 249 })).toBe(false);
  });

  it('does not flush with nothing to make durable, however long ago the last flush was', () => {
    expect(shouldFlush({ ...due, releasedBatches: 0, sinceLastFlushMs: 60_000 })).toBe(false);
  });

  it('flushes for history rows alone, and for a due checkpoint alone', () => {
    const idle = { ...due, releasedBatches: 0 };
    expect(shouldFlush({ ...idle, bufferedRows: 1 })).toBe(true);
    expect(shouldFlush({ ...idle, checkpointDue: true })).toBe(true);
  });

  it(`starts at once when ${FLUSH_ROWS} rows wait, without the interval`, () => {
    const early = { ...due, sinceLastFlushMs: 1 };
    expect(shouldFlush({ ...early, bufferedRows: FLUSH_ROWS - 1 })).toBe(false);
    expect(shouldFlush({ ...early, bufferedRows: FLUSH_ROWS })).toBe(true);
  });

  it(`never runs more than ${MAX_FLUSHES_IN_FLIGHT} flushes at once`, () => {
    const urgent = { ...due, bufferedRows: FLUSH_ROWS, checkpointDue: true };
    expect(shouldFlush({ ...urgent, flushesInFlight: MAX_FLUSHES_IN_FLIGHT - 1 })).toBe(true);
    expect(shouldFlush({ ...urgent, flushesInFlight: MAX_FLUSHES_IN_FLIGHT })).toBe(false);
  });
});
