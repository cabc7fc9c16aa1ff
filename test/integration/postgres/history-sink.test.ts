import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AisMessage } from '../../../src/ais/ais-message.js';
import type { Alert } from '../../../src/detect/alert.js';
import { MemberRegistry } from '../../../src/fusion/member-registry.js';
import { Report } from '../../../src/fusion/report.js';
import { VesselTrack } from '../../../src/fusion/vessel-track.js';
import {
  type FlushResult,
  HistorySink,
  type HistorySinkOptions,
  wholePicture,
} from '../../../src/io/postgres/history-sink.js';
import { isHistoryPosition } from '../../../src/io/postgres/position-copy-writer.js';
import { PostgresError } from '../../../src/io/postgres/postgres-error.js';
import { createPostgresPool } from '../../../src/io/postgres/postgres-pool.js';
import type { FusionCore } from '../../../src/pipeline/fusion-core.js';
import { silentLogger } from '../../../src/util/logger.js';
import { replayInto, type Scenario, writeScenario } from './scenario-run.js';
import { TcpProxy } from './tcp-proxy.js';
import {
  count,
  createMigratedDatabase,
  databaseUrl,
  SERVER_URL,
  type TestDatabase,
} from './test-database.js';

const RUN = process.env.TIDEWATCH_INTEGRATION === '1';

/** The identity of a positions row. */
function keyOf(mmsi: number, timeMs: number, payloadHash: number): string {
  return `${mmsi}|${timeMs}|${payloadHash | 0}`;
}

interface SinkRun {
  core: FusionCore;
  sink: HistorySink;
  /** Identities of the reports that must be rows (isHistoryPosition), and how many there were. */
  keys: Set<string>;
  positionReports: number;
  /** Latest revision of every alert the core emitted. */
  alerts: Map<string, number>;
  flushes: FlushResult[];
}

/**
 * Replays `scenario` through a FusionCore into a HistorySink on `pool`, flushing (and waiting,
 * as the worker would) whenever `flushRows` rows are buffered; `beforeFlush` can break things.
 */
async function replayWithSink(
  scenario: Scenario,
  pool: pg.Pool,
  flushRows: number,
  options: Partial<HistorySinkOptions> = {},
  beforeFlush?: (flushNumber: number) => void,
): Promise<SinkRun> {
  let sink: HistorySink | undefined;
  const keys = new Set<string>();
  const alerts = new Map<string, number>();
  const flushes: FlushResult[] = [];
  let positionReports = 0;
  const flush = async (): Promise<void> => {
    beforeFlush?.(flushes.length + 1);
    flushes.push(await sink!.flush());
  };
  const core = await replayInto(scenario, (c) => {
    const picture = wholePicture(c.members);
    sink = new HistorySink(pool, {
      zones: scenario.zones,
      log: silentLogger,
      ...options,
    });
    return {
      output: {
        alert: (alert) => {
          sink!.addAlert(picture, alert);
          alerts.set(alert.id, alert.revision);
        },
        report: (report, track) => {
          sink!.addReport(picture, report, track);
          if (isHistoryPosition(report)) {
            positionReports++;
            keys.add(keyOf(report.mmsi, report.time, report.payloadHash));
          }
        },
      },
      afterChunk: async () => {
        if (sink!.bufferedRows >= flushRows) await flush();
      },
    };
  });
  await flush();
  return { core, sink: sink!, keys, positionReports, alerts, flushes };
}

async function storedKeys(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ mmsi: number; ms: string; payload_hash: number }>(
    `SELECT mmsi, (extract(epoch FROM time) * 1000)::bigint AS ms, payload_hash FROM positions`,
  );
  return rows.map((r) => keyOf(r.mmsi, Number(r.ms), r.payload_hash));
}

/** Ground truth of the simulator: distinct position reports and members per MMSI. */
function groundTruth(scenario: Scenario): Map<number, { reports: number; sources: Set<string> }> {
  const truth = new Map<number, { reports: number; sources: Set<string> }>();
  for (const v of scenario.sim.vessels.list) {
    if (v.unit === 'base') continue; // type 4: not a vessel, no positions row
    const t = truth.get(v.mmsi) ?? { reports: 0, sources: new Set<string>() };
    t.reports += v.positionReports;
    for (const s of v.sources) t.sources.add(s);
    truth.set(v.mmsi, t);
  }
  return truth;
}

