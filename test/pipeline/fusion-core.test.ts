import { describe, expect, it } from 'vitest';
import { CoreHarness, HOUR, MINUTE, T0 } from '../support/core-harness.js';

describe('FusionCore: dedupe, provenance and fusion', () => {
  it('merges the same transmission heard by three feeds within 30 s into one report', () => {
    const h = new CoreHarness([]);
    const base = {
      mmsi: 257_012_345,
      lat: 60,
      lon: 5,
      sogKnots: 10,
      cogDegrees: 90,
      payloadHash: 42,
    };
    h.fix({ ...base, time: T0, member: 'no', station: 'n1' });
    h.fix({ ...base, time: T0 + 12_000, member: 'ca', station: 'c1' });
    h.fix({ ...base, time: T0 - 5_000, member: 'au', station: 'a1' }); // heard earlier, arrived later
    h.finish();
    const track = h.core.tracks.get(257_012_345)!;
    expect(track.reportCount).toBe(1);
    expect(h.core.stats.duplicates).toBe(2);
    expect(h.core.members.idsOf(track.sourceSet)).toEqual(['au', 'ca', 'no']);
    // The report's event time is the earliest receive time.
    expect(track.fixTime).toBe(T0 - 5_000);
  });

  it('finish with a fuse limit leaves a report stamped beyond it queued (a bad clock, live)', () => {
    const h = new CoreHarness([]);
    h.fix({ mmsi: 257_000_001, time: T0, lat: 60, lon: 5 });
    h.fix({ mmsi: 257_000_001, time: T0 + 400, lat: 60.001, lon: 5 });
    h.fix({ mmsi: 257_000_002, time: T0 + 5 * HOUR, lat: 61, lon: 5 });
    h.core.finish(T0, T0 + 10 * MINUTE);
    expect(h.core.tracks.get(257_000_001)?.reportCount).toBe(2);
    expect(h.core.tracks.has(257_000_002)).toBe(false);
    expect(h.core.queuedReports).toBe(1);
    expect(h.core.releasedUntil).toBe(T0 + 400);
    h.core.finish();
    expect(h.core.tracks.has(257_000_002)).toBe(true);
    expect(h.core.queuedReports).toBe(0);
  });

  it('counts the same payload 31 s apart as two reports (outside the dedupe window)', () => {
    const h = new CoreHarness([]);
    const base = { mmsi: 257_012_345, lat: 60, lon: 5, payloadHash: 7 };
    h.fix({ ...base, time: T0, member: 'no' });
    h.fix({ ...base, time: T0 + 31_000, member: 'ca' });
    h.finish();
    expect(h.core.tracks.get(257_012_345)!.reportCount).toBe(2);
  });

  it('fuses in event-time order whatever the arrival order, and never moves a track back', () => {
    const inOrder = new CoreHarness([]);
    const shuffled = new CoreHarness([]);
    const fixes = [0, 1, 2, 3, 4].map((i) => ({
      mmsi: 366_123_456,
      time: T0 + i * MINUTE,
      lat: 25 + i * 0.01,
      lon: -80,
      payloadHash: 100 + i,
    }));
    for (const f of fixes) inOrder.fix(f);
    for (const i of [2, 0, 4, 1, 3]) shuffled.fix(fixes[i]!);
    inOrder.finish();
    shuffled.finish();
    const a = inOrder.core.tracks.get(366_123_456)!;
    const b = shuffled.core.tracks.get(366_123_456)!;
    expect(b.lat).toBeCloseTo(25.04);
    expect([b.lat, b.fixTime, b.reportCount]).toEqual([a.lat, a.fixTime, a.reportCount]);
  });

  it('fuses a report that is late beyond the watermark without moving the track', () => {
    const h = new CoreHarness([]);
    h.fix({ mmsi: 1, time: T0 + HOUR, lat: 10, lon: 10, payloadHash: 1 });
    h.advanceTo(T0 + HOUR);
    h.fix({ mmsi: 1, time: T0, lat: 11, lon: 11, payloadHash: 2 });
    h.finish();
    const track = h.core.tracks.get(1)!;
    expect(track.lat).toBe(10);
    expect(track.reportCount).toBe(2);
    expect(h.core.stats.late).toBe(1);
    expect(h.core.stats.outOfOrderFixes).toBe(1);
  });

  it('keeps static data from type 5 and ignores a (0, 0) position', () => {
    const h = new CoreHarness([]);
    h.fix({ mmsi: 5, time: T0, lat: 0, lon: 0 });
    h.staticData(5, T0 + 1000, { shipName: 'EVER DIADEM', imo: 9134270, draught: 12.2 });
    h.finish();
    const track = h.core.tracks.get(5)!;
    expect(track.hasFix()).toBe(false);
    expect(h.core.stats.invalidPositions).toBe(1);
    expect([track.shipName, track.imo, track.draught]).toEqual(['EVER DIADEM', 9134270, 12.2]);
  });
});

describe('FusionCore: state eviction', () => {
  it('forgets a vessel silent longer than forgetVesselAfterSeconds, and tells the detectors', () => {
    const evicted: number[] = [];
    const h = new CoreHarness(
      [() => ({ name: 'spy', onEvict: (track) => evicted.push(track.mmsi) })],
      {
        config: { forgetVesselAfterSeconds: 3600 },
      },
    );
    h.fix({ mmsi: 1, time: T0, lat: 10, lon: 10 });
    for (let i = 0; i <= 12; i++) h.fix({ mmsi: 2, time: T0 + i * 10 * MINUTE, lat: 11, lon: 11 });
    h.advanceTo(T0 + 2 * HOUR);
    expect(evicted).toEqual([1]);
    expect(h.core.tracks.has(1)).toBe(false);
    expect(h.core.tracks.has(2)).toBe(true);
    expect(h.core.stats.evictedVessels).toBe(1);
  });
});
