import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { booleanPointInPolygon, multiPolygon } from '@turf/turf';
import RBush from 'rbush';
import { loadZoneFiles } from '../src/io/zone-files.js';
import type { LonLat, Zone, ZonePolygon } from '../src/zones/zone.js';
import { ZoneIndex } from '../src/zones/zone-index.js';
import {
  bboxOf,
  noisyStar,
  pointsNearEdges,
  uniformPoints,
} from '../test/zones/random-polygons.js';
import { type BenchContext, type Benchmark, type BenchRow, compareWith } from './benchmark.js';
import { formatRatio } from './format.js';
import { createRandom } from './prng.js';
import { summarize } from './stats.js';
import { timeRuns } from './timing.js';

/** A zone set to measure: its zones and the seeded query points, flat [lon, lat, ...]. */
interface Scenario {
  readonly name: string;
  readonly zones: readonly Zone[];
  readonly points: Float64Array;
}

function zone(index: number, kind: Zone['kind'], polygons: readonly ZonePolygon[]): Zone {
  return {
    index,
    id: `z${index}`,
    name: `z${index}`,
    kind,
    members: undefined,
    bbox: bboxOf(polygons),
    polygons,
  };
}

/**
 * A 5 000-vertex spiky star with 4 holes (an EEZ-sized outline, 30° across) plus 60 small zones
 * (12–60 vertices, ports and custom areas) scattered over it, as in issue 3's speed target.
 */
function syntheticZones(seed: number): Zone[] {
  const random = createRandom(seed).next;
  const zones: Zone[] = [
    zone(0, 'eez', [
      noisyStar(random, {
        lon: 140,
        lat: -25,
        radiusDegrees: 15,
        vertices: 5_000,
        holes: 4,
        spikes: 40,
      }),
    ]),
  ];
  for (let i = 0; i < 60; i++) {
    const small = noisyStar(random, {
      lon: 126 + 28 * random(),
      lat: -39 + 28 * random(),
      radiusDegrees: 0.05 + 0.5 * random(),
      vertices: 12 + Math.floor(48 * random()),
      holes: 0,
      spikes: 3 + (i % 5),
    });
    zones.push(zone(zones.length, i % 3 === 0 ? 'port' : 'custom', [small]));
  }
  return zones;
}

function flatPoints(points: readonly LonLat[]): Float64Array {
  const flat = new Float64Array(points.length * 2);
  points.forEach(([x, y], i) => {
    flat[i * 2] = x;
    flat[i * 2 + 1] = y;
  });
  return flat;
}

/** `ns/op` row of one way of answering "which zones contain this point" over the points. */
function nsRow(scenario: string, seconds: readonly number[], points: number): BenchRow {
  return {
    benchmark: 'zones',
    scenario,
    unit: 'ns/op',
    higherIsBetter: false,
    summary: summarize(seconds.map((s) => (s / points) * 1e9)),
  };
}

/** Ours, rbush + turf on the candidates, and turf on every zone, on the same points. */
async function measure(context: BenchContext, scenario: Scenario): Promise<BenchRow[]> {
  const { zones, points } = scenario;
  const count = points.length / 2;
  const started = process.hrtime.bigint();
  const index = new ZoneIndex(zones);
  const buildMs = Number(process.hrtime.bigint() - started) / 1e6;
  const out: number[] = [];
  let sink = 0;
  const ours = context.quick ? { warmupRuns: 5, runs: 15 } : { warmupRuns: 10, runs: 40 };
  context.log(`zones: ${scenario.name}: ZoneIndex.zonesAt × ${ours.runs}`);
  const oursRow = nsRow(
    `${scenario.name}: zonesAt`,
    await timeRuns(() => {
      for (let i = 0; i < points.length; i += 2)
        sink += index.zonesAt(points[i]!, points[i + 1]!, out);
    }, ours),
    count,
  );
  const inPortRow = nsRow(
    `${scenario.name}: inKind port`,
    await timeRuns(() => {
      for (let i = 0; i < points.length; i += 2) {
        if (index.inKind(points[i]!, points[i + 1]!, 'port')) sink++;
      }
    }, ours),
    count,
  );

  // Baselines: turf's booleanPointInPolygon, the test issue 3 names, on a subset of the points
  // (per-op figures; turf is too slow for all of them), point arrays made beforehand.
  const features = zones.map((z) =>
    multiPolygon(z.polygons.map((p) => p.map((ring) => ring.map(([x, y]) => [x, y])))),
  );
  const subset: [number, number][] = [];
  const step = Math.max(1, Math.floor(count / (context.quick ? 500 : 5_000)));
  for (let i = 0; i < count; i += step) subset.push([points[i * 2]!, points[i * 2 + 1]!]);
  const theirs = context.quick ? { warmupRuns: 1, runs: 3 } : { warmupRuns: 2, runs: 7 };
  context.log(`zones: ${scenario.name}: turf on every zone × ${theirs.runs}`);
  const naiveRow = nsRow(
    `${scenario.name}: turf, every zone`,
    await timeRuns(() => {
      for (const point of subset) {
        for (const feature of features) if (booleanPointInPolygon(point, feature)) sink++;
      }
    }, theirs),
    subset.length,
  );
  const tree = new RBush<{ minX: number; minY: number; maxX: number; maxY: number; i: number }>();
  tree.load(
    zones.map((z, i) => ({
      minX: z.bbox[0],
      minY: z.bbox[1],
      maxX: z.bbox[2],
      maxY: z.bbox[3],
      i,
    })),
  );
  context.log(`zones: ${scenario.name}: rbush + turf × ${theirs.runs}`);
  const rbushRow = nsRow(
    `${scenario.name}: rbush + turf`,
    await timeRuns(() => {
      for (const point of subset) {
        const [x, y] = point;
        for (const hit of tree.search({ minX: x, minY: y, maxX: x, maxY: y })) {
          if (booleanPointInPolygon(point, features[hit.i]!)) sink++;
        }
      }
    }, theirs),
    subset.length,
  );
  compareWith(oursRow, naiveRow);
  compareWith(rbushRow, naiveRow);
  if (sink === -1) context.note('unreachable'); // keeps the loops' results alive
  const vertices = zones.reduce(
    (n, z) => n + z.polygons.reduce((m, p) => m + p.reduce((k, r) => k + r.length - 1, 0), 0),
    0,
  );
  context.note(
    `zones: ${scenario.name}: ${zones.length} zones, ${vertices} vertices, ${count} seeded points (baselines on ${subset.length}); ZoneIndex built in ${buildMs.toFixed(1)} ms; zonesAt ${(oursRow.summary.median / 1000).toFixed(3)} µs vs turf on every zone ${(naiveRow.summary.median / 1000).toFixed(2)} µs (${formatRatio(oursRow.ratio!)}), vs rbush + turf ${(rbushRow.summary.median / 1000).toFixed(2)} µs (${formatRatio(rbushRow.summary.median / oursRow.summary.median)}).`,
  );
  return [oursRow, inPortRow, rbushRow, naiveRow];
}

