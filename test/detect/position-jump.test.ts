import { describe, expect, it } from 'vitest';
import { identityConflictDetector } from '../../src/detect/identity-conflict.js';
import { impliedSpeedKnots, isJump } from '../../src/detect/kinematics.js';
import { positionJumpDetector } from '../../src/detect/position-jump.js';
import { destination, distanceMeters } from '../../src/geo/geodesy.js';
import { DEFAULT_CORE_CONFIG } from '../../src/pipeline/core-config.js';
import { CoreHarness, HOUR, MINUTE, T0 } from '../support/core-harness.js';

const MMSI = 257012345;
const KNOT = 1852 / 3600;

/** A point `meters` from (lat, lon) on `bearing` degrees. */
function offset(lat: number, lon: number, bearing: number, meters: number): [number, number] {
  const p = destination(lat, lon, bearing, meters, { lat: 0, lon: 0 });
  return [p.lat, p.lon];
}

/** Fixes of a vessel steaming east at `knots`, one every `everyMs`, `count` of them from `start`. */
function steam(h: CoreHarness, knots: number, everyMs: number, count: number, start = T0): void {
  for (let i = 0; i < count; i++) {
    const [lat, lon] = offset(55, 10, 90, knots * KNOT * ((i * everyMs) / 1000));
    h.fix({ mmsi: MMSI, time: start + i * everyMs, lat, lon, sogKnots: knots });
  }
}