describe.skipIf(!RUN)('HistorySink', () => {
  let scenario: Scenario;
  beforeAll(() => {
    // 6 h from 21:00 UTC: the reports fall into two daily partitions.
    scenario = writeScenario(5);
  });
  afterAll(() => scenario?.remove());

  describe.each(['require', 'off'] as const)('with PostGIS %s', (postgis) => {
    let db: TestDatabase;
    let first: SinkRun;
    beforeAll(async () => {
      db = await createMigratedDatabase(`sink_${postgis === 'off' ? 'plain' : 'gis'}`, postgis);
    });
    afterAll(async () => {
      await db?.drop();
    });

    it('writes every distinct position report of a replayed scenario exactly once', async () => {
      // Flushes of ~5,000 rows, written 1,000 positions per transaction, two at once.
      first = await replayWithSink(scenario, db.pool, 5_000, { chunkRows: 1_000 });
      expect(first.flushes.length).toBeGreaterThan(3);
      expect(Math.max(...first.flushes.map((f) => f.transactions))).toBeGreaterThan(3);
      // The identity (mmsi, time, payload_hash) tells every distinct report apart.
      expect(first.keys.size).toBe(first.positionReports);
      const stored = await storedKeys(db.pool);
      expect(stored.length).toBe(first.keys.size);
      expect(new Set(stored)).toEqual(first.keys);
      expect(first.sink.bufferedRows).toBe(0);

      // Against the simulator's ground truth, per vessel: heard reports, each once.
      const truth = groundTruth(scenario);
      const { rows } = await db.pool.query<{ mmsi: number; n: number; sources: string[] }>(
        `SELECT mmsi, count(*)::int AS n,
           (SELECT array_agg(DISTINCT s ORDER BY s) FROM positions AS q, unnest(q.sources) AS s
            WHERE q.mmsi = p.mmsi) AS sources
         FROM positions AS p GROUP BY mmsi`,
      );
      const mismatches: string[] = [];
      for (const [mmsi, t] of truth) {
        const row = rows.find((r) => r.mmsi === mmsi);
        if ((row?.n ?? 0) !== t.reports)
          mismatches.push(`${mmsi}: ${row?.n} rows, ${t.reports} heard`);
        for (const s of row?.sources ?? []) {
          if (!t.sources.has(s)) mismatches.push(`${mmsi}: source ${s} never heard it`);
        }
      }
      expect(mismatches).toEqual([]);
      expect(rows.length).toBe([...truth.values()].filter((t) => t.reports > 0).length);
      // Messages heard by two members are one row with both.
      expect(await count(db.pool, 'positions WHERE cardinality(sources) > 1')).toBeGreaterThan(100);
      // The scenario crosses midnight: two daily partitions, created on demand.
      const partitions = await db.pool.query(
        `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'positions'::regclass ORDER BY 1`,
      );
      expect(partitions.rows.map((r) => r.relname)).toEqual([
        'positions_20240601',
        'positions_20240602',
      ]);
    });

    it('keeps the latest state of every vessel and the latest revision of every alert', async () => {
      const { core } = first;
      const { rows: vessels } = await db.pool.query(
        `SELECT mmsi, ship_name, lat, lon, sources, zones,
           (extract(epoch FROM last_seen) * 1000)::bigint AS last_seen_ms FROM vessels`,
      );
      expect(vessels.length).toBe(core.tracks.size);
      let named = 0;
      let zoned = 0;
      for (const row of vessels) {
        const track = core.tracks.get(row.mmsi)!;
        expect(row.sources).toEqual(core.members.idsOf(track.sourceSet));
        expect(Number(row.last_seen_ms)).toBe(track.lastSeen);
        expect(row.ship_name).toBe(track.shipName ?? null);
        if (track.hasFix()) expect([row.lat, row.lon]).toEqual([track.lat, track.lon]);
        expect(row.zones).toEqual(track.zones.map((i) => scenario.zones.zones[i]!.id));
        if (row.ship_name !== null) named++;
        if (row.zones.length > 0) zoned++;
      }
      expect(named).toBeGreaterThan(30);
      expect(zoned).toBeGreaterThan(0);

      const { rows: alerts } = await db.pool.query<{ id: string; revision: number; kind: string }>(
        'SELECT id, revision, kind FROM alerts',
      );
      expect(new Map(alerts.map((a) => [a.id, a.revision]))).toEqual(first.alerts);
      expect(new Set(alerts.map((a) => a.kind)).size).toBeGreaterThanOrEqual(7);
    });

    it('adds nothing when the same feeds are replayed again (a restart after a crash)', async () => {
      const before = await count(db.pool, 'positions');
      const again = await replayWithSink(scenario, db.pool, 20_000);
      const inserted = again.flushes.reduce((n, f) => n + f.positionsInserted, 0);
      const sent = again.flushes.reduce((n, f) => n + f.positions, 0);
      expect(sent).toBe(before);
      expect(inserted).toBe(0);
      expect(again.flushes.reduce((n, f) => n + f.alertsChanged, 0)).toBe(0);
      expect(await count(db.pool, 'positions')).toBe(before);
      expect(await count(db.pool, 'alerts')).toBe(first.alerts.size);
      expect(await count(db.pool, 'vessels')).toBe(first.core.tracks.size);
    });

    it.runIf(postgis === 'require')(
      'fills the geography column and the vessel_tracks view',
      async () => {
        expect(
          await count(
            db.pool,
            'positions WHERE ST_Y(geog::geometry) <> lat OR ST_X(geog::geometry) <> lon',
          ),
        ).toBe(0);
        expect(await count(db.pool, 'positions WHERE geog IS NULL')).toBe(0);
        const days = await count(
          db.pool,
          "(SELECT DISTINCT mmsi, (time AT TIME ZONE 'UTC')::date FROM positions) AS d",
        );
        expect(await count(db.pool, 'vessel_tracks')).toBe(days);
        const { rows } = await db.pool.query(
          `SELECT v.fixes::int AS fixes, ST_NPoints(v.track) AS points
         FROM vessel_tracks v WHERE v.track IS NOT NULL ORDER BY v.fixes DESC LIMIT 1`,
        );
        expect(rows[0].points).toBe(rows[0].fixes);
      },
    );
  });

  describe('upserts', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createMigratedDatabase('sink_upsert', 'off');
    });
    afterAll(async () => {
      await db?.drop();
    });

    const T = Date.parse('2024-06-01T12:00:00Z');
    function alert(revision: number, end?: number): Alert {
      return {
        id: 'a1b2c3d4e5f6a7b8c9d0',
        kind: 'rendezvous',
        mmsi: 257000001,
        otherMmsi: 257000002,
        zoneId: undefined,
        start: T,
        end,
        lat: 56.5,
        lon: 3.5,
        sources: ['ca', 'no'],
        revision,
        rule: { name: 'rendezvous', version: 1, thresholds: { maxDistanceMeters: 500 } },
        detail: { revisionNote: `r${revision}` },
      };
    }

    it('keeps only the highest revision of an alert, whatever order revisions arrive in', async () => {
      const picture = wholePicture(new MemberRegistry());
      const sink = new HistorySink(db.pool, { log: silentLogger });
      sink.addAlert(picture, alert(1));
      await sink.flush();
      sink.addAlert(picture, alert(3, T + 3_600_000));
      await sink.flush();
      sink.addAlert(picture, alert(2)); // late and older: ignored
      const stale = await sink.flush();
      expect(stale.alertsChanged).toBe(0);
      const read = async () =>
        (await db.pool.query('SELECT revision, end_time, detail, rule, sources FROM alerts')).rows;
      expect(await read()).toEqual([
        {
          revision: 3,
          end_time: new Date(T + 3_600_000),
          detail: { revisionNote: 'r3' },
          rule: { name: 'rendezvous', version: 1, thresholds: { maxDistanceMeters: 500 } },
          sources: ['ca', 'no'],
        },
      ]);
      // Within one buffer too: revision 5 then 4 writes 5.
      sink.addAlert(picture, alert(5, T + 7_200_000));
      sink.addAlert(picture, alert(4));
      expect(sink.bufferedRows).toBe(1);
      await sink.flush();
      expect((await read())[0].revision).toBe(5);
    });

    it('stores the status of each revision: open, closed, then withdrawn with its reason (issue 14)', async () => {
      const picture = wholePicture(new MemberRegistry());
      const sink = new HistorySink(db.pool, { log: silentLogger });
      const id = 'f0e1d2c3b4a5f6e7d8c9';
      const read = async () =>
        (await db.pool.query('SELECT status, withdrawn_reason FROM alerts WHERE id = $1', [id]))
          .rows;
      sink.addAlert(picture, { ...alert(1), id });
      await sink.flush();
      expect(await read()).toEqual([{ status: 'open', withdrawn_reason: null }]);
      sink.addAlert(picture, { ...alert(2, T + 3_600_000), id });
      await sink.flush();
      expect(await read()).toEqual([{ status: 'closed', withdrawn_reason: null }]);
      sink.addAlert(picture, {
        ...alert(3, T + 3_600_000),
        id,
        withdrawnReason: 'path_not_covered',
      });
      await sink.flush();
      expect(await read()).toEqual([{ status: 'withdrawn', withdrawn_reason: 'path_not_covered' }]);
      // The table refuses a withdrawal without its reason.
      await expect(
        db.pool.query('UPDATE alerts SET withdrawn_reason = NULL WHERE id = $1', [id]),
      ).rejects.toThrow(/alerts_withdrawn_reason/);
    });

    it('never lets an older vessel state overwrite a newer one', async () => {
      const members = new MemberRegistry();
      const picture = wholePicture(members);
      const sink = new HistorySink(db.pool, { log: silentLogger });
      const newer = new VesselTrack(257000009, 0);
      Object.assign(newer, { firstSeen: T, lastSeen: T + 60_000, fixTime: T + 60_000 });
      Object.assign(newer, { lat: 56.6, lon: 3.6, sourceSet: members.setOf('no') });
      newer.callSign = 'LAXX';
      sink.addTrack(picture, newer);
      await sink.flush();
      // A restarted worker replays older input: an older fix, a name the newer state lacks.
      const older = new VesselTrack(257000009, 0);
      Object.assign(older, { firstSeen: T - 60_000, lastSeen: T, fixTime: T });
      Object.assign(older, { lat: 56.5, lon: 3.5, sourceSet: members.setOf('ca') });
      older.shipName = 'NORDIC STAR';
      older.callSign = 'OLD1';
      sink.addTrack(picture, older);
      await sink.flush();
      const { rows } = await db.pool.query(
        'SELECT lat, lon, ship_name, call_sign, sources, first_seen, last_seen FROM vessels',
      );
      expect(rows).toEqual([
        {
          lat: 56.6,
          lon: 3.6,
          ship_name: 'NORDIC STAR',
          call_sign: 'LAXX',
          sources: ['ca', 'no'],
          first_seen: new Date(T - 60_000),
          last_seen: new Date(T + 60_000),
        },
      ]);
    });

    it('stores odd station ids and skips reports without a usable position', async () => {
      const members = new MemberRegistry();
      const picture = wholePicture(members);
      const sink = new HistorySink(db.pool, { log: silentLogger });
      const m = new AisMessage();
      Object.assign(m, { type: 1, mmsi: 257000010, lat: 56.5, lon: 3.5, payloadHash: -5 });
      const report = new Report(m, T, members.setOf('no'), 'st "A", \\ tab\there');
      report.mergeDuplicate(new Report(m, T + 10, members.setOf('ca'), 'NULL'), members);
      const track = new VesselTrack(257000010, 0);
      Object.assign(track, { firstSeen: T, lastSeen: T });
      sink.addReport(picture, report, track);
      Object.assign(m, { lat: 0, lon: 0, payloadHash: 6 });
      sink.addReport(picture, new Report(m, T + 1000, members.setOf('no'), 's1'), track);
      Object.assign(m, { type: 5, lat: undefined, lon: undefined, payloadHash: 7 });
      sink.addReport(picture, new Report(m, T + 2000, members.setOf('no'), 's1'), track);
      const result = await sink.flush();
      expect(result.positions).toBe(1);
      expect(sink.stats.positionsSkipped).toBe(1);
      const { rows } = await db.pool.query(
        'SELECT payload_hash, sources, stations FROM positions WHERE mmsi = 257000010',
      );
      expect(rows).toEqual([
        { payload_hash: -5, sources: ['ca', 'no'], stations: ['st "A", \\ tab\there', 'NULL'] },
      ]);
    });
  });

  describe('Postgres unavailable', () => {
    let db: TestDatabase;
    let proxy: TcpProxy;
    let pool: pg.Pool;
    beforeAll(async () => {
      db = await createMigratedDatabase('sink_outage', 'auto');
      const server = new URL(SERVER_URL);
      proxy = await TcpProxy.reserve(server.hostname, Number(server.port || 5432));
      const url = new URL(databaseUrl(db.name));
      url.hostname = '127.0.0.1';
      url.port = String(proxy.port);
      pool = createPostgresPool({
        databaseUrl: url.toString(),
        connectTimeoutMs: 2_000,
        log: silentLogger,
      });
    });
    afterAll(async () => {
      await proxy?.close();
      await pool?.end();
      await db?.drop();
    });

    it('waits through a down server, a restart and a crash mid-COPY, and loses nothing', async () => {
      const later = (ms: number, action: () => unknown) => setTimeout(action, ms);
      const outages: string[] = [];
      const run = await replayWithSink(
        scenario,
        pool,
        4_000,
        { retry: { initialDelayMs: 20, maxDelayMs: 200, giveUpAfterMs: 60_000 } },
        (flushNumber) => {
          if (flushNumber === 1) {
            // Postgres not up yet (the proxy starts closed): refused connections for 0.8 s.
            outages.push('down');
            later(800, () => proxy.open());
          } else if (flushNumber === 3) {
            // A restart: every connection cut, nothing listening for 0.5 s.
            outages.push('restart');
            void proxy.close();
            later(500, () => proxy.open());
          } else if (flushNumber === 5) {
            // The connection dies in the middle of the COPY (about 50 kB in) for 0.4 s.
            outages.push('cut');
            proxy.cutAfterBytes(50_000);
            later(400, () => proxy.cutAfterBytes(undefined));
          }
        },
      );
      expect(outages).toEqual(['down', 'restart', 'cut']);
      expect(run.sink.stats.retries).toBeGreaterThanOrEqual(3);
      expect(run.flushes.filter((f) => f.attempts > 1).length).toBeGreaterThanOrEqual(3);
      const stored = await storedKeys(db.pool);
      expect(stored.length).toBe(run.keys.size);
      expect(new Set(stored)).toEqual(run.keys);
      expect(await count(db.pool, 'alerts')).toBe(run.alerts.size);
    });

    it('gives up after the limit with PG_UNAVAILABLE, keeps the batch, and writes it later', async () => {
      const members = new MemberRegistry();
      const picture = wholePicture(members);
      const sink = new HistorySink(pool, {
        highWaterMarkRows: 1_000,
        retry: { initialDelayMs: 20, maxDelayMs: 100, giveUpAfterMs: 300 },
        log: silentLogger,
      });
      const m = new AisMessage();
      const track = new VesselTrack(999000001, 0);
      const T = Date.parse('2024-06-03T00:00:00Z');
      const add = (from: number, to: number) => {
        for (let i = from; i < to; i++) {
          Object.assign(m, {
            type: 1,
            mmsi: 999000001,
            lat: 56 + i * 1e-4,
            lon: 3,
            payloadHash: i,
          });
          Object.assign(track, { firstSeen: T, lastSeen: T + i * 1000 });
          sink.addReport(picture, new Report(m, T + i * 1000, members.setOf('ca'), 's1'), track);
        }
      };
      add(0, 1_200);
      expect(sink.full).toBe(true);
      await proxy.close();
      const error = await sink.flush().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PostgresError);
      expect((error as PostgresError).code).toBe('PG_UNAVAILABLE');
      expect((error as PostgresError).message).toMatch(/limit 0\.3 s\): connect ECONNREFUSED/);
      expect(sink.bufferedRows).toBe(1_201); // 1200 positions and the vessel
      add(1_200, 1_500); // the worker keeps going while Postgres is away
      await proxy.open();
      const result = await sink.flush();
      expect(result.positionsInserted).toBe(1_500);
      expect(sink.bufferedRows).toBe(0);
      expect(sink.full).toBe(false);
      expect(await count(db.pool, 'positions WHERE mmsi = 999000001')).toBe(1_500);
    });
  });
});
