import { describe, expect, it } from 'vitest';
import type { DetectorFactory } from '../../src/detect/detector.js';
import { identityConflictDetector } from '../../src/detect/identity-conflict.js';
import { positionJumpDetector } from '../../src/detect/position-jump.js';
import { zoneCrossingDetector } from '../../src/detect/zone-crossing.js';
import { boxZones } from '../support/box-zones.js';
import { CoreHarness, HOUR, MINUTE, T0 } from '../support/core-harness.js';

const MMSI = 219012345;

/**
 * A territorial sea (10–11°E, 55–56°N), a restricted area inside it shared only with two members
 * (10.5–10.6°E, 55.45–55.55°N), and a port away from both.
 */
const ZONES = boxZones(
  { id: 'dk-ts', name: 'Danish territorial sea', kind: 'territorial_sea', box: [10, 55, 11, 56] },
  {
    id: 'firing-range',
    name: 'Firing range',
    kind: 'restricted',
    members: ['dk-navy', 'se-cg'],
    box: [10.5, 55.45, 10.6, 55.55],
  },
  { id: 'aarhus', name: 'Aarhus', kind: 'port', box: [12, 55, 12.1, 55.1] },
);

function harness(...extra: DetectorFactory[]) {
  return new CoreHarness([zoneCrossingDetector(), ...extra], { zones: ZONES });
}

/** Fixes along 55.5°N from `fromLon` to `toLon`, one per minute, `stepLon` degrees apart. */
function sail(h: CoreHarness, fromLon: number, toLon: number, stepLon: number, start = T0): number {
  let time = start;
  const steps = Math.round((toLon - fromLon) / stepLon);
  for (let i = 0; i <= steps; i++, time += MINUTE) {
    h.fix({ mmsi: MMSI, time, lat: 55.5, lon: fromLon + i * stepLon });
  }
  return time;
}

const zoneAlerts = (h: CoreHarness) => [...h.alertsOf('zone_entry'), ...h.alertsOf('zone_exit')];