/**
 * Nanoseconds per `ZoneIndex.zonesAt` for a zone set with a 5 000-vertex polygon (and the real
 * AMSA Australian EEZ with its 41 port polygons when AIS_DATA_DIR is there), against turf's
 * booleanPointInPolygon on every zone and against rbush + turf, on the same seeded points.
 */
export const zonesBenchmark: Benchmark = {
  name: 'zones',
  description: 'ns per zonesAt, 5 000-vertex polygon (+ AMSA EEZ), vs turf',
  async run(context) {
    const pointCount = context.quick ? 20_000 : 500_000;
    // Wall-time figures: on a shared machine other processes inflate them, so say how busy it was.
    const loadBefore = loadavg()[0]!;
    const random = createRandom(context.seed + 1).next;
    const synthetic = syntheticZones(context.seed);
    const all = synthetic.flatMap((z) => z.polygons);
    const rows: BenchRow[] = [];
    rows.push(
      ...(await measure(context, {
        name: '5k-vertex star + 60 small, uniform',
        zones: synthetic,
        points: flatPoints(uniformPoints(random, bboxOf(all), pointCount)),
      })),
    );
    rows.push(
      ...(await measure(context, {
        name: '5k-vertex star + 60 small, ≤ 10 m from edges',
        zones: synthetic,
        points: flatPoints(pointsNearEdges(random, all, pointCount)),
      })),
    );
    const busy = (): void =>
      context.note(
        `zones: 1-min load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after, on ${availableParallelism()} cores (above 1, wall-time figures include waiting for a core).`,
      );
    if (context.dataDir === undefined) {
      context.note('zones: AIS_DATA_DIR not found: no AMSA EEZ scenario.');
      busy();
      return rows;
    }
    const dir = join(context.dataDir, 'zones/amsa_risky');
    const { zones } = loadZoneFiles(
      [
        join(dir, 'eez_aust_mainland_pl.geojson'),
        join(dir, 'amsa_port_visit_polygons.geojson'),
        join(dir, 'coral_sea_atba.geojson'),
      ],
      {
        files: {
          eez_aust_mainland_pl: { kind: 'eez' },
          amsa_port_visit_polygons: { kind: 'port', nameProperty: 'limit_name' },
          coral_sea_atba: { kind: 'restricted' },
        },
      },
    );
    const eez = zones[0]!;
    const ports = zones.filter((z) => z.kind === 'port').flatMap((z) => z.polygons);
    rows.push(
      ...(await measure(context, {
        name: 'AMSA EEZ + 41 ports, uniform',
        zones,
        points: flatPoints(uniformPoints(random, eez.bbox, pointCount)),
      })),
    );
    rows.push(
      ...(await measure(context, {
        name: 'AMSA EEZ + 41 ports, ≤ 10 m from port edges',
        zones,
        points: flatPoints(pointsNearEdges(random, ports, pointCount)),
      })),
    );
    busy();
    return rows;
  },
};
