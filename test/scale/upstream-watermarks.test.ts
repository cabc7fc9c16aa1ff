import { describe, expect, it } from 'vitest';
import type { UpstreamMark } from '../../src/scale/report-record.js';
import { mergeWatermarks, UpstreamWatermarks } from '../../src/scale/upstream-watermarks.js';

const T = Date.UTC(2024, 5, 1);
const MIN = 60_000;

function mark(upstream: string, minutes: number, idle = false, of = 3): UpstreamMark {
  return {
    upstream,
    progressMs: T + minutes * MIN,
    endMs: T + (minutes + 1) * MIN,
    idle,
    upstreamPartitions: of,
  };
}

describe('UpstreamWatermarks', () => {
  it('is unknown until every upstream partition has been heard from', () => {
    const w = new UpstreamWatermarks();
    expect(w.watermark().time).toBe(Number.NEGATIVE_INFINITY);
    w.note(mark('a/0', 10));
    w.note(mark('a/1', 20));
    expect(w.watermark().time).toBe(Number.NEGATIVE_INFINITY);
    w.note(mark('b/0', 30));
    expect(w.watermark()).toEqual({ time: T + 10 * MIN, allIdle: false });
  });

  it('is held by a slow upstream, not by an idle one', () => {
    const w = new UpstreamWatermarks();
    w.note(mark('a/0', 10));
    w.note(mark('a/1', 20));
    w.note(mark('b/0', 30));
    w.note(mark('a/0', 12));
    expect(w.watermark().time).toBe(T + 12 * MIN);
    w.note(mark('a/0', 12, true));
    expect(w.watermark()).toEqual({ time: T + 20 * MIN, allIdle: false });
    // Back from idle: it holds again.
    w.note(mark('a/0', 13));
    expect(w.watermark().time).toBe(T + 13 * MIN);
  });

  it('when every upstream is idle: the furthest progress and the furthest end (finish)', () => {
    const w = new UpstreamWatermarks();
    w.note(mark('a/0', 10, true));
    w.note(mark('a/1', 20, true));
    w.note(mark('b/0', 30, true));
    expect(w.watermark()).toEqual({ time: T + 30 * MIN, allIdle: true, end: T + 31 * MIN });
  });

  it('never moves an upstream back (its new owner resends from the committed offset)', () => {
    const w = new UpstreamWatermarks();
    w.note(mark('a/0', 10, false, 1));
    w.note(mark('a/0', 5, false, 1));
    expect(w.watermark().time).toBe(T + 10 * MIN);
  });

  it('waits for a partition count that grows (a new member topic)', () => {
    const w = new UpstreamWatermarks();
    w.note(mark('a/0', 10, false, 1));
    expect(w.watermark().time).toBe(T + 10 * MIN);
    w.note(mark('a/0', 11, false, 2));
    expect(w.watermark().time).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('mergeWatermarks', () => {
  it('takes the slowest partition; all idle only when each is', () => {
    const idle = { time: T + 50 * MIN, allIdle: true, end: T + 55 * MIN };
    expect(mergeWatermarks([])).toEqual({ time: Number.NEGATIVE_INFINITY, allIdle: false });
    expect(mergeWatermarks([{ time: T, allIdle: false }, idle])).toEqual({
      time: T,
      allIdle: false,
    });
    expect(
      mergeWatermarks([idle, { time: T + 40 * MIN, allIdle: true, end: T + 60 * MIN }]),
    ).toEqual({ time: T + 50 * MIN, allIdle: true, end: T + 60 * MIN });
    expect(
      mergeWatermarks([
        { time: Number.NEGATIVE_INFINITY, allIdle: false },
        { time: T, allIdle: false },
      ]).time,
    ).toBe(Number.NEGATIVE_INFINITY);
  });
});