describe('zone_entry and zone_exit', () => {
  it('takes the first fix inside as the initial zones, not an entry', () => {
    const h = harness();
    sail(h, 10.2, 10.4, 0.005); // inside the territorial sea from the first fix (~19 kn)
    h.finish();
    expect(zoneAlerts(h)).toEqual([]);
    expect(h.core.tracks.get(MMSI)!.zones).toEqual([0]);
  });

  it('raises an entry at the first fix inside and an exit at the first fix outside', () => {
    const h = harness();
    // West to east along 55.5°N: into the territorial sea at 10°E, through the firing range
    // (10.5–10.6°E), out of the territorial sea at 11°E. 0.005° a minute is about 19 kn.
    sail(h, 9.9, 11.1, 0.005);
    h.finish();
    const alerts = [...h.latest.values()];
    expect(alerts.map((a) => [a.kind, a.zoneId])).toEqual([
      ['zone_entry', 'dk-ts'],
      ['zone_entry', 'firing-range'],
      ['zone_exit', 'firing-range'],
      ['zone_exit', 'dk-ts'],
    ]);
    const [entry, rangeEntry, rangeExit, exit] = alerts;
    // 9.9 + 20 × 0.005 = 10.0: on the boundary, which is inside.
    expect(entry).toMatchObject({
      mmsi: MMSI,
      start: T0 + 20 * MINUTE,
      end: T0 + 20 * MINUTE,
      lat: 55.5,
      sources: ['alpha'],
      revision: 1,
      rule: { name: 'zone_crossing', version: 1 },
    });
    expect(entry!.lon).toBeCloseTo(10, 9);
    expect(entry!.detail).toMatchObject({
      zoneName: 'Danish territorial sea',
      zoneKind: 'territorial_sea',
      previousLat: 55.5,
      previousFixAt: new Date(T0 + 19 * MINUTE).toISOString(),
    });
    expect(entry!.detail.previousLon).toBeCloseTo(9.995, 9);
    expect(entry!.detail).not.toHaveProperty('zoneMembers');
    expect(rangeEntry!.detail).toMatchObject({
      zoneName: 'Firing range',
      zoneKind: 'restricted',
      zoneMembers: 'dk-navy,se-cg',
    });
    expect(rangeEntry!.start).toBe(T0 + 120 * MINUTE); // 10.5°E
    expect(rangeExit!.start).toBe(T0 + 141 * MINUTE); // first fix past 10.6°E
    expect(exit!.start).toBe(T0 + 221 * MINUTE); // first fix past 11°E
    expect(exit!.lon).toBeCloseTo(11.005, 9);
    // Distinct stable ids, each alert final when raised.
    expect(new Set(alerts.map((a) => a.id)).size).toBe(4);
    expect(h.revisions).toHaveLength(4);
  });

  it('gives the same ids on a re-run of the same data', () => {
    const ids = () => {
      const h = harness();
      sail(h, 9.9, 11.1, 0.005);
      h.finish();
      return [...h.latest.keys()];
    };
    expect(ids()).toEqual(ids());
  });

  it('reports a crossing after a silence at the first fix on the other side', () => {
    const h = harness();
    h.fix({ mmsi: MMSI, time: T0, lat: 55.5, lon: 9.5 });
    h.fix({ mmsi: MMSI, time: T0 + 5 * HOUR, lat: 55.2, lon: 10.7 });
    h.finish();
    const [entry] = h.alertsOf('zone_entry');
    expect(h.alertsOf('zone_entry')).toHaveLength(1);
    expect(entry).toMatchObject({ zoneId: 'dk-ts', start: T0 + 5 * HOUR });
    expect(entry!.detail).toMatchObject({ previousLat: 55.5, previousLon: 9.5 });
  });

  it('does not count a position glitch into a zone as an entry and an exit', () => {
    const h = harness(positionJumpDetector());
    for (let i = 0; i < 10; i++) h.fix({ mmsi: MMSI, time: T0 + i * MINUTE, lat: 55.5, lon: 9.5 });
    // One fix 70 km east, inside the firing range, then back.
    h.fix({ mmsi: MMSI, time: T0 + 10 * MINUTE, lat: 55.5, lon: 10.55 });
    for (let i = 11; i < 20; i++) h.fix({ mmsi: MMSI, time: T0 + i * MINUTE, lat: 55.5, lon: 9.5 });
    h.finish();
    expect(zoneAlerts(h)).toEqual([]);
    expect(h.alertsOf('position_jump')).toHaveLength(1);
  });

  it('counts a real relocation once the vessel is seen twice at the new place', () => {
    const h = harness();
    h.fix({ mmsi: MMSI, time: T0, lat: 55.5, lon: 9.5 });
    h.fix({ mmsi: MMSI, time: T0 + MINUTE, lat: 55.5, lon: 10.2 }); // a jump: not counted
    h.fix({ mmsi: MMSI, time: T0 + 2 * MINUTE, lat: 55.5, lon: 10.201 });
    h.finish();
    expect(zoneAlerts(h).map((a) => [a.kind, a.zoneId, a.start])).toEqual([
      ['zone_entry', 'dk-ts', T0 + 2 * MINUTE],
    ]);
  });

  it('counts every fix of a SAR aircraft (type 9): fast is not implausible for it', () => {
    const h = harness();
    // 0.05° of longitude a minute at 55.5°N is about 170 kn.
    for (let i = 0; i <= 32; i++) {
      h.fix({ mmsi: 111219123, time: T0 + i * MINUTE, lat: 55.5, lon: 9.5 + i * 0.05, type: 9 });
    }
    h.finish();
    expect(zoneAlerts(h).map((a) => [a.kind, a.zoneId, (a.start - T0) / MINUTE])).toEqual([
      ['zone_entry', 'dk-ts', 10],
      ['zone_entry', 'firing-range', 20],
      ['zone_exit', 'firing-range', 23],
      ['zone_exit', 'dk-ts', 31],
    ]);
  });

  it('makes no storm of crossings for an MMSI shared by a vessel inside and one outside', () => {
    const h = harness(identityConflictDetector());
    // Runs of two fixes each: A inside the territorial sea (55.5°N 10.3°E), B outside
    // (55.5°N 9°E, 82 km west), for two hours.
    for (let i = 0; i < 120; i++) {
      const lon = Math.floor(i / 2) % 2 === 0 ? 10.3 + i * 1e-4 : 9 + i * 1e-4;
      h.fix({ mmsi: MMSI, time: T0 + i * MINUTE, lat: 55.5, lon });
    }
    h.finish();
    const [conflict] = h.alertsOf('identity_conflict');
    expect(conflict).toBeDefined();
    // Alternations at minutes 2, 4, 6, 8: the conflict opens at 8. Before it, the second fix of
    // each run is plausible (exit at 3, entry at 5, exit at 7); after it, nothing.
    expect(conflict!.start).toBe(T0 + 2 * MINUTE);
    const crossings = zoneAlerts(h).map((a) => [a.kind, (a.start - T0) / MINUTE]);
    expect(crossings).toEqual([
      ['zone_entry', 5],
      ['zone_exit', 3],
      ['zone_exit', 7],
    ]);
  });

  it('does nothing without zones', () => {
    const h = new CoreHarness([zoneCrossingDetector()]);
    sail(h, 9.9, 11.1, 0.05);
    h.finish();
    expect(h.latest.size).toBe(0);
  });
});
