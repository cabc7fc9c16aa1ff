import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/detect/alert.js';
import { distanceMeters } from '../../../src/geo/geodesy.js';
import { HistorySink, wholePicture } from '../../../src/io/postgres/history-sink.js';
import { isHistoryPosition } from '../../../src/io/postgres/position-copy-writer.js';
import { silentLogger } from '../../../src/util/logger.js';
import { ringsContain } from '../../../src/zones/point-in-rings.js';
import { replayInto, type Scenario, writeScenario } from './scenario-run.js';
import { createMigratedDatabase, type TestDatabase } from './test-database.js';

const RUN = process.env.TIDEWATCH_INTEGRATION === '1';
const DOC = new URL('../../../docs/analyst-queries.md', import.meta.url);

/** The named queries of docs/analyst-queries.md (```sql blocks starting `-- query: name`). */
function docQueries(): Map<string, { sql: string; postgis: boolean }> {
  const queries = new Map<string, { sql: string; postgis: boolean }>();
  const text = readFileSync(DOC, 'utf8');
  for (const match of text.matchAll(/```sql\n-- query: ([a-z-]+)( \(postgis\))?\n([\s\S]*?)```/g)) {
    queries.set(match[1]!, { sql: match[3]!, postgis: match[2] !== undefined });
  }
  return queries;
}

interface Fix {
  mmsi: number;
  time: number;
  hash: number;
  lat: number;
  lon: number;
}

const DAY1 = '2024-06-01T00:00:00Z';
const DAY2 = '2024-06-02T00:00:00Z';
const WINDOW = ['2024-06-01T22:00:00Z', '2024-06-02T01:00:00Z'] as const;

