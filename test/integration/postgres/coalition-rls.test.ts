import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runMigrate } from '../../../src/cli/migrate-command.js';
import type { Coalition } from '../../../src/coalition/coalition.js';
import { memberRoleName } from '../../../src/coalition/member-id.js';
import { pictureClasses } from '../../../src/coalition/picture-classes.js';
import type { Report } from '../../../src/fusion/report.js';
import { loadCoalitionFile } from '../../../src/io/coalition-file.js';
import {
  type AppliedPolicy,
  applyCoalitionPolicy,
} from '../../../src/io/postgres/coalition-policy-store.js';
import { HistorySink } from '../../../src/io/postgres/history-sink.js';
import { isHistoryPosition } from '../../../src/io/postgres/position-copy-writer.js';
import { createPostgresPool } from '../../../src/io/postgres/postgres-pool.js';
import {
  type CoalitionReplayResult,
  replayCoalition,
} from '../../../src/pipeline/coalition-replay.js';
import { DEFAULT_CORE_CONFIG } from '../../../src/pipeline/core-config.js';
import { defaultDetectors } from '../../../src/pipeline/default-detectors.js';
import { deliverToMembers, type MemberPicture } from '../../../src/pipeline/member-delivery.js';
import { picturesForFeeds } from '../../../src/pipeline/pictures-for-feeds.js';
import { silentLogger } from '../../../src/util/logger.js';
import { type Scenario, writeScenario } from './scenario-run.js';
import {
  count,
  createMigratedDatabase,
  databaseUrl,
  SERVER_URL,
  type TestDatabase,
} from './test-database.js';

/**
 * Issue 13, Postgres: rows stored once per picture, `member_<id>` roles under row-level security.
 * The coalition is config/coalition.example.yaml over the simulator's world: private zones
 * (eez-1 for ca, no, au; restricted-1 for ca alone), `inside` rules (no withholds mpa-1, au
 * port-2) and a sub-national member with an area (ca-kb, port-1). Rows are written by
 * HistorySink as a login of `tidewatch_writer` (not a superuser) for every picture of a
 * `replay --coalition` run; each member role then reads exactly its picture, and nothing else.
 */

const RUN = process.env.TIDEWATCH_INTEGRATION === '1';
const EXAMPLE = new URL('../../../config/coalition.example.yaml', import.meta.url).pathname;
const ANALYST_QUERIES = new URL('../../../docs/analyst-queries.md', import.meta.url);
const CONFIG = DEFAULT_CORE_CONFIG;
const OURS = [
  'alerts',
  'positions',
  'positions_20240601',
  'positions_20240602',
  'vessel_tracks',
  'vessels',
];
/** PostGIS's own catalog tables and views, readable by PUBLIC: no Tidewatch data. */
const POSTGIS_CATALOG = ['geography_columns', 'geometry_columns', 'spatial_ref_sys'];
const CLOSED = [
  'worker_checkpoints',
  'pictures',
  'picture_grants',
  'picture_audiences',
  'coalition_members',
  'coalition_policy',
  'private_zones',
  'schema_migrations',
];

