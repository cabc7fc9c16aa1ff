import { booleanPointInPolygon, polygon as turfPolygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { ringsContain } from '../../src/zones/point-in-rings.js';
import { PolygonGrid } from '../../src/zones/polygon-grid.js';
import { bboxOf, type LonLat, type ZonePolygon } from '../../src/zones/zone.js';
import { seededRandom } from '../support/seeded-random.js';
import { noisyStar, pointsNearEdges, uniformPoints, vertices } from './random-polygons.js';

function flat(polygon: ZonePolygon): Float64Array[] {
  return polygon.map((ring) => Float64Array.from(ring.flat()));
}

/** The points where ours and turf's booleanPointInPolygon disagree (boundary included). */
function disagreements(
  polygon: ZonePolygon,
  points: readonly LonLat[],
  test: (x: number, y: number) => boolean,
): LonLat[] {
  const feature = turfPolygon(polygon.map((ring) => ring.map(([x, y]) => [x, y])));
  return points.filter(([x, y]) => test(x, y) !== booleanPointInPolygon([x, y], feature));
}

/** Uniform points, points next to edges, every vertex and points inside the holes. */
function probePoints(random: () => number, polygon: ZonePolygon, count: number): LonLat[] {
  const holes = polygon.slice(1).flatMap((hole) => uniformPoints(random, bboxOf([[hole]]), 200, 0));
  return [
    ...uniformPoints(random, bboxOf([polygon]), count),
    ...pointsNearEdges(random, [polygon], count),
    ...vertices([polygon]),
    ...holes,
  ];
}

const SQUARE_WITH_HOLE: ZonePolygon = [
  [
    [0, 0],
    [10, 0],
    [10, 10],
    [0, 10],
    [0, 0],
  ],
  [
    [3, 3],
    [3, 7],
    [7, 7],
    [7, 3],
    [3, 3],
  ],
];

describe('ringsContain (small polygons)', () => {
  it('applies the even-odd rule with holes, boundary included', () => {
    const rings = flat(SQUARE_WITH_HOLE);
    expect(ringsContain(rings, 1, 1)).toBe(true);
    expect(ringsContain(rings, 5, 5)).toBe(false); // in the hole
    expect(ringsContain(rings, 11, 5)).toBe(false);
    expect(ringsContain(rings, 0, 5)).toBe(true); // outer edge
    expect(ringsContain(rings, 3, 5)).toBe(true); // hole edge: the boundary is the zone's
    expect(ringsContain(rings, 10, 10)).toBe(true); // vertex
    expect(ringsContain(rings, Number.NaN, 5)).toBe(false);
  });

  it('agrees with turf on a seeded 60-vertex star with a hole', () => {
    const random = seededRandom(11);
    const star = noisyStar(random, {
      lon: 10,
      lat: 55,
      radiusDegrees: 0.5,
      vertices: 60,
      holes: 1,
      spikes: 5,
    });
    const rings = flat(star);
    const points = probePoints(random, star, 5_000);
    expect(disagreements(star, points, (x, y) => ringsContain(rings, x, y))).toEqual([]);
  });
});

describe('PolygonGrid', () => {
  const random = seededRandom(5_000);
  const star = noisyStar(random, {
    lon: 140,
    lat: -25,
    radiusDegrees: 15,
    vertices: 5_000,
    holes: 4,
    spikes: 40,
  });

  it.each([0.25, 1, 4])(
    'agrees with turf on a seeded 5 000-vertex star with 4 holes (%s cells per vertex)',
    (cellsPerVertex) => {
      const grid = new PolygonGrid(flat(star), { cellsPerVertex });
      const points = probePoints(seededRandom(cellsPerVertex * 100), star, 15_000);
      expect(points.length).toBeGreaterThan(35_000);
      expect(disagreements(star, points, (x, y) => grid.contains(x, y))).toEqual([]);
    },
  );

  it('agrees with turf on points at exact cell corners and centres', () => {
    const grid = new PolygonGrid(flat(star));
    const [minX, minY, maxX, maxY] = bboxOf([star]);
    const points: LonLat[] = [];
    for (let j = 0; j <= 2 * grid.rows; j++) {
      for (let i = 0; i <= 2 * grid.columns; i += 7) {
        points.push([
          minX + ((maxX - minX) * i) / (2 * grid.columns),
          minY + ((maxY - minY) * j) / (2 * grid.rows),
        ]);
      }
    }
    expect(disagreements(star, points, (x, y) => grid.contains(x, y))).toEqual([]);
  });

  it('handles a polygon whose cell centres fall on edges and vertices', () => {
    // A 4 × 4 grid over this square puts cell centres on its diagonal edge and on the hole's
    // vertices: the references must move off them.
    const polygon: ZonePolygon = [
      [
        [0, 0],
        [4, 0],
        [4, 4],
        [0, 4],
        [0, 0],
      ],
      [
        [0.5, 0.5],
        [3.5, 3.5],
        [0.5, 3.5],
        [0.5, 0.5],
      ],
    ];
    const grid = new PolygonGrid(flat(polygon), { cellsPerVertex: 2.3 });
    expect(grid.columns * grid.rows).toBeGreaterThan(4);
    const points = probePoints(seededRandom(3), polygon, 20_000);
    for (let x = 0; x <= 4; x += 0.25) for (let y = 0; y <= 4; y += 0.25) points.push([x, y]);
    expect(disagreements(polygon, points, (x, y) => grid.contains(x, y))).toEqual([]);
  });

  it('answers outside for points off the bounding box and NaN', () => {
    const grid = new PolygonGrid(flat(SQUARE_WITH_HOLE));
    expect(grid.contains(-0.1, 5)).toBe(false);
    expect(grid.contains(5, 10.1)).toBe(false);
    expect(grid.contains(Number.NaN, 1)).toBe(false);
    expect(grid.contains(1, 1)).toBe(true);
    expect(grid.contains(5, 5)).toBe(false);
    expect(grid.contains(10, 10)).toBe(true);
  });

  it('copes with a degenerate (zero-height) polygon', () => {
    const line: ZonePolygon = [
      [
        [0, 1],
        [2, 1],
        [1, 1],
        [0, 1],
      ],
    ];
    const grid = new PolygonGrid(flat(line));
    expect(grid.contains(0.5, 1)).toBe(true); // on its boundary, as for turf
    expect(grid.contains(0.5, 1.0001)).toBe(false);
  });

  it('refuses rings that are not rings', () => {
    expect(() => new PolygonGrid([Float64Array.from([0, 0, 1, 1, 0, 0])])).toThrow(/4 positions/);
    expect(() => new PolygonGrid([])).toThrow(/at least one ring/);
    expect(() => new PolygonGrid(flat(SQUARE_WITH_HOLE), { cellsPerVertex: 0 })).toThrow(
      /cellsPerVertex 0/,
    );
  });

  it('keeps boundary cells short', () => {
    const { cells, boundaryCells, listedEdges } = new PolygonGrid(flat(star)).stats;
    expect(cells).toBeGreaterThanOrEqual(9_000);
    expect(listedEdges / boundaryCells).toBeLessThan(8);
  });
});
