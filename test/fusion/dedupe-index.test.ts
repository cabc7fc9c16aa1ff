import { describe, expect, it } from 'vitest';
import { DedupeIndex } from '../../src/fusion/dedupe-index.js';
import type { Report } from '../../src/fusion/report.js';

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

  it('tells apart transmissions whose primary keys collide (overflow map)', () => {
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
});
