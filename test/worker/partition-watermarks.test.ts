import { describe, expect, it } from 'vitest';
import { PartitionWatermarks } from '../../src/worker/partition-watermarks.js';

const T0 = Date.UTC(2024, 5, 1);
const notAtEnd = () => false;
const atEnd = () => true;

/** `ahead` with the watermark of the same moment, as the worker calls it. */
function aheadOf(
  w: PartitionWatermarks,
  maxAheadMs: number,
  nowWallMs: number,
  atEnd: (topic: string, partition: number) => boolean,
): { topic: string; partition: number }[] {
  return w.ahead(maxAheadMs, w.watermark(nowWallMs, atEnd), nowWallMs);
}

function feed(w: PartitionWatermarks, topic: string, times: number[], wallMs: number): void {
  const clock = w.clock(topic, 0, wallMs);
  for (const t of times) clock.note(t);
}

describe('PartitionWatermarks', () => {
  it('is the slowest partition, and -Infinity while one has no data', () => {
    const w = new PartitionWatermarks(5000);
    w.assign('a', 0, 0);
    w.assign('b', 0, 0);
    feed(w, 'a', [T0 + 1000, T0 + 2000, T0 + 3000], 0);
    expect(w.watermark(100, notAtEnd).time).toBe(Number.NEGATIVE_INFINITY);
    feed(w, 'b', [T0 + 100_000, T0 + 200_000, T0 + 300_000], 100);
    expect(w.watermark(200, notAtEnd)).toEqual({ time: T0 + 2000, allIdle: false });
  });

  it('lets a caught-up, quiet partition stop holding the others back', () => {
    const w = new PartitionWatermarks(5000);
    w.assign('empty', 0, 0);
    feed(w, 'busy', [T0, T0 + 60_000, T0 + 120_000], 1000);
    const endOfEmpty = (topic: string) => topic === 'empty';
    // Quiet for less than the idle time: still holding.
    expect(w.watermark(4000, endOfEmpty).time).toBe(Number.NEGATIVE_INFINITY);
    // Not at its end (data may be on the way): still holding, however long.
    expect(w.watermark(60_000, notAtEnd).time).toBe(Number.NEGATIVE_INFINITY);
    expect(w.watermark(5000, endOfEmpty)).toEqual({ time: T0 + 60_000, allIdle: false });
  });

  it('when every partition is idle, is the furthest one (the end of what was written)', () => {
    const w = new PartitionWatermarks(1000);
    feed(w, 'a', [T0, T0 + 10_000, T0 + 20_000], 0);
    feed(w, 'b', [T0 + 500_000, T0 + 600_000, T0 + 700_000], 0);
    expect(w.watermark(999, atEnd).allIdle).toBe(false);
    expect(w.watermark(1000, atEnd)).toEqual({
      time: T0 + 600_000,
      allIdle: true,
      end: T0 + 700_000,
    });
    // New data wakes a partition up.
    feed(w, 'a', [T0 + 30_000], 2000);
    expect(w.watermark(2500, atEnd)).toEqual({ time: T0 + 20_000, allIdle: false });
  });

  it("when every partition is idle, ends at a thin partition's tail, not at a row stamped far ahead", () => {
    const w = new PartitionWatermarks(1000, 600_000);
    // A thin feed: a report every 5 min for an hour; its median lags its newest by half an hour.
    const thin = Array.from({ length: 13 }, (_, i) => T0 + i * 300_000);
    feed(w, 'thin', thin, 0);
    // A dense feed that ended earlier, with one row stamped 3 h ahead among its last.
    const dense = Array.from({ length: 100 }, (_, i) => T0 + i * 10_000);
    feed(w, 'dense', [...dense, T0 + 3 * 3600_000], 0);
    const mark = w.watermark(1000, atEnd);
    expect(mark.allIdle).toBe(true);
    expect(mark.time).toBe(T0 + 6 * 300_000);
    expect(mark.end).toBe(T0 + 12 * 300_000);
    // With every step over the gap, the run ends at the median.
    const strict = new PartitionWatermarks(1000, 60_000);
    feed(strict, 'thin', thin, 0);
    expect(strict.watermark(1000, atEnd).end).toBe(T0 + 6 * 300_000);
  });

  it('forgets revoked partitions', () => {
    const w = new PartitionWatermarks(1000);
    w.assign('slow', 0, 0);
    feed(w, 'fast', [T0 + 5000], 0);
    expect(w.watermark(10, notAtEnd).time).toBe(Number.NEGATIVE_INFINITY);
    w.revoke('slow', 0);
    expect(w.size).toBe(1);
    expect(w.watermark(10, notAtEnd).time).toBe(T0 + 5000);
  });

  it('takes the median of recent times: one row stamped hours ahead does not jump it', () => {
    const w = new PartitionWatermarks(1000);
    feed(w, 'a', [T0, T0 + 1000, T0 + 10 * 3600_000, T0 + 2000, T0 + 3000], 0);
    expect(w.watermark(0, notAtEnd).time).toBe(T0 + 2000);
  });

  describe('ahead (partitions to pause until the others catch up)', () => {
    const names = (list: { topic: string }[]) => list.map((p) => p.topic).sort();

    it('names the partitions more than the limit beyond the slowest, never the slowest', () => {
      const w = new PartitionWatermarks(1000);
      feed(w, 'slow', [T0, T0 + 1000, T0 + 2000], 0);
      feed(w, 'near', [T0 + 100_000, T0 + 101_000, T0 + 102_000], 0);
      feed(w, 'far', [T0 + 900_000, T0 + 901_000, T0 + 902_000], 0);
      expect(names(aheadOf(w, 300_000, 0, notAtEnd))).toEqual(['far']);
      expect(names(aheadOf(w, 50_000, 0, notAtEnd))).toEqual(['far', 'near']);
      // Exactly at the limit is not beyond it.
      expect(names(aheadOf(w, 99_000, 0, notAtEnd))).toEqual(['far', 'near']);
      expect(names(aheadOf(w, 100_000, 0, notAtEnd))).toEqual(['far']);
      // The slow one overtakes: the next slowest is the measure, and pauses it in turn.
      feed(w, 'slow', [T0 + 700_000, T0 + 700_000, T0 + 700_000, T0 + 700_000], 10);
      expect(names(aheadOf(w, 300_000, 10, notAtEnd))).toEqual(['far', 'slow']);
      expect(aheadOf(w, 800_000, 10, notAtEnd)).toEqual([]);
    });

    it('while a partition has given nothing, stops every partition maxAhead into its input', () => {
      const w = new PartitionWatermarks(1000);
      w.assign('empty', 0, 0);
      feed(w, 'a', [T0, T0, T0], 0);
      feed(w, 'b', [T0 + 600_000, T0 + 600_000, T0 + 600_000], 0);
      expect(w.watermark(0, notAtEnd).time).toBe(Number.NEGATIVE_INFINITY);
      expect(names(aheadOf(w, 300_000, 0, notAtEnd))).toEqual(['b']);
      // Nothing can be fused yet: the slowest with data stops too, from where the input began.
      feed(w, 'a', [T0 + 400_000, T0 + 400_000, T0 + 400_000, T0 + 400_000], 10);
      expect(names(aheadOf(w, 300_000, 10, notAtEnd))).toEqual(['a', 'b']);
      // The empty partition goes idle: the watermark is 'a', which may read on; 'b' too.
      const emptyAtEnd = (topic: string) => topic === 'empty';
      expect(w.watermark(1000, emptyAtEnd).time).toBe(T0 + 400_000);
      expect(aheadOf(w, 300_000, 1000, emptyAtEnd)).toEqual([]);
    });

    it('once the watermark has started, a new empty partition makes them wait from the last one', () => {
      const w = new PartitionWatermarks(1000);
      // Two hours of live input: where it began is long past.
      feed(w, 'live', [T0, T0, T0], 0);
      feed(w, 'other', [T0, T0, T0], 0);
      expect(aheadOf(w, 300_000, 0, notAtEnd)).toEqual([]);
      feed(w, 'live', Array<number>(300).fill(T0 + 7_200_000), 0);
      feed(w, 'other', Array<number>(300).fill(T0 + 7_190_000), 0);
      expect(w.watermark(0, notAtEnd).time).toBe(T0 + 7_190_000);
      // A member's new topic appears (no data yet): nothing can be fused until it delivers or
      // goes idle, but feeds near the last watermark read on; one far beyond it waits.
      w.assign('new', 0, 10);
      feed(w, 'backlog', [T0 + 9_000_000, T0 + 9_000_000, T0 + 9_000_000], 10);
      expect(w.watermark(20, notAtEnd).time).toBe(Number.NEGATIVE_INFINITY);
      expect(names(aheadOf(w, 300_000, 20, notAtEnd))).toEqual(['backlog']);
    });

    it('does not measure from an idle partition, and pauses none when all are idle', () => {
      const w = new PartitionWatermarks(1000);
      feed(w, 'done', [T0, T0, T0], 0);
      feed(w, 'a', [T0 + 600_000, T0 + 600_000, T0 + 600_000], 5000);
      feed(w, 'b', [T0 + 1_200_000, T0 + 1_200_000, T0 + 1_200_000], 5000);
      const doneAtEnd = (topic: string) => topic === 'done';
      // 'done' is caught up and quiet: the slowest that counts is 'a'.
      expect(names(aheadOf(w, 300_000, 5000, doneAtEnd))).toEqual(['b']);
      // Not yet quiet for the idle time: 'done' still holds, and both others are ahead of it.
      expect(names(aheadOf(w, 300_000, 500, doneAtEnd))).toEqual(['a', 'b']);
      expect(aheadOf(w, 300_000, 10_000, atEnd)).toEqual([]);
    });
    it('restarts the quiet time of a partition it stops holding, and after a pause of all', () => {
      const w = new PartitionWatermarks(1000);
      feed(w, 'slow', [T0, T0, T0], 0);
      feed(w, 'fast', [T0 + 900_000, T0 + 900_000, T0 + 900_000], 0);
      expect(names(aheadOf(w, 300_000, 0, notAtEnd))).toEqual(['fast']);
      // 'slow' catches up (at 50 s) and, at the next look (60 s), 'fast' is let go. Not read for
      // 60 s is not quiet for 60 s: it is not idle until the idle time has passed since then.
      feed(w, 'slow', [T0 + 800_000, T0 + 800_000, T0 + 800_000, T0 + 800_000], 50_000);
      expect(aheadOf(w, 300_000, 60_000, notAtEnd)).toEqual([]);
      expect(w.watermark(60_500, atEnd)).toEqual({ time: T0 + 900_000, allIdle: false });
      expect(w.watermark(61_000, atEnd).allIdle).toBe(true);
      // Backpressure paused everything for 30 s: after `resumed`, nothing is idle at once.
      w.resumed(100_000);
      expect(w.watermark(100_500, atEnd).allIdle).toBe(false);
      expect(w.watermark(101_000, atEnd).allIdle).toBe(true);
    });
  });
});
