/**
 * How fast the history sink writes positions: HistorySink (COPY into a staging table, then
 * INSERT ... ON CONFLICT DO NOTHING) against the plain alternative in the same run (one
 * INSERT ... SELECT FROM unnest($arrays) ON CONFLICT DO NOTHING per batch), with and without
 * PostGIS, into fresh databases on the test server. Not a test: it prints numbers.
 *
 *   node --import tsx test/integration/postgres/copy-throughput.ts [rows=400000] [batch=50000]
 */
import { cpus } from 'node:os';
import type pg from 'pg';
import { AisMessage } from '../../../src/ais/ais-message.js';
import { MemberRegistry } from '../../../src/fusion/member-registry.js';
import { Report } from '../../../src/fusion/report.js';
import { VesselTrack } from '../../../src/fusion/vessel-track.js';
import { HistorySink, wholePicture } from '../../../src/io/postgres/history-sink.js';
import type { PostgisMode } from '../../../src/io/postgres/migrator.js';
import { createMigratedDatabase } from './test-database.js';

const rows = Number(process.argv[2] ?? 400_000);
const batchRows = Number(process.argv[3] ?? 50_000);
const VESSELS = 2_000;

/** Seeded reports: VESSELS vessels over one day, in time order, a third heard by two members. */
function makeReports(members: MemberRegistry): { reports: Report[]; tracks: VesselTrack[] } {
  const m = new AisMessage();
  const tracks = Array.from({ length: VESSELS }, (_, i) => new VesselTrack(230_000_000 + i, 0));
  const start = Date.parse('2024-06-01T00:00:00Z');
  const stepMs = 86_400_000 / rows;
  const reports: Report[] = [];
  const memberIds = ['ca', 'no', 'au'];
  for (let i = 0; i < rows; i++) {
    const v = i % VESSELS;
    m.clear();
    m.type = 1;
    m.mmsi = 230_000_000 + v;
    m.lat = 55 + (v % 50) * 0.05 + i * 1e-7;
    m.lon = 2 + Math.floor(v / 50) * 0.05;
    m.sog = 12.3;
    m.cog = 87.5;
    m.heading = 88;
    m.navStatus = 0;
    m.payloadHash = (i * 2654435761) | 0;
    const time = Math.round(start + i * stepMs);
    const report = new Report(m, time, members.setOf(memberIds[v % 3]!), `st${v % 12}`);
    if (i % 3 === 0)
      report.mergeDuplicate(new Report(m, time + 40, members.setOf('no'), 'st99'), members);
    reports.push(report);
    const track = tracks[v]!;
    if (Number.isNaN(track.firstSeen)) track.firstSeen = time;
    track.lastSeen = time;
  }
  return { reports, tracks };
}

async function viaSink(
  pool: pg.Pool,
  members: MemberRegistry,
  reports: Report[],
  tracks: VesselTrack[],
) {
  const sink = new HistorySink(pool, {});
  const picture = wholePicture(members);
  const started = performance.now();
  for (let i = 0; i < reports.length; i++) {
    sink.addReport(picture, reports[i]!, tracks[i % VESSELS]!);
    if (sink.bufferedRows >= batchRows) await sink.flush();
  }
  await sink.flush();
  return performance.now() - started;
}

/** The alternative: no COPY, one INSERT of parallel arrays per batch (positions only). */
async function viaUnnest(pool: pg.Pool, members: MemberRegistry, reports: Report[]) {
  const started = performance.now();
  for (let from = 0; from < reports.length; from += batchRows) {
    const batch = reports.slice(from, from + batchRows);
    await pool.query(
      `INSERT INTO positions (mmsi, time, payload_hash, msg_type, lat, lon, sog, cog, heading,
         nav_status, sources, stations)
       SELECT mmsi, timestamptz 'epoch' + ms * interval '1 millisecond', h, t, lat, lon, sog, cog,
         hd, ns, string_to_array(src, ','), string_to_array(st, ',')
       FROM unnest($1::int[], $2::float8[], $3::int[], $4::int2[], $5::float8[], $6::float8[],
         $7::real[], $8::real[], $9::int2[], $10::int2[], $11::text[], $12::text[])
         AS x(mmsi, ms, h, t, lat, lon, sog, cog, hd, ns, src, st)
       ON CONFLICT (mmsi, picture_id, time, payload_hash) DO NOTHING`,
      [
        batch.map((r) => r.mmsi),
        batch.map((r) => r.time),
        batch.map((r) => r.payloadHash | 0),
        batch.map((r) => r.type),
        batch.map((r) => r.lat),
        batch.map((r) => r.lon),
        batch.map((r) => r.sog ?? null),
        batch.map((r) => r.cog ?? null),
        batch.map((r) => r.heading ?? null),
        batch.map((r) => r.navStatus ?? null),
        batch.map((r) => members.idsOf(r.sourceSet).join(',')),
        batch.map((r) => r.stations.join(',')),
      ],
    );
  }
  return performance.now() - started;
}

const members = new MemberRegistry();
const { reports, tracks } = makeReports(members);
process.stdout.write(
  `${rows} position reports, ${VESSELS} vessels, batches of ${batchRows}; Node ${process.version}, ${cpus().length} x ${cpus()[0]?.model}\n`,
);
for (const postgis of ['off', 'require'] as PostgisMode[]) {
  for (const method of ['HistorySink (COPY + staging)', 'INSERT ... unnest (alternative)']) {
    const db = await createMigratedDatabase('copy_bench', postgis);
    try {
      await db.pool.query('SELECT ensure_positions_partition($1::date)', ['2024-06-01']);
      const ms = method.startsWith('History')
        ? await viaSink(db.pool, members, reports, tracks)
        : await viaUnnest(db.pool, members, reports);
      const again = method.startsWith('History')
        ? await viaSink(db.pool, members, reports, tracks)
        : await viaUnnest(db.pool, members, reports);
      const { rows: n } = await db.pool.query('SELECT count(*)::int AS n FROM positions');
      process.stdout.write(
        `  PostGIS ${postgis === 'off' ? 'no ' : 'yes'}  ${method.padEnd(32)} ${Math.round(
          rows / (ms / 1000),
        )
          .toString()
          .padStart(7)} rows/s new, ${Math.round(rows / (again / 1000))
          .toString()
          .padStart(7)} rows/s replayed (all duplicates); ${n[0].n} rows\n`,
      );
    } finally {
      await db.drop();
    }
  }
}