describe('isJump', () => {
  const t = DEFAULT_CORE_CONFIG.positionJump;

  it('needs both the distance and the implied speed over their thresholds', () => {
    const [lat, lon] = offset(55, 10, 0, 2500);
    expect(isJump(55, 10, T0, lat, lon, T0 + 60_000, t)).toBe(true); // 2.5 km in 1 min: 81 kn
    expect(isJump(55, 10, T0, lat, lon, T0 + 120_000, t)).toBe(false); // 40.5 kn
    const [nearLat, nearLon] = offset(55, 10, 0, 1900);
    expect(isJump(55, 10, T0, nearLat, nearLon, T0 + 1000, t)).toBe(false); // 3700 kn, 1.9 km
  });

  it('treats two places at the same instant as a jump, and the same place as none', () => {
    expect(isJump(55, 10, T0, 56, 10, T0, t)).toBe(true);
    expect(isJump(55, 10, T0, 55, 10, T0, t)).toBe(false);
    expect(impliedSpeedKnots(5000, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(impliedSpeedKnots(1852, 3_600_000)).toBeCloseTo(1, 9);
  });

  it('decides by great-circle distance across the antimeridian and near the pole', () => {
    // 0.02° of longitude at 89.9° N is a few metres, though the planar pre-test sees 2 km.
    expect(isJump(89.9, 10, T0, 89.9, 10.02, T0 + 1000, t)).toBe(false);
    expect(isJump(0, 179.999, T0, 0, -179.999, T0 + 1000, t)).toBe(false); // 220 m apart
  });
});

describe('position_jump', () => {
  it('does not flag a genuine fast vessel (45 kn), reporting every 2 min or every 10 s', () => {
    const h = new CoreHarness([positionJumpDetector()]);
    steam(h, 45, 2 * MINUTE, 60); // 2.8 km between fixes: over the distance, under the speed
    h.finish();
    expect(h.alertsOf('position_jump')).toEqual([]);
    const fast = new CoreHarness([positionJumpDetector()]);
    steam(fast, 45, 10_000, 200);
    fast.finish();
    expect(fast.alertsOf('position_jump')).toEqual([]);
  });

  it('leaves SAR aircraft (type 9) alone: 140 kn is their normal speed', () => {
    const h = new CoreHarness([positionJumpDetector(), identityConflictDetector()]);
    for (let i = 0; i < 30; i++) {
      const [lat, lon] = offset(55, 10, 90, 140 * KNOT * i * 60);
      h.fix({ mmsi: 111257123, time: T0 + i * MINUTE, lat, lon, type: 9 });
    }
    h.finish();
    expect([...h.latest.values()]).toEqual([]);
  });

  it('does not flag a 1.5 km glitch (an absurd speed, but under the distance)', () => {
    const h = new CoreHarness([positionJumpDetector()]);
    steam(h, 10, 10_000, 6);
    const [lat, lon] = offset(55, 10, 0, 1500);
    h.fix({ mmsi: MMSI, time: T0 + 60_000, lat, lon });
    steam(h, 10, 10_000, 6, T0 + 70_000);
    h.finish();
    expect(h.alertsOf('position_jump')).toEqual([]);
  });

  it('does not flag a vessel that reappears far away after a long silence', () => {
    const h = new CoreHarness([positionJumpDetector()]);
    h.fix({ mmsi: MMSI, time: T0, lat: 55, lon: 10 });
    const [lat, lon] = offset(55, 10, 45, 200_000); // 200 km in 10 h: 10.8 kn
    h.fix({ mmsi: MMSI, time: T0 + 10 * HOUR, lat, lon });
    h.finish();
    expect(h.alertsOf('position_jump')).toEqual([]);
  });

  it('raises exactly one jump for a single glitch: the return is not a second jump', () => {
    const h = new CoreHarness([positionJumpDetector()]);
    for (let i = 0; i < 5; i++) h.fix({ mmsi: MMSI, time: T0 + i * 10_000, lat: 55, lon: 10 });
    const [glitchLat, glitchLon] = offset(55, 10, 135, 20_000);
    h.fix({ mmsi: MMSI, time: T0 + 50_000, lat: glitchLat, lon: glitchLon, member: 'bravo' });
    for (let i = 6; i < 12; i++) h.fix({ mmsi: MMSI, time: T0 + i * 10_000, lat: 55, lon: 10 });
    h.finish();

    const jumps = h.alertsOf('position_jump');
    expect(jumps).toHaveLength(1);
    const jump = jumps[0]!;
    expect(jump).toMatchObject({
      kind: 'position_jump',
      mmsi: MMSI,
      start: T0 + 50_000,
      end: T0 + 50_000,
      lat: glitchLat,
      lon: glitchLon,
      sources: ['bravo'],
      revision: 1,
      rule: {
        name: 'position_jump',
        version: 1,
        thresholds: {
          minImpliedSpeedKnots: 50,
          minDistanceMeters: 2000,
          returnMemorySeconds: 3600,
        },
      },
    });
    expect(jump.detail).toEqual({
      distanceMeters: 20_000,
      elapsedSeconds: 10,
      impliedSpeedKnots: 3887.7, // 20 km in 10 s
      previousLat: 55,
      previousLon: 10,
      previousFixAt: new Date(T0 + 40_000).toISOString(),
    });
    // Only one revision: an instantaneous alert is final when raised.
    expect(h.revisions).toHaveLength(1);
  });

  it('raises one jump per glitch when glitches are hours apart', () => {
    const h = new CoreHarness([positionJumpDetector()]);
    const [aLat, aLon] = offset(55, 10, 0, 30_000);
    const [bLat, bLon] = offset(55, 10, 180, 30_000);
    for (let i = 0; i <= 30; i++) {
      const time = T0 + i * 10 * MINUTE;
      if (i === 5) h.fix({ mmsi: MMSI, time, lat: aLat, lon: aLon });
      else if (i === 25) h.fix({ mmsi: MMSI, time, lat: bLat, lon: bLon });
      else h.fix({ mmsi: MMSI, time, lat: 55, lon: 10 });
    }
    h.finish();
    expect(h.alertsOf('position_jump').map((a) => a.start)).toEqual([
      T0 + 50 * MINUTE,
      T0 + 250 * MINUTE,
    ]);
  });

  it('flags two places at the same instant, without an implied speed in the detail', () => {
    const h = new CoreHarness([positionJumpDetector()]);
    h.fix({ mmsi: MMSI, time: T0, lat: 55, lon: 10 });
    h.fix({ mmsi: MMSI, time: T0 + 10_000, lat: 55, lon: 10 });
    h.fix({ mmsi: MMSI, time: T0 + 10_000, lat: 55.5, lon: 10 });
    h.finish();
    const [jump] = h.alertsOf('position_jump');
    expect(jump?.detail.elapsedSeconds).toBe(0);
    expect(jump?.detail).not.toHaveProperty('impliedSpeedKnots');
  });

  it('uses the configured thresholds', () => {
    const config = {
      ...DEFAULT_CORE_CONFIG,
      positionJump: { minImpliedSpeedKnots: 30, minDistanceMeters: 2000 },
    };
    const h = new CoreHarness([positionJumpDetector(config)], { config });
    steam(h, 45, 2 * MINUTE, 3);
    h.finish();
    const jumps = h.alertsOf('position_jump');
    // A 45 kn vessel is too fast for a 30 kn rule: every fix is a jump.
    expect(jumps.map((a) => a.start)).toEqual([T0 + 2 * MINUTE, T0 + 4 * MINUTE]);
    expect(jumps[0]!.rule.thresholds.minImpliedSpeedKnots).toBe(30);
  });

  it('raises at most one jump for an MMSI shared by two vessels, and none once the conflict is open', () => {
    for (const detectors of [
      [positionJumpDetector()],
      [positionJumpDetector(), identityConflictDetector()],
      [identityConflictDetector(), positionJumpDetector()],
    ]) {
      const h = new CoreHarness(detectors);
      alternate(h, 60, MINUTE);
      h.finish();
      expect(h.alertsOf('position_jump')).toHaveLength(1);
    }
  });

  it('stays silent on a third place while the identity conflict is open', () => {
    const h = new CoreHarness([positionJumpDetector(), identityConflictDetector()]);
    alternate(h, 20, MINUTE);
    const [farLat, farLon] = offset(55, 10, 270, 300_000);
    h.fix({ mmsi: MMSI, time: T0 + 20 * MINUTE, lat: farLat, lon: farLon });
    h.finish();
    expect(h.alertsOf('identity_conflict')).toHaveLength(1);
    expect(h.alertsOf('position_jump')).toHaveLength(1);
    // Without the conflict detector the third place is a jump of its own.
    const alone = new CoreHarness([positionJumpDetector()]);
    alternate(alone, 20, MINUTE);
    alone.fix({ mmsi: MMSI, time: T0 + 20 * MINUTE, lat: farLat, lon: farLon });
    alone.finish();
    expect(alone.alertsOf('position_jump')).toHaveLength(2);
  });
});

/**
 * `count` fixes of one MMSI, every `everyMs`, alternating between two vessels 100 km apart (55°N
 * and 55.9°N), each steaming east at 10 kn.
 */
function alternate(h: CoreHarness, count: number, everyMs: number): void {
  for (let i = 0; i < count; i++) {
    const meters = 10 * KNOT * ((i * everyMs) / 1000);
    const [lat, lon] = offset(i % 2 === 0 ? 55 : 55.9, 10, 90, meters);
    h.fix({ mmsi: MMSI, time: T0 + i * everyMs, lat, lon });
  }
  expect(distanceMeters(55, 10, 55.9, 10)).toBeGreaterThan(99_000);
}
