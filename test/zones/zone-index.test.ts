import { booleanPointInPolygon, multiPolygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { bboxOf, type Zone, type ZoneKind, type ZonePolygon } from '../../src/zones/zone.js';
import { ZoneIndex } from '../../src/zones/zone-index.js';
import { seededRandom } from '../support/seeded-random.js';
import { noisyStar, pointsNearEdges, uniformPoints } from './random-polygons.js';

function zone(index: number, id: string, kind: ZoneKind, polygons: readonly ZonePolygon[]): Zone {
  return { index, id, name: id, kind, members: undefined, bbox: bboxOf(polygons), polygons };
}

function box(x0: number, y0: number, x1: number, y1: number): ZonePolygon {
  return [
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ],
  ];
}

describe('ZoneIndex', () => {
  const zones = [
    zone(0, 'outer', 'eez', [box(0, 0, 10, 10)]),
    zone(1, 'harbour', 'port', [box(1, 1, 2, 2)]),
    zone(2, 'park', 'mpa', [box(1.5, 1.5, 4, 4), box(6, 6, 7, 7)]),
    zone(3, 'far', 'restricted', [box(50, 50, 51, 51)]),
  ];
  const index = new ZoneIndex(zones);

  it('lists the zones containing a point, ascending', () => {
    const out: number[] = [];
    expect(index.zonesAt(1.75, 1.75, out)).toBe(3);
    expect(out.slice(0, 3)).toEqual([0, 1, 2]);
    expect(index.zonesAt(6.5, 6.5, out)).toBe(2); // second polygon of the MultiPolygon
    expect(out.slice(0, 2)).toEqual([0, 2]);
    expect(index.zonesAt(5, 5, out)).toBe(1);
    expect(out[0]).toBe(0);
    expect(index.zonesAt(50.5, 50.5, out)).toBe(1);
    expect(out[0]).toBe(3);
    expect(index.zonesAt(20, 20, out)).toBe(0);
    expect(index.zonesAt(Number.NaN, 1, out)).toBe(0);
  });

  it('counts boundaries as inside', () => {
    const out: number[] = [];
    expect(index.zonesAt(2, 1.2, out)).toBe(2);
    expect(out.slice(0, 2)).toEqual([0, 1]);
    expect(index.contains(1, 2, 2)).toBe(true);
  });

  it('reuses the output array', () => {
    const out: number[] = [];
    index.zonesAt(1.75, 1.75, out);
    const grown = out.length;
    for (let i = 0; i < 1_000; i++) index.zonesAt(i % 11, (i * 7) % 11, out);
    expect(out.length).toBe(grown);
  });

  it('tests one zone or one kind', () => {
    expect(index.contains(1, 1.5, 1.5)).toBe(true);
    expect(index.contains(1, 3, 3)).toBe(false);
    expect(index.contains(2, 6.5, 6.2)).toBe(true);
    expect(() => index.contains(9, 0, 0)).toThrow(/No zone with index 9/);
    expect(index.inKind(1.5, 1.2, 'port')).toBe(true);
    expect(index.inKind(3, 3, 'port')).toBe(false);
    expect(index.inKind(3, 3, 'mpa')).toBe(true);
    expect(index.inKind(50.5, 50.5, 'eez')).toBe(false);
    expect(index.inKind(-1, -1, 'eez')).toBe(false);
  });

  it('lists a zone once when its polygons overlap', () => {
    const overlapping = new ZoneIndex([
      zone(0, 'twice', 'custom', [box(0, 0, 2, 2), box(1, 1, 3, 3)]),
    ]);
    const out: number[] = [];
    expect(overlapping.zonesAt(1.5, 1.5, out)).toBe(1);
    expect(out[0]).toBe(0);
  });

  it('agrees with turf where more polygons meet than a lookup cell lists (the tree answers)', () => {
    const random = seededRandom(99);
    // 80 stars around one spot: the lookup cells there are crowded.
    const crowd: Zone[] = [];
    for (let i = 0; i < 80; i++) {
      const star = noisyStar(random, {
        lon: 3 + random(),
        lat: 50 + random(),
        radiusDegrees: 0.5 + random(),
        vertices: i % 10 === 0 ? 400 : 20,
        holes: i % 10 === 0 ? 2 : 0,
        spikes: 5,
      });
      crowd.push(zone(i, `crowd-${i}`, i % 4 === 0 ? 'port' : 'custom', [star]));
    }
    const crowded = new ZoneIndex(crowd);
    const features = crowd.map((z) =>
      multiPolygon(z.polygons.map((p) => p.map((ring) => ring.map(([x, y]) => [x, y])))),
    );
    const all = crowd.flatMap((z) => z.polygons);
    const points = [
      ...uniformPoints(random, bboxOf(all), 3_000),
      ...pointsNearEdges(random, all, 2_000),
    ];
    const out: number[] = [];
    let mismatches = 0;
    let busiest = 0;
    for (const [x, y] of points) {
      const expected = features.flatMap((f, i) => (booleanPointInPolygon([x, y], f) ? [i] : []));
      const count = crowded.zonesAt(x, y, out);
      if (out.slice(0, count).join() !== expected.join()) mismatches++;
      if (crowded.inKind(x, y, 'port') !== expected.some((i) => i % 4 === 0)) mismatches++;
      busiest = Math.max(busiest, count);
    }
    expect(mismatches).toBe(0);
    expect(busiest).toBeGreaterThan(32);
  });

  it('works with no zones', () => {
    const empty = new ZoneIndex([]);
    expect(empty.zonesAt(0, 0, [])).toBe(0);
    expect(empty.inKind(0, 0, 'port')).toBe(false);
  });

  it('refuses zones whose index is not their position', () => {
    expect(() => new ZoneIndex([zone(1, 'a', 'custom', [box(0, 0, 1, 1)])])).toThrow(
      /Zone "a" has index 1, expected 0/,
    );
  });

  it('agrees with turf on every zone of a mixed set, big and small, seeded points', () => {
    const random = seededRandom(2024);
    const stars: ZonePolygon[] = [];
    const set: Zone[] = [];
    // One 5 000-vertex star with holes (gridded), a MultiPolygon of two gridded stars and 40
    // small overlapping stars (plain ring test).
    stars.push(
      noisyStar(random, {
        lon: 0,
        lat: 0,
        radiusDegrees: 4,
        vertices: 5_000,
        holes: 3,
        spikes: 30,
      }),
    );
    set.push(zone(0, 'big', 'eez', [stars[0]!]));
    const twins: ZonePolygon[] = [
      noisyStar(random, { lon: -3, lat: 2, radiusDegrees: 1, vertices: 300, holes: 1, spikes: 7 }),
      noisyStar(random, { lon: 3, lat: -2, radiusDegrees: 1, vertices: 300, holes: 2, spikes: 9 }),
    ];
    set.push(zone(1, 'twins', 'mpa', twins));
    for (let i = 0; i < 40; i++) {
      const small = noisyStar(random, {
        lon: -5 + 10 * random(),
        lat: -5 + 10 * random(),
        radiusDegrees: 0.2 + random(),
        vertices: 12 + Math.floor(random() * 50),
        holes: i % 3 === 0 ? 1 : 0,
        spikes: 3 + (i % 5),
      });
      set.push(zone(set.length, `small-${i}`, i % 2 === 0 ? 'port' : 'custom', [small]));
    }
    const zoneIndex = new ZoneIndex(set);
    const features = set.map((z) =>
      multiPolygon(z.polygons.map((p) => p.map((ring) => ring.map(([x, y]) => [x, y])))),
    );
    const all = set.flatMap((z) => z.polygons);
    const points = [
      ...uniformPoints(random, bboxOf(all), 10_000),
      ...pointsNearEdges(random, all, 10_000),
    ];
    const out: number[] = [];
    let mismatches = 0;
    let inside = 0;
    for (const [x, y] of points) {
      const expected = features.flatMap((f, i) => (booleanPointInPolygon([x, y], f) ? [i] : []));
      const count = zoneIndex.zonesAt(x, y, out);
      if (JSON.stringify(out.slice(0, count)) !== JSON.stringify(expected)) mismatches++;
      const port = expected.some((i) => set[i]!.kind === 'port');
      if (zoneIndex.inKind(x, y, 'port') !== port) mismatches++;
      inside += count;
    }
    expect(mismatches).toBe(0);
    expect(inside).toBeGreaterThan(10_000); // the points do land in zones
  });
});
