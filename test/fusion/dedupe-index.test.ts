import { describe, expect, it } from 'vitest';
import { DedupeIndex } from '../../src/fusion/dedupe-index.js';
import type { Report } from '../../src/fusion/report.js';
import { seededRandom } from '../support/seeded-random.js';

const report = (time: number, payloadHash: number, payloadCheck: number, mmsi = 1): Report =>
  ({ time, payloadHash, payloadCheck, mmsi }) as Report;

describe('DedupeIndex', () => {
  it('matches the same transmission within the window only', () => {
    const index = new DedupeIndex(30_000);
    const first = report(1000, 77, 88);
    expect(index.match(first)).toBeUndefined();
    expect(index.match(report(20_000, 77, 88))).toBe(first);
    expect(index.match(report(40_000, 77, 88))).toBeUndefined(); // 39 s later: new
  });

  it('tells apart transmissions whose keys collide', () => {
    const index = new DedupeIndex(30_000);
    const a = report(1000, 0x40000005, 1);
    const b = report(1000, 0x00000005, 2); // same low 30 bits, another transmission
    expect(index.match(a)).toBeUndefined();
    expect(index.match(b)).toBeUndefined();
    expect(index.match(report(2000, 0x40000005, 1))).toBe(a);
    expect(index.match(report(2000, 0x00000005, 2))).toBe(b);
    expect(index.match(report(2000, 0x00000005, 2, 999))).toBeUndefined(); // other MMSI
  });

  it('forgets reports older than the window', () => {
    const index = new DedupeIndex(30_000);
    index.match(report(1000, 5, 5));
    index.match(report(50_000, 6, 6));
    index.expire(40_000);
    expect(index.size).toBe(1);
  });

  it('expires by event time, whatever the arrival order', () => {
    const index = new DedupeIndex(30_000);
    // The first report to arrive is stamped an hour ahead (a bad clock, a partition read ahead):
    // it must not keep the ones after it.
    index.match(report(3_600_000, 1, 1));
    for (let i = 0; i < 100; i++) index.match(report(1000 + i * 100, 10 + i, 1));
    index.match(report(55_000, 500, 1));
    index.expire(40_000); // forgets everything before 10 s
    expect(index.size).toBe(2 + 100 - 90);
    index.expire(80_000);
    expect(index.size).toBe(2);
    // A report stamped years back is expired at the next move, without a walk over the years.
    index.match(report(-50 * 365 * 86_400_000, 7, 7));
    expect(index.size).toBe(3);
    index.expire(80_001);
    expect(index.size).toBe(2);
    index.expire(3_700_000);
    expect(index.size).toBe(0);
  });

  it('agrees with a plain model through growth, collisions and expiry (200 k seeded reports)', () => {
    const random = seededRandom(11);
    const windowMs = 30_000;
    const index = new DedupeIndex(windowMs);
    // The model: the latest report of each transmission, expired by its time.
    const latest = new Map<string, Report>();
    const id = (r: Report) => `${r.payloadHash} ${r.payloadCheck} ${r.mmsi}`;
    let time = 0;
    let matches = 0;
    for (let n = 0; n < 200_000; n++) {
      time += Math.floor(random() * 40);
      // A small hash space: many transmissions share a key, some repeat after the window.
      const hash = Math.floor(random() * 3000) * (random() < 0.5 ? 1 : 2 ** 20) + 1;
      const r = report(
        time - Math.floor(random() * 5000),
        hash | 0,
        Math.floor(random() * 3),
        1 + Math.floor(random() * 2),
      );
      const found = index.match(r);
      const prior = latest.get(id(r));
      const expected =
        prior !== undefined && Math.abs(prior.time - r.time) <= windowMs ? prior : undefined;
      expect(found).toBe(expected);
      if (expected === undefined) latest.set(id(r), r);
      else matches++;
      if (n % 1000 === 999) {
        const watermark = time - 10_000;
        index.expire(watermark);
        for (const [key, kept] of latest) {
          if (kept.time < watermark - windowMs) latest.delete(key);
        }
        expect(index.size).toBe(latest.size);
      }
    }
    expect(matches).toBeGreaterThan(5000);
    expect(index.size).toBeGreaterThan(1000);
    // Traffic stops: everything expires and the table shrinks, and still works.
    index.expire(time + 10 * windowMs);
    expect(index.size).toBe(0);
    const again = report(time + 10 * windowMs, 42, 1);
    expect(index.match(again)).toBeUndefined();
    expect(index.match(report(time + 10 * windowMs + 5, 42, 1))).toBe(again);
  });
});