/** `SELECT` through `client` as `role` (SET LOCAL ROLE in a transaction rolled back after). */
async function asRole<T>(
  pool: pg.Pool,
  role: string,
  read: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SET LOCAL ROLE ${role}`);
    return await read(client);
  } finally {
    await client.query('ROLLBACK').catch(() => {});
    client.release();
  }
}

/** The SQLSTATE a statement fails with (undefined when it succeeds). */
async function failure(client: pg.ClientBase, sql: string): Promise<string | undefined> {
  await client.query('SAVEPOINT probe');
  try {
    await client.query(sql);
    await client.query('RELEASE SAVEPOINT probe');
    return undefined;
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT probe');
    return (error as { code?: string }).code;
  }
}

function loginUrl(db: TestDatabase, role: string): string {
  const url = new URL(databaseUrl(db.name, SERVER_URL));
  url.username = role;
  url.password = '';
  return url.toString();
}

/** A plan's nodes, depth first. */
function planNodes(plan: Record<string, unknown>): Record<string, unknown>[] {
  const children = (plan.Plans as Record<string, unknown>[] | undefined) ?? [];
  return [plan, ...children.flatMap(planNodes)];
}

describe.skipIf(!RUN).each(['require', 'off'] as const)(
  'coalition sharing in Postgres (issue 13), PostGIS %s',
  (postgis) => {
    const gis = postgis === 'require';
    let scenario: Scenario;
    let coalition: Coalition;
    let db: TestDatabase;
    let writer: pg.Pool;
    const suffix = `${process.pid}_${randomBytes(3).toString('hex')}`;
    const writerRole = `tw_writer_${suffix}`;
    const analystRole = `tw_analyst_${suffix}`;
    /** A login granted two member roles (ca's and no's). */
    const twoRolesLogin = `tw_two_${suffix}`;
    let applied: AppliedPolicy;
    let replayed: CoalitionReplayResult;
    let delivered: Map<string, MemberPicture>;
    /** Fused position reports per picture class index (what each picture's core stored). */
    const reports = new Map<number, Report[]>();
    let tmp: string;
    /** The coalition file of the test. */
    let base: string;

    beforeAll(async () => {
      tmp = mkdtempSync(join(tmpdir(), 'tidewatch-rls-'));
      scenario = writeScenario(13, 40, 6);
      // The port authority's area is restricted-1 here: only Canada's receivers release to it,
      // they hear nothing in port-1 in this scenario and everything they hear lies in eez-1 (an
      // area that holds nothing or everything would not show the area is applied). restricted-1
      // is also Canada's private zone: its alerts stay hidden from ca-kb, positioned there or not.
      base = join(tmp, 'coalition.yaml');
      const example = readFileSync(EXAMPLE, 'utf8');
      writeFileSync(base, example.replace('area: [port-1]', 'area: [restricted-1]'));
      expect(readFileSync(base, 'utf8')).not.toBe(example);
      coalition = loadCoalitionFile(base, scenario.zones.zones);
      db = await createMigratedDatabase(`rls_${gis ? 'gis' : 'plain'}`, postgis);
      await db.pool.query(`CREATE ROLE ${writerRole} LOGIN IN ROLE tidewatch_writer`);
      writer = createPostgresPool({ databaseUrl: loginUrl(db, writerRole), log: silentLogger });
      // The classes `replay` computes (members without a feed merged, pictures-for-feeds.ts).
      const classes = picturesForFeeds(
        pictureClasses(coalition),
        new Set(scenario.feeds.map((feed) => feed.member)),
      );
      applied = await applyCoalitionPolicy(writer, coalition, classes);
      await db.pool.query(`CREATE ROLE ${analystRole} LOGIN IN ROLE ${memberRoleName('ca')}`);
      await db.pool.query(
        `CREATE ROLE ${twoRolesLogin} LOGIN IN ROLE ${memberRoleName('ca')}, ${memberRoleName('no')}`,
      );

      const sink = new HistorySink(writer, { zones: scenario.zones, coalition, log: silentLogger });
      replayed = await replayCoalition({
        feeds: scenario.feeds,
        coalition,
        zones: scenario.zones,
        config: CONFIG,
        detectors: defaultDetectors(CONFIG),
        observe: (picture, core) => {
          // A picture whose audiences receive no tracks stores no positions or vessels.
          const tracks = picture.outputs.includes('tracks');
          const stored = {
            id: applied.pictureIds[picture.index]!,
            tracks,
            policyVersion: applied.version,
            get members() {
              return core().members;
            },
          };
          const mine: Report[] = [];
          reports.set(picture.index, mine);
          return {
            alert: (alert) => sink.addAlert(stored, alert),
            report: (report, track) => {
              sink.addReport(stored, report, track);
              if (tracks && isHistoryPosition(report)) mine.push(report);
            },
          };
        },
      });
      expect(replayed.set.pictures.classes.map((c) => c.key)).toEqual(
        classes.classes.map((c) => c.key),
      );
      await sink.flush();
      const states = replayed.pictures.map((p) => ({ alerts: p.alerts, tracks: p.tracks }));
      delivered = new Map(
        deliverToMembers(coalition, replayed.set.pictures, states, scenario.zones).map((m) => [
          m.member,
          m,
        ]),
      );
    });

    afterAll(async () => {
      await writer?.end();
      await db?.drop();
      // Login roles are cluster-wide: dropped with the database they were made for.
      const server = createPostgresPool({ databaseUrl: SERVER_URL, log: silentLogger });
      for (const role of [writerRole, analystRole, twoRolesLogin]) {
        await server.query(`DROP ROLE IF EXISTS ${role}`).catch(() => {});
      }
      await server.end();
      scenario?.remove();
      rmSync(tmp, { recursive: true, force: true });
    });

    /** Position rows per vessel that `member` should read: its track picture, inside its area. */
    function expectedPositions(member: string): Map<number, number> {
      const picture = delivered.get(member)!;
      const counts = new Map<number, number>();
      if (picture.trackPicture < 0) return counts;
      const area = coalition.members.find((m) => m.id === member)!.area;
      const scratch: number[] = [];
      for (const report of reports.get(picture.trackPicture)!) {
        if (area !== undefined) {
          const n = scenario.zones.zonesAt(report.lon!, report.lat!, scratch);
          const ids = scratch.slice(0, n).map((i) => scenario.zones.zones[i]!.id);
          if (!ids.some((id) => area.includes(id))) continue;
        }
        counts.set(report.mmsi, (counts.get(report.mmsi) ?? 0) + 1);
      }
      return counts;
    }

    const alertKey = (id: string, kind: string, start: number, end: number | undefined) =>
      `${id} ${kind} ${new Date(start).toISOString()} ${end === undefined ? '-' : new Date(end).toISOString()}`;

    it('stores each picture once and gives every member role exactly its replay picture', async () => {
      // Rows are per stored picture, not per member: ca and au share one picture (docs/coalition.md).
      const { rows: perPicture } = await db.pool.query<{ picture_id: number; n: number }>(
        'SELECT picture_id, count(*)::int AS n FROM positions GROUP BY 1 ORDER BY 1',
      );
      const withTracks = replayed.set.pictures.classes
        .filter((c) => c.outputs.includes('tracks'))
        .map((c) => applied.pictureIds[c.index]!);
      expect(perPicture.map((r) => r.picture_id)).toEqual(withTracks.sort((a, b) => a - b));
      const totals = new Map<string, number>();
      for (const member of coalition.members.map((m) => m.id)) {
        const role = memberRoleName(member);
        const expected = delivered.get(member)!;
        const read = await asRole(db.pool, role, async (client) => ({
          alerts: (
            await client.query<{
              id: string;
              kind: string;
              start_time: Date;
              end_time: Date | null;
            }>('SELECT id, kind, start_time, end_time FROM alerts')
          ).rows,
          positions: (
            await client.query<{ mmsi: number; n: number }>(
              'SELECT mmsi, count(*)::int AS n FROM positions GROUP BY mmsi',
            )
          ).rows,
          vessels: (await client.query<{ mmsi: number }>('SELECT mmsi FROM vessels')).rows,
        }));
        expect(
          read.alerts
            .map((a) => alertKey(a.id, a.kind, a.start_time.getTime(), a.end_time?.getTime()))
            .sort(),
          member,
        ).toEqual(expected.alerts.map((a) => alertKey(a.id, a.kind, a.start, a.end)).sort());
        expect(new Map(read.positions.map((r) => [r.mmsi, r.n])), member).toEqual(
          expectedPositions(member),
        );
        expect(read.vessels.map((v) => v.mmsi).sort(), member).toEqual(
          expected.tracks.map((t) => t.mmsi).sort(),
        );
        totals.set(
          member,
          read.positions.reduce((sum, r) => sum + r.n, 0),
        );
      }
      // The pictures differ, so the comparison above could fail: the area member sees a part.
      expect(totals.get('ca')!, 'ca').toBeGreaterThan(0);
      expect(totals.get('ca-kb')!, 'ca-kb').toBeGreaterThan(0);
      expect(totals.get('ca-kb')!).toBeLessThan(totals.get('ca')!);
      // The area is applied: ca-kb's picture holds positions outside it that ca-kb does not read.
      const kbPicture = delivered.get('ca-kb')!.trackPicture;
      expect(reports.get(kbPicture)!.length).toBeGreaterThan(
        [...expectedPositions('ca-kb').values()].reduce((sum, n) => sum + n, 0),
      );
      // ca and no read the same reports fused in two pictures (Norway's withheld in mpa-1 for
      // ca, Australia's in port-2 for no): rows of different stored pictures.
      const picturesOf = (member: string) =>
        asRole(db.pool, memberRoleName(member), async (client) =>
          (await client.query('SELECT DISTINCT picture_id FROM positions')).rows.map(
            (r) => r.picture_id,
          ),
        );
      const [caPictures, noPictures] = [await picturesOf('ca'), await picturesOf('no')];
      expect(caPictures).toHaveLength(1);
      expect(noPictures).toHaveLength(1);
      expect(caPictures).not.toEqual(noPictures);
      // Private zones: restricted-1's alerts reach ca and nobody else.
      const restricted = delivered.get('ca')!.alerts.filter((a) => a.zoneId === 'restricted-1');
      const restrictedStored = await count(db.pool, "alerts WHERE zone_id = 'restricted-1'");
      expect(restrictedStored, 'restricted-1 alerts stored').toBeGreaterThan(0);
      expect(restricted.length, 'restricted-1 alerts for ca').toBeGreaterThan(0);
      // Every alert, vessel and position carries the policy version it was released under
      // (DESIGN.md §6; positions since migration 0007).
      const versions = await db.pool.query(
        `SELECT DISTINCT policy_version FROM alerts UNION SELECT DISTINCT policy_version FROM vessels
         UNION SELECT DISTINCT policy_version FROM positions`,
      );
      expect(versions.rows).toEqual([{ policy_version: applied.version }]);
      // Every reader of a vessel row sees its zones: private zones are left out there.
      expect(await count(db.pool, "vessels WHERE zones && '{eez-1,restricted-1}'")).toBe(0);
      expect(
        await count(db.pool, "vessels WHERE zones && '{port-1,port-2,mpa-1}'"),
      ).toBeGreaterThan(0);
      for (const member of ['no', 'au', 'ca-kb']) {
        const seen = await asRole(db.pool, memberRoleName(member), async (client) =>
          Number(
            (await client.query("SELECT count(*) FROM alerts WHERE zone_id = 'restricted-1'"))
              .rows[0].count,
          ),
        );
        expect(seen, member).toBe(0);
      }
    });

    it('lets a member role reach only its rows, in every table, view, partition, function and sequence', async () => {
      for (const member of coalition.members.map((m) => m.id)) {
        const role = memberRoleName(member);
        const { rows: reachable } = await db.pool.query<{
          relname: string;
          relkind: string;
          rls: boolean;
          forced: boolean;
          options: string[] | null;
        }>(
          `SELECT c.relname, c.relkind, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
                c.reloptions AS options
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
           AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
           AND has_any_column_privilege($1, c.oid, 'SELECT')
         ORDER BY c.relname`,
          [role],
        );
        expect(reachable.map((r) => r.relname).sort(), member).toEqual(
          [
            ...OURS.filter((name) => gis || name !== 'vessel_tracks'),
            ...(gis ? POSTGIS_CATALOG : []),
          ].sort(),
        );
        for (const relation of reachable) {
          if (POSTGIS_CATALOG.includes(relation.relname)) continue;
          if (relation.relkind === 'v') {
            expect(relation.options, relation.relname).toContain('security_invoker=true');
          } else {
            expect([relation.relname, relation.rls, relation.forced]).toEqual([
              relation.relname,
              true,
              true,
            ]);
          }
        }
        // No write of any kind, on anything; no sequence.
        const writable = await db.pool.query(
          `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
           AND has_table_privilege($1, c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')`,
          [role],
        );
        expect(writable.rows, member).toEqual([]);
        const sequences = await db.pool.query(
          `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind = 'S'
           AND CASE WHEN c.relkind = 'S' THEN has_sequence_privilege($1, c.oid, 'USAGE, SELECT, UPDATE') END`,
          [role],
        );
        expect(sequences.rows, member).toEqual([]);
        const functions = await db.pool.query<{ fn: string }>(
          `SELECT p.oid::regprocedure::text AS fn FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = 'public' AND (p.proname LIKE 'tidewatch%' OR p.proname LIKE 'ensure%')
           AND has_function_privilege($1, p.oid, 'EXECUTE') ORDER BY 1`,
          [role],
        );
        expect(functions.rows.map((r) => r.fn)).toEqual([
          'tidewatch_alert_outputs(name)',
          'tidewatch_area(name)',
          'tidewatch_hidden_zones(name)',
          'tidewatch_member_of(name)',
          'tidewatch_pictures(name,text)',
        ]);

        // Each partition queried directly, and the view, hold only what the parent shows.
        const mine = applied.grants
          .filter((g) => g.member === member && g.outputs.includes('tracks'))
          .map((g) => g.pictureId);
        const area = coalition.members.find((m) => m.id === member)!.area ?? null;
        await asRole(db.pool, role, async (client) => {
          const n = async (sql: string, values: unknown[] = []) =>
            Number((await client.query(sql, values)).rows[0].n);
          let fromPartitions = 0;
          for (const [partition, day] of [
            ['positions_20240601', '2024-06-01'],
            ['positions_20240602', '2024-06-02'],
          ] as const) {
            const direct = await n(`SELECT count(*) AS n FROM ${partition}`);
            const viaParent = await n(
              `SELECT count(*) AS n FROM positions WHERE time >= $1::timestamptz AND time < $1::timestamptz + interval '1 day'`,
              [`${day}T00:00:00Z`],
            );
            expect(direct, `${member} ${partition}`).toBe(viaParent);
            expect(
              await n(
                `SELECT count(*) AS n FROM ${partition}
               WHERE NOT (picture_id = ANY ($1)) OR ($2::text[] IS NOT NULL AND NOT coalesce(area_zones && $2, false))`,
                [mine, area],
              ),
            ).toBe(0);
            fromPartitions += direct;
          }
          const total = await n('SELECT count(*) AS n FROM positions');
          expect(fromPartitions).toBe(total);
          if (gis) {
            expect(await n('SELECT coalesce(sum(fixes), 0) AS n FROM vessel_tracks')).toBe(total);
            expect(
              await n('SELECT count(*) AS n FROM vessel_tracks WHERE NOT (picture_id = ANY ($1))', [
                mine,
              ]),
            ).toBe(0);
          }
        });
      }
    });

    it('refuses writes, other members, closed tables and turning the policy off', async () => {
      const analyst = createPostgresPool({
        databaseUrl: loginUrl(db, analystRole),
        log: silentLogger,
      });
      try {
        const client = await analyst.connect();
        try {
          await client.query('BEGIN');
          // The analyst login acts as ca through its grant: it reads ca's picture.
          const caPositions = await asRole(db.pool, memberRoleName('ca'), async (c) =>
            Number((await c.query('SELECT count(*) AS n FROM positions')).rows[0].n),
          );
          expect(
            Number((await client.query('SELECT count(*) AS n FROM positions')).rows[0].n),
          ).toBe(caPositions);
          for (const table of CLOSED) {
            expect(await failure(client, `SELECT * FROM ${table}`), table).toBe('42501');
          }
          const writes = [
            "INSERT INTO alerts (picture_id, id, kind, mmsi, start_time, sources, revision, rule, detail) VALUES (1, 'x', 'dark_gap', 1, now(), '{}', 1, '{}', '{}')",
            'UPDATE vessels SET ship_name = NULL',
            'DELETE FROM positions',
            'DELETE FROM positions_20240601',
            'TRUNCATE alerts',
            "SELECT ensure_positions_partition('2030-01-01')",
            "SELECT tidewatch_apply_policy('{}')",
            'SELECT tidewatch_secure_schema()',
            'ALTER TABLE positions DISABLE ROW LEVEL SECURITY',
            'ALTER TABLE positions_20240601 NO FORCE ROW LEVEL SECURITY',
            'DROP POLICY member_read ON alerts',
            `SET ROLE ${memberRoleName('no')}`,
            `SET ROLE ${writerRole}`,
            'SET ROLE tidewatch_writer',
          ];
          for (const sql of writes) expect(await failure(client, sql), sql).toBe('42501');
          // Column statistics (most common values, histograms) would show other members' data:
          // Postgres leaves tables under row-level security out of pg_stats for such a reader.
          await db.pool.query('ANALYZE positions, vessels, alerts');
          const statsOf = "pg_stats WHERE tablename IN ('positions', 'vessels', 'alerts')";
          expect(await count(db.pool, statsOf)).toBeGreaterThan(0);
          expect(
            Number((await client.query(`SELECT count(*) AS n FROM ${statsOf}`)).rows[0].n),
          ).toBe(0);
          // row_security = off makes a query under a policy an error, never a bypass.
          await client.query('SET LOCAL row_security = off');
          expect(await failure(client, 'SELECT count(*) FROM positions')).toBe('42501');
          await client.query('SET LOCAL row_security = on');
          // The policy functions answer for the caller's own role only.
          const own = await client.query('SELECT tidewatch_pictures(current_user, $1) AS p', [
            'tracks',
          ]);
          expect(own.rows[0].p.length).toBeGreaterThan(0);
          const other = await client.query(
            "SELECT tidewatch_pictures('member_no', 'tracks') AS p, tidewatch_member_of('member_no') AS m",
          );
          expect(other.rows[0]).toEqual({ p: [], m: null });
          // Its group role alone is no member: it sees nothing.
          await client.query('SET LOCAL ROLE tidewatch_members');
          expect(
            Number((await client.query('SELECT count(*) AS n FROM positions')).rows[0].n),
          ).toBe(0);
          expect(Number((await client.query('SELECT count(*) AS n FROM alerts')).rows[0].n)).toBe(
            0,
          );
        } finally {
          await client.query('ROLLBACK').catch(() => {});
          client.release();
        }
      } finally {
        await analyst.end();
      }
    });

    it('uses the indexes under the policy, the policy evaluated once per query (InitPlan)', async () => {
      const queries = readFileSync(ANALYST_QUERIES, 'utf8');
      const sql = (name: string) =>
        new RegExp(`\`\`\`sql\\n-- query: ${name}( \\(postgis\\))?\\n([\\s\\S]*?)\`\`\``).exec(
          queries,
        )![2]!;
      const { rows } = await db.pool.query<{ mmsi: number }>(
        "SELECT mmsi FROM positions WHERE time < '2024-06-02' GROUP BY mmsi ORDER BY count(*) DESC LIMIT 1",
      );
      await asRole(db.pool, memberRoleName('ca'), async (client) => {
        const explain = async (text: string, values: unknown[]) =>
          planNodes(
            (await client.query(`EXPLAIN (FORMAT JSON) ${text}`, values)).rows[0]['QUERY PLAN'][0]
              .Plan,
          );
        const track = await explain(sql('track-points'), [rows[0]!.mmsi, '2024-06-01T00:00:00Z']);
        const scan = track.find((node) => String(node['Node Type']).includes('Index'));
        expect(scan?.['Index Name']).toBe('positions_20240601_pkey');
        expect(String(scan?.['Index Cond'])).toMatch(/mmsi = /);
        // The picture test runs on the partition's scan, against the InitPlan's value ($n): an
        // index condition, or a filter on the rows the index found, as the planner estimates.
        const onPartition = track
          .filter((node) =>
            String(node['Relation Name'] ?? node['Index Name']).startsWith('positions_20240601'),
          )
          .map((node) => `${node['Index Cond']} ${node['Recheck Cond']} ${node.Filter}`)
          .join(' ');
        expect(onPartition).toMatch(/picture_id = ANY \(\$\d\)/);
        expect(track.some((node) => node['Parent Relationship'] === 'InitPlan')).toBe(true);
        expect(track.some((node) => node['Parent Relationship'] === 'SubPlan')).toBe(false);

        // The alerts table is small here: without sequential scans the planner shows the index it
        // can use under the policy (kind = $1 is leakproof, so it may go first).
        await client.query('SET LOCAL enable_seqscan = off');
        const near = await explain(sql('alerts-near-plain'), ['dark_gap', 44, -63, 50_000]);
        const alertScan = near.find((node) => String(node['Node Type']).includes('Index'));
        expect(alertScan?.['Index Name']).toBe('alerts_kind_start');
        expect(near.some((node) => node['Parent Relationship'] === 'SubPlan')).toBe(false);
      });
    });

    it('gives a login granted two member roles nothing until it acts as one (SET ROLE)', async () => {
      // Two members' releases mixed in one session would show each member what the other may
      // not: tidewatch_member_of answers NULL for a role with the rights of two member roles.
      const login = createPostgresPool({
        databaseUrl: loginUrl(db, twoRolesLogin),
        log: silentLogger,
      });
      const rows = (client: pg.PoolClient) =>
        client.query<{ p: number; a: number; v: number; m: string | null }>(
          `SELECT (SELECT count(*) FROM positions)::int AS p, (SELECT count(*) FROM alerts)::int AS a,
                  (SELECT count(*) FROM vessels)::int AS v, tidewatch_member_of(current_user) AS m`,
        );
      const asMember = (member: string) =>
        asRole(db.pool, memberRoleName(member), async (c) => (await rows(c)).rows[0]!);
      try {
        const client = await login.connect();
        try {
          expect((await rows(client)).rows[0]).toEqual({ p: 0, a: 0, v: 0, m: null });
          for (const member of ['ca', 'no']) {
            await client.query(`SET ROLE ${memberRoleName(member)}`);
            const own = await asMember(member);
            expect(own.p + own.a, member).toBeGreaterThan(0);
            expect((await rows(client)).rows[0], member).toEqual(own);
            await client.query('RESET ROLE');
          }
        } finally {
          client.release();
        }
      } finally {
        await login.end();
      }
    });

    it('applies a narrowed release to the stored history with migrate --coalition, idempotently', async () => {
      const zonesPath = join(tmp, 'zones.geojson');
      writeFileSync(zonesPath, JSON.stringify(scenario.sim.zones));
      const narrowed = join(tmp, 'narrowed.yaml');
      // Norway stops releasing to Australia.
      writeFileSync(
        narrowed,
        readFileSync(base, 'utf8').replace(
          'no: { to: [ca, au], inside: { mpa-1: [] } }',
          'no: { to: [ca], inside: { mpa-1: [] } }',
        ),
      );
      expect(readFileSync(narrowed, 'utf8')).not.toBe(readFileSync(base, 'utf8'));
      const counts = async () => {
        const result = new Map<string, number>();
        for (const member of coalition.members.map((m) => m.id)) {
          result.set(
            member,
            await asRole(db.pool, memberRoleName(member), async (client) =>
              Number(
                (
                  await client.query(
                    'SELECT (SELECT count(*) FROM positions) + (SELECT count(*) FROM alerts) AS n',
                  )
                ).rows[0].n,
              ),
            ),
          );
        }
        return result;
      };
      const before = await counts();
      expect(before.get('au')).toBeGreaterThan(0);
      const positionsBefore = await count(db.pool, 'positions');
      // A policy that names zones is refused without them, before anything is touched.
      const refused = await runMigrate({ databaseUrl: db.url, coalition: narrowed }, silentLogger);
      expect(refused).toBe(2);
      expect(await counts()).toEqual(before);
      const migrateNarrowed = () =>
        runMigrate({ databaseUrl: db.url, coalition: narrowed, zones: [zonesPath] }, silentLogger);
      expect(await migrateNarrowed()).toBe(0);
      const after = await counts();
      // Every picture Australia could read rests on Norway's reports: it reads nothing now.
      expect(after.get('au')).toBe(0);
      expect(after.get('ca')).toBe(before.get('ca'));
      expect(after.get('no')).toBe(before.get('no'));
      expect(after.get('ca-kb')).toBe(before.get('ca-kb'));
      // Nothing was rewritten or deleted.
      expect(await count(db.pool, 'positions')).toBe(positionsBefore);

      const state = async () => ({
        grants: (await db.pool.query('SELECT * FROM picture_grants ORDER BY 1, 2')).rows,
        pictures: (await db.pool.query('SELECT id, visibility FROM pictures ORDER BY id')).rows,
        policy: (await db.pool.query('SELECT version FROM coalition_policy')).rows,
      });
      const once = await state();
      expect(await migrateNarrowed()).toBe(0);
      expect(await state()).toEqual(once);
      expect(await counts()).toEqual(after);

      // Widened back: the history was hidden, not lost.
      expect(
        await runMigrate(
          { databaseUrl: db.url, coalition: base, zones: [zonesPath] },
          silentLogger,
        ),
      ).toBe(0);
      expect(await counts()).toEqual(before);

      // A member leaves: its role reads nothing here and is named, not dropped (cluster-wide).
      const without = join(tmp, 'without-ca-kb.yaml');
      writeFileSync(
        without,
        readFileSync(base, 'utf8')
          .split('\n')
          .filter((line) => !line.trimStart().startsWith('ca-kb:'))
          .join('\n')
          .replaceAll('[ca, ca-kb, no, au]', '[ca, no, au]'),
      );
      expect(readFileSync(without, 'utf8')).not.toContain('ca-kb');
      const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      let printed: string;
      try {
        expect(
          await runMigrate(
            { databaseUrl: db.url, coalition: without, zones: [zonesPath] },
            silentLogger,
          ),
        ).toBe(0);
        printed = out.mock.calls.map((call) => String(call[0])).join('');
      } finally {
        out.mockRestore();
      }
      const caKb = memberRoleName('ca-kb');
      expect(printed).toContain(`${caKb}: its member left the policy and reads nothing here`);
      expect(printed.match(/left the policy/g)).toHaveLength(1);
      expect(await count(db.pool, 'pg_roles WHERE rolname = $1', [caKb])).toBe(1);
      const left = await counts();
      expect(left.get('ca-kb')).toBe(0);
      expect(left.get('ca')).toBe(before.get('ca'));
    });
  },
);
