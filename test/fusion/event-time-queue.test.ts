import { describe, expect, it } from 'vitest';
import { byEventTime, EventTimeQueue } from '../../src/fusion/event-time-queue.js';
import type { Report } from '../../src/fusion/report.js';
import { seededRandom } from '../support/seeded-random.js';

const report = (time: number, payloadHash: number): Report =>
  ({ time, payloadHash, mmsi: 1, queuedKey: -1 }) as Report;

describe('EventTimeQueue', () => {
  it('releases in event-time order up to the watermark, and calls later arrivals late', () => {
    const queue = new EventTimeQueue(1000);
    for (const [t, h] of [
      [5500, 1],
      [1200, 2],
      [1100, 3],
      [3000, 4],
    ] as const) {
      expect(queue.add(report(t, h))).toBe(true);
    }
    const out: number[] = [];
    queue.release(4000, (r) => out.push(r.time));
    expect(out).toEqual([1100, 1200, 3000]);
    expect(queue.add(report(3999, 5))).toBe(false); // its bucket is gone: late
    expect(queue.add(report(4100, 6))).toBe(true);
    queue.drain((r) => out.push(r.time));
    expect(out).toEqual([1100, 1200, 3000, 4100, 5500]);
    expect(queue.size).toBe(0);
  });

  it('requeues a report whose time moved earlier', () => {
    const queue = new EventTimeQueue(1000);
    const r = report(9000, 1);
    queue.add(r);
    queue.add(report(5000, 2));
    r.time = 4000;
    expect(queue.moved(r)).toBe(true);
    const out: number[] = [];
    queue.drain((x) => out.push(x.time));
    expect(out).toEqual([4000, 5000]);
  });

  it('a report moved into the released range is late once: not handed out again, not counted twice (issue 16)', () => {
    // The bug: moved() lowered the count, add() refused the late time and left the report in its
    // old bucket with its old key, so release handed it out a second time and lowered the count
    // again — the release loop then stopped early and a later report stayed queued, uncounted.
    const queue = new EventTimeQueue(1000);
    const moving = report(100_000, 1);
    queue.add(moving);
    queue.add(report(10_000, 2));
    const out: number[] = [];
    queue.release(95_000, (r) => out.push(r.time));
    expect(out).toEqual([10_000]);
    moving.time = 90_000; // a copy heard earlier, in the released range
    expect(queue.moved(moving)).toBe(false); // late: the caller fuses it now
    expect(queue.size).toBe(0);
    queue.add(report(105_000, 3));
    queue.add(report(106_000, 4));
    expect(queue.size).toBe(2);
    queue.release(200_000, (r) => out.push(r.time));
    expect(out).toEqual([10_000, 105_000, 106_000]);
    expect(queue.size).toBe(0);
  });

  it('hands a busy bucket out in exactly the comparator order (ties, sub-ms times, signed hashes)', () => {
    const random = seededRandom(7);
    const queue = new EventTimeQueue(1000);
    const reports: Report[] = [];
    for (let i = 0; i < 20_000; i++) {
      // Second-resolution tag blocks put thousands of reports on one millisecond.
      const time =
        7000 + (random() < 0.5 ? 0 : Math.floor(random() * 1000) + (random() < 0.1 ? 0.5 : 0));
      const hash = Math.floor(random() * 64) * (random() < 0.5 ? 1 : 2 ** 26);
      const r = {
        time,
        payloadHash: random() < 0.5 ? hash | 0 : hash >>> 0,
        mmsi: 1 + Math.floor(random() * 3),
        queuedKey: -1,
      } as Report;
      reports.push(r);
      queue.add(r);
    }
    const out: Report[] = [];
    queue.release(8000, (r) => out.push(r));
    expect(out.length).toBe(reports.length);
    const expected = [...reports].sort(byEventTime);
    for (let i = 0; i < out.length; i++) expect(byEventTime(out[i]!, expected[i]!)).toBe(0);
    for (let i = 1; i < out.length; i++)
      expect(byEventTime(out[i - 1]!, out[i]!)).toBeLessThanOrEqual(0);
  });
});
