import { describe, expect, it } from 'vitest';
import { identityConflictDetector } from '../../src/detect/identity-conflict.js';
import { positionJumpDetector } from '../../src/detect/position-jump.js';
import { destination } from '../../src/geo/geodesy.js';
import { DEFAULT_CORE_CONFIG } from '../../src/pipeline/core-config.js';
import { CoreHarness, HOUR, MINUTE, T0 } from '../support/core-harness.js';

const MMSI = 636012345;
const KNOT = 1852 / 3600;

/** Position of a vessel that left (lat, 10°E) at T0 steaming east at `knots`, at `time`. */
function at(lat: number, knots: number, time: number): { lat: number; lon: number } {
  return destination(lat, 10, 90, knots * KNOT * ((time - T0) / 1000), { lat: 0, lon: 0 });
}

/**
 * One MMSI used by two vessels 100 km apart (55°N and 55.9°N, both at 10 kn): A reports at even
 * minutes, B at odd ones, from `from` to `until`; vessel A's reports are heard by `alpha`, B's by
 * `bravo`.
 */
function shared(h: CoreHarness, from: number, until: number, everyMs = MINUTE): void {
  for (let time = from, i = 0; time < until; time += everyMs, i++) {
    const vesselB = i % 2 === 1;
    const p = at(vesselB ? 55.9 : 55, 10, time);
    h.fix({ mmsi: MMSI, time, ...p, member: vesselB ? 'bravo' : 'alpha' });
  }
}

/** Vessel A alone, one fix per `everyMs`. */
function alone(h: CoreHarness, from: number, until: number, everyMs = MINUTE): void {
  for (let time = from; time < until; time += everyMs) {
    h.fix({ mmsi: MMSI, time, ...at(55, 10, time), member: 'alpha' });
  }
}

