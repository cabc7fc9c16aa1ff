import type { LonLat, ZonePolygon, ZoneRing } from '../../src/zones/zone.js';

/** `bench/zones.bench.ts` takes it from here. */
export { bboxOf } from '../../src/zones/zone.js';

/**
 * Seeded test polygons: a noisy star (big, with holes) like an EEZ outline, and random points
 * around it. Shared by the zone tests and `bench/zones.bench.ts`.
 */
export interface StarOptions {
  /** Centre longitude and latitude, degrees. */
  readonly lon: number;
  readonly lat: number;
  /** Mean radius of the outer ring, degrees. */
  readonly radiusDegrees: number;
  /** Total vertex count, holes included (closing positions not counted). */
  readonly vertices: number;
  /** Number of holes (each a small noisy circle inside the star). */
  readonly holes: number;
  /** Spikes of the star: radius swings between about 0.45 and 1 of the mean this many times. */
  readonly spikes: number;
}

/** A polygon of `vertices` vertices: a spiky, noisy outer ring and `holes` holes inside it. */
export function noisyStar(random: () => number, options: StarOptions): ZonePolygon {
  const { lon, lat, radiusDegrees, vertices, holes, spikes } = options;
  const holeVertices = holes === 0 ? 0 : Math.max(8, Math.floor(vertices / (8 * holes)));
  const outerVertices = vertices - holes * holeVertices;
  const toPoint = (theta: number, r: number): LonLat => [
    lon + r * Math.cos(theta),
    lat + r * Math.sin(theta),
  ];
  const outer = ring(outerVertices, (theta) => {
    const spike = Math.abs(Math.sin((spikes * theta) / 2)) ** 3;
    return radiusDegrees * (0.45 + 0.45 * spike + 0.1 * random());
  });
  function ring(count: number, radius: (theta: number) => number, at = toPoint): ZoneRing {
    const points: LonLat[] = [];
    for (let i = 0; i < count; i++) {
      const theta = ((i + 0.5 * random()) / count) * 2 * Math.PI;
      points.push(at(theta, radius(theta)));
    }
    points.push(points[0]!);
    return points;
  }
  // Holes on a circle of radius 0.25 R, each of radius ≤ 0.1 R: inside the outer ring (whose
  // radius is ≥ 0.45 R) and apart from each other.
  const rings: ZoneRing[] = [outer];
  for (let h = 0; h < holes; h++) {
    const phi = (h / holes) * 2 * Math.PI;
    const hx = lon + 0.25 * radiusDegrees * Math.cos(phi);
    const hy = lat + 0.25 * radiusDegrees * Math.sin(phi);
    const holeRadius = Math.min(0.1, Math.sin(Math.PI / Math.max(2, holes)) * 0.2) * radiusDegrees;
    rings.push(
      ring(
        holeVertices,
        () => holeRadius * (0.7 + 0.3 * random()),
        (theta, r) => [hx + r * Math.cos(theta), hy + r * Math.sin(theta)],
      ),
    );
  }
  return rings;
}

/** `count` uniform points in the box grown by `grow` of its size on each side. */
export function uniformPoints(
  random: () => number,
  box: readonly [number, number, number, number],
  count: number,
  grow = 0.05,
): LonLat[] {
  const w = box[2] - box[0];
  const h = box[3] - box[1];
  const points: LonLat[] = [];
  for (let i = 0; i < count; i++) {
    points.push([
      box[0] - grow * w + random() * w * (1 + 2 * grow),
      box[1] - grow * h + random() * h * (1 + 2 * grow),
    ]);
  }
  return points;
}

/**
 * `count` points next to the polygons' edges: a random point of a random edge moved across it by
 * 10⁻⁹ to 10⁻⁴ degrees (a few millimetres to ten metres), either side.
 */
export function pointsNearEdges(
  random: () => number,
  polygons: readonly ZonePolygon[],
  count: number,
): LonLat[] {
  const edges: [LonLat, LonLat][] = [];
  for (const polygon of polygons) {
    for (const r of polygon) {
      for (let i = 0; i + 1 < r.length; i++) edges.push([r[i]!, r[i + 1]!]);
    }
  }
  const points: LonLat[] = [];
  for (let i = 0; i < count; i++) {
    const [a, b] = edges[Math.floor(random() * edges.length)]!;
    const t = random();
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const length = Math.hypot(dx, dy) || 1;
    const offset = 10 ** -(4 + 5 * random()) * (random() < 0.5 ? -1 : 1);
    points.push([a[0] + t * dx - (dy / length) * offset, a[1] + t * dy + (dx / length) * offset]);
  }
  return points;
}

/** Every vertex of the polygons (boundary points: inside for turf and for Tidewatch). */
export function vertices(polygons: readonly ZonePolygon[]): LonLat[] {
  const points: LonLat[] = [];
  for (const polygon of polygons) for (const r of polygon) points.push(...r);
  return points;
}