describe.skipIf(!RUN)('docs/analyst-queries.md against a real database', () => {
  const queries = docQueries();
  const query = (name: string) => {
    const q = queries.get(name);
    if (q === undefined) throw new Error(`docs/analyst-queries.md has no query ${name}`);
    return q.sql;
  };
  let scenario: Scenario;
  let gis: TestDatabase;
  let plain: TestDatabase;
  const fixes: Fix[] = [];
  const alerts = new Map<string, Alert>();

  beforeAll(async () => {
    scenario = writeScenario(7);
    gis = await createMigratedDatabase('queries_gis', 'require');
    plain = await createMigratedDatabase('queries_plain', 'off');
    let sinks: HistorySink[] = [];
    await replayInto(scenario, (core) => {
      sinks = [gis, plain].map((db) => new HistorySink(db.pool, { log: silentLogger }));
      return {
        output: {
          alert: (alert) => {
            for (const sink of sinks) sink.addAlert(wholePicture(core.members), alert);
            alerts.set(alert.id, structuredClone(alert));
          },
          report: (report, track) => {
            for (const sink of sinks) sink.addReport(wholePicture(core.members), report, track);
            if (isHistoryPosition(report)) {
              const { mmsi, time, lat, lon } = report;
              fixes.push({ mmsi, time, hash: report.payloadHash | 0, lat: lat!, lon: lon! });
            }
          },
        },
        afterChunk: async () => {
          if (sinks[0]!.bufferedRows >= 20_000) await Promise.all(sinks.map((s) => s.flush()));
        },
      };
    });
    await Promise.all(sinks.map((s) => s.flush()));
  });
  afterAll(async () => {
    scenario?.remove();
    await gis?.drop();
    await plain?.drop();
  });

  it('has the documented queries, each tested below', () => {
    expect([...queries.keys()].sort()).toEqual([
      'alerts-near',
      'alerts-near-plain',
      'track-line',
      'track-points',
      'track-view',
      'zone-window',
      'zone-window-bbox',
      'zone-window-polygon',
    ]);
    for (const [name, q] of queries)
      expect(q.postgis, name).toBe(!name.match(/points|polygon|bbox|plain/));
  });

  /** The vessel with the most fixes on the first day, and its fixes per day in query order. */
  function busiestVessel(): { mmsi: number; day1: Fix[]; day2: Fix[] } {
    const day2Start = Date.parse(DAY2);
    const counts = new Map<number, number>();
    for (const f of fixes)
      if (f.time < day2Start) counts.set(f.mmsi, (counts.get(f.mmsi) ?? 0) + 1);
    const mmsi = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
    const mine = fixes
      .filter((f) => f.mmsi === mmsi)
      .sort((a, b) => a.time - b.time || a.hash - b.hash);
    return {
      mmsi,
      day1: mine.filter((f) => f.time < day2Start),
      day2: mine.filter((f) => f.time >= day2Start),
    };
  }

  it('1. track-points: a vessel’s fixes of one day, in time order (with and without PostGIS)', async () => {
    const { mmsi, day1, day2 } = busiestVessel();
    expect(day1.length).toBeGreaterThan(100);
    for (const db of [gis, plain]) {
      for (const [day, expected] of [
        [DAY1, day1],
        [DAY2, day2],
      ] as const) {
        const { rows } = await db.pool.query(query('track-points'), [mmsi, day]);
        expect(rows.map((r) => [r.time.getTime(), r.lat, r.lon])).toEqual(
          expected.map((f) => [f.time, f.lat, f.lon]),
        );
        expect(rows[0].sources.length).toBeGreaterThan(0);
      }
    }
  });

  it('1. track-line and track-view: the day as a LineString (PostGIS)', async () => {
    const { mmsi, day1, day2 } = busiestVessel();
    const { rows } = await gis.pool.query(query('track-line'), [mmsi, DAY1]);
    expect(Number(rows[0].fixes)).toBe(day1.length);
    const line = JSON.parse(rows[0].line);
    expect(line.type).toBe('LineString');
    // ST_AsGeoJSON prints 9 decimals (0.1 mm).
    expect(line.coordinates.length).toBe(day1.length);
    const offBy = line.coordinates.map(([lon, lat]: [number, number], i: number) =>
      Math.max(Math.abs(lon - day1[i]!.lon), Math.abs(lat - day1[i]!.lat)),
    );
    expect(Math.max(...offBy)).toBeLessThan(1e-8);
    let meters = 0;
    for (let i = 1; i < day1.length; i++) {
      const a = day1[i - 1]!;
      const b = day1[i]!;
      meters += distanceMeters(a.lat, a.lon, b.lat, b.lon);
    }
    expect(Math.abs(rows[0].meters - meters) / meters).toBeLessThan(0.006); // spheroid vs sphere

    const view = await gis.pool.query(query('track-view'), [mmsi]);
    const days = view.rows.map((r) => ({
      fixes: Number(r.fixes),
      points: r.line === null ? 1 : JSON.parse(r.line).coordinates.length,
    }));
    const expected = [day1.length, day2.length].filter((n) => n > 0);
    expect(days).toEqual(expected.map((n) => ({ fixes: n, points: n })));
  });

  /** Per zone of the scenario: MMSI → fixes inside it in WINDOW (planar, as Tidewatch tests zones). */
  function expectedInZones(inside: (ring: Float64Array, f: Fix) => boolean) {
    const from = Date.parse(WINDOW[0]);
    const to = Date.parse(WINDOW[1]);
    return scenario.sim.zones.features.map((feature) => {
      const ring = Float64Array.from(feature.geometry.coordinates[0]!.flat());
      const byMmsi = new Map<number, number>();
      for (const f of fixes) {
        if (f.time >= from && f.time < to && inside(ring, f)) {
          byMmsi.set(f.mmsi, (byMmsi.get(f.mmsi) ?? 0) + 1);
        }
      }
      const rows = [...byMmsi].sort((a, b) => a[0] - b[0]).map(([mmsi, n]) => ({ mmsi, fixes: n }));
      return { feature, ring, rows };
    });
  }
  const inPolygon = (ring: Float64Array, f: Fix) => ringsContain([ring], f.lon, f.lat);
  const asRows = (rows: { mmsi: number; fixes: string }[]) =>
    rows.map((r) => ({ mmsi: r.mmsi, fixes: Number(r.fixes) }));

  it('2. zone-window: vessels in each zone of the scenario in a 3 h window (PostGIS)', async () => {
    let nonEmpty = 0;
    for (const { feature, rows: expected } of expectedInZones(inPolygon)) {
      const { rows } = await gis.pool.query(query('zone-window'), [
        JSON.stringify(feature.geometry),
        ...WINDOW,
      ]);
      expect(asRows(rows), feature.id).toEqual(expected);
      if (expected.length > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThanOrEqual(2);
  });

  it('2. zone-window-polygon: the same without PostGIS, with the built-in polygon type', async () => {
    let nonEmpty = 0;
    for (const { feature, rows: expected } of expectedInZones(inPolygon)) {
      const literal = `(${feature.geometry.coordinates[0]!.map(([lon, lat]) => `(${lon},${lat})`).join(',')})`;
      for (const db of [plain, gis]) {
        const { rows } = await db.pool.query(query('zone-window-polygon'), [literal, ...WINDOW]);
        expect(asRows(rows), feature.id).toEqual(expected);
      }
      if (expected.length > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThanOrEqual(2);
  });

  it('2. zone-window-bbox: the bounding box of each zone', async () => {
    const bbox = (ring: Float64Array) => {
      const lons = ring.filter((_, i) => i % 2 === 0);
      const lats = ring.filter((_, i) => i % 2 === 1);
      return [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)] as const;
    };
    const inBox = (ring: Float64Array, f: Fix) => {
      const [south, north, west, east] = bbox(ring);
      return f.lat >= south && f.lat <= north && f.lon >= west && f.lon <= east;
    };
    for (const { feature, ring, rows: expected } of expectedInZones(inBox)) {
      for (const db of [plain, gis]) {
        const { rows } = await db.pool.query(query('zone-window-bbox'), [...bbox(ring), ...WINDOW]);
        expect(asRows(rows), feature.id).toEqual(expected);
      }
    }
  });

  /** For each kind: the point of its first alert, a 30 km radius, the alerts within it. */
  function alertCases(toleranceMeters: number) {
    const radius = 30_000;
    const byKind = new Map<string, Alert[]>();
    for (const a of alerts.values()) byKind.set(a.kind, [...(byKind.get(a.kind) ?? []), a]);
    return [...byKind].map(([kind, list]) => {
      const center = [...list].sort((a, b) => (a.id < b.id ? -1 : 1))[0]!;
      const near: string[] = [];
      const ambiguous = new Set<string>();
      for (const a of list) {
        const d = distanceMeters(center.lat, center.lon, a.lat, a.lon);
        if (Math.abs(d - radius) <= toleranceMeters) ambiguous.add(a.id);
        else if (d < radius) near.push(a.id);
      }
      return { kind, lat: center.lat, lon: center.lon, radius, near, ambiguous };
    });
  }

  it('3. alerts-near: the alerts of each kind within 30 km of a point (PostGIS)', async () => {
    const cases = alertCases(30_000 * 0.006); // spheroid vs sphere
    expect(cases.length).toBeGreaterThanOrEqual(7);
    for (const c of cases) {
      const { rows } = await gis.pool.query(query('alerts-near'), [c.kind, c.lat, c.lon, c.radius]);
      expect(rows.every((r) => r.kind === c.kind)).toBe(true);
      const ids = rows.map((r) => r.id).filter((id) => !c.ambiguous.has(id));
      expect(ids.sort(), c.kind).toEqual([...c.near].sort());
      const meters = rows.map((r) => r.meters);
      expect(meters).toEqual([...meters].sort((a, b) => a - b));
    }
  });

  it('3. alerts-near-plain: the same without PostGIS (haversine)', async () => {
    for (const c of alertCases(1)) {
      for (const db of [plain, gis]) {
        const { rows } = await db.pool.query(query('alerts-near-plain'), [
          c.kind,
          c.lat,
          c.lon,
          c.radius,
        ]);
        const ids = rows.map((r) => r.id).filter((id) => !c.ambiguous.has(id));
        expect(ids.sort(), c.kind).toEqual([...c.near].sort());
        for (const row of rows) {
          const a = alerts.get(row.id)!;
          expect(Math.abs(row.meters - distanceMeters(c.lat, c.lon, a.lat, a.lon))).toBeLessThan(1);
        }
      }
    }
  });
});