describe('identity_conflict', () => {
  it('raises exactly one alert for an MMSI alternating between two vessels for an hour', () => {
    const h = new CoreHarness([positionJumpDetector(), identityConflictDetector()]);
    shared(h, T0, T0 + HOUR);
    h.advanceTo(T0 + HOUR);

    const conflicts = h.alertsOf('identity_conflict');
    expect(conflicts).toHaveLength(1);
    const conflict = conflicts[0]!;
    // Alternations at minutes 1, 2, 3, 4: the 4th in the window opens it, starting at the 1st.
    expect(conflict).toMatchObject({
      kind: 'identity_conflict',
      mmsi: MMSI,
      start: T0 + MINUTE,
      end: undefined,
      sources: ['alpha', 'bravo'],
      revision: 1,
      rule: {
        name: 'identity_conflict',
        version: 1,
        thresholds: { minAlternations: 4, windowSeconds: 3600, minFixesPerTrack: 2 },
      },
    });
    // Both positions: track 1 is vessel A's (55°N), track 2 vessel B's (55.9°N), at minutes 4, 3.
    expect(conflict.detail.track1Lat).toBeCloseTo(at(55, 10, T0 + 4 * MINUTE).lat, 9);
    expect(conflict.detail.track1Lon).toBeCloseTo(at(55, 10, T0 + 4 * MINUTE).lon, 9);
    expect(conflict.detail.track2Lat).toBeCloseTo(at(55.9, 10, T0 + 3 * MINUTE).lat, 9);
    expect(conflict.detail.track2At).toBe(new Date(T0 + 3 * MINUTE).toISOString());
    expect(conflict.detail.separationMeters).toBeGreaterThan(99_000);
    expect(conflict.detail.separationMeters).toBeLessThan(101_000);
    expect(h.core.tracks.get(MMSI)!.identityConflictOpen).toBe(true);

    // No storm of jumps: at most one before the conflict opened, none after.
    const jumps = h.alertsOf('position_jump');
    expect(jumps.length).toBeLessThanOrEqual(1);
    for (const jump of jumps) expect(jump.start).toBeLessThanOrEqual(T0 + 4 * MINUTE);
  });

  it('closes the alert once only one vessel has been seen for a window', () => {
    const h = new CoreHarness([identityConflictDetector()]);
    shared(h, T0, T0 + HOUR);
    alone(h, T0 + HOUR, T0 + 3 * HOUR);
    h.finish();

    const [conflict] = h.alertsOf('identity_conflict');
    expect(h.alertsOf('identity_conflict')).toHaveLength(1);
    // The last alternation: B's last fix at minute 59 and A's at minute 60.
    expect(conflict).toMatchObject({ start: T0 + MINUTE, end: T0 + HOUR, revision: 2 });
    expect(conflict!.detail.alternations).toBe(60);
    expect(h.revisions.map((r) => r.revision)).toEqual([1, 2]);
    expect(h.core.tracks.get(MMSI)!.identityConflictOpen).toBe(false);
  });

  it('closes on the watermark when the MMSI falls silent altogether', () => {
    const h = new CoreHarness([identityConflictDetector()]);
    shared(h, T0, T0 + 30 * MINUTE);
    // The last alternation is at minute 29: the alert closes when the watermark passes 89.
    h.advanceTo(T0 + 88 * MINUTE);
    expect(h.alertsOf('identity_conflict')[0]?.end).toBeUndefined();
    h.advanceTo(T0 + 90 * MINUTE);
    expect(h.alertsOf('identity_conflict')[0]?.end).toBe(T0 + 29 * MINUTE);
  });

  it('opens a new alert for a new conflict after the first closed', () => {
    const h = new CoreHarness([identityConflictDetector()]);
    shared(h, T0, T0 + HOUR);
    alone(h, T0 + HOUR, T0 + 3 * HOUR);
    shared(h, T0 + 3 * HOUR, T0 + 4 * HOUR);
    h.finish();
    const conflicts = h.alertsOf('identity_conflict');
    expect(conflicts).toHaveLength(2);
    expect(new Set(conflicts.map((c) => c.id)).size).toBe(2);
  });

  it('does not flag a single glitch, nor two glitches to different places within the window', () => {
    const h = new CoreHarness([identityConflictDetector()]);
    const glitches = new Map([
      [10, { lat: 56.5, lon: 11 }],
      [30, { lat: 54, lon: 8 }],
    ]);
    for (let i = 0; i < 60; i++) {
      const time = T0 + i * MINUTE;
      h.fix({ mmsi: MMSI, time, ...(glitches.get(i) ?? at(55, 10, time)) });
    }
    h.finish();
    expect(h.alertsOf('identity_conflict')).toEqual([]);
  });

  it('does not flag a fast vessel (45 kn) nor one reappearing far away after hours', () => {
    const h = new CoreHarness([identityConflictDetector()]);
    for (let i = 0; i < 60; i++)
      h.fix({ mmsi: MMSI, time: T0 + i * 2 * MINUTE, ...at(55, 45, T0 + i * 2 * MINUTE) });
    h.fix({ mmsi: MMSI, time: T0 + 12 * HOUR, lat: 57, lon: 12 });
    h.finish();
    expect(h.alertsOf('identity_conflict')).toEqual([]);
  });

  it('does not count alternations spread wider than the window', () => {
    const h = new CoreHarness([identityConflictDetector()]);
    // Vessel B shows up for one fix every 90 minutes: 2 alternations per visit, never 4 per hour.
    for (let i = 0; i < 8 * 60; i++) {
      const time = T0 + i * MINUTE;
      const p = i % 90 === 45 ? at(55.9, 10, time) : at(55, 10, time);
      h.fix({ mmsi: MMSI, time, ...p });
    }
    h.finish();
    expect(h.alertsOf('identity_conflict')).toEqual([]);
  });

  it('flags a second vessel that reports rarely but within the window', () => {
    const h = new CoreHarness([identityConflictDetector()]);
    // B every 10 minutes, A every minute in between.
    for (let i = 0; i < 60; i++) {
      const time = T0 + i * MINUTE;
      const p = i % 10 === 5 ? at(55.9, 10, time) : at(55, 10, time);
      h.fix({ mmsi: MMSI, time, ...p });
    }
    h.finish();
    const conflicts = h.alertsOf('identity_conflict');
    expect(conflicts).toHaveLength(1);
    // Alternations at 5, 6, 15, 16: B seen twice by minute 15, the 4th alternation at 16.
    expect(conflicts[0]!.start).toBe(T0 + 5 * MINUTE);
  });

  it('uses the configured number of alternations and window', () => {
    const config = {
      ...DEFAULT_CORE_CONFIG,
      identityConflict: { minAlternations: 10, windowSeconds: 600 },
    };
    const h = new CoreHarness([identityConflictDetector(config)], { config });
    shared(h, T0, T0 + 9 * MINUTE); // 8 alternations
    h.advanceTo(T0 + 9 * MINUTE);
    expect(h.alertsOf('identity_conflict')).toEqual([]);
    shared(h, T0 + 9 * MINUTE, T0 + 12 * MINUTE);
    h.finish();
    const [conflict] = h.alertsOf('identity_conflict');
    expect(conflict?.rule.thresholds).toMatchObject({ minAlternations: 10, windowSeconds: 600 });
    expect(() =>
      identityConflictDetector({
        ...config,
        identityConflict: { minAlternations: 1, windowSeconds: 600 },
      }),
    ).toThrow(/minAlternations must be an integer ≥ 2: 1/);
  });

  it('forgets a calm vessel: its state is dropped a window after its last alternation', () => {
    const h = new CoreHarness([identityConflictDetector()]);
    h.fix({ mmsi: MMSI, time: T0, lat: 55, lon: 10 });
    h.fix({ mmsi: MMSI, time: T0 + MINUTE, lat: 56, lon: 10 });
    h.fix({ mmsi: MMSI, time: T0 + 2 * MINUTE, lat: 55, lon: 10 });
    h.advanceTo(T0 + 2 * MINUTE);
    const track = h.core.tracks.get(MMSI)!;
    expect(track.slots[0]).toBeDefined();
    h.fix({ mmsi: MMSI, time: T0 + 2 * HOUR, lat: 55, lon: 10 });
    h.finish();
    expect(track.slots[0]).toBeUndefined();
  });
});
