import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { MemberNames, SourceSet } from '../../fusion/member-registry.js';
import { isPositionType, type Report } from '../../fusion/report.js';
import type { AreaZones } from './area-zones.js';
import { CopyBinaryWriter, textArrayField, textField } from './copy-binary.js';

/**
 * A report to store, the stored picture it was fused in, that picture's member registry and the
 * coalition policy version it is released under (none without a coalition).
 */
export interface PositionToWrite {
  readonly pictureId: number;
  readonly members: MemberNames;
  readonly policyVersion: string | undefined;
  readonly report: Report;
}

/**
 * True for the reports that become `positions` rows: a position-carrying message (ITU-R M.1371
 * types 1-3, 9, 18, 19, 21, 27) with a usable position. (0, 0) is the classic unset-GNSS value
 * (the core does not move a track with it either); out-of-range values never reach here from the
 * decoder, but a row Postgres would refuse must not fail a whole batch.
 */
export function isHistoryPosition(report: Report): boolean {
  const { lat, lon } = report;
  return (
    (isPositionType(report.type) || report.type === 21) &&
    lat !== undefined &&
    lon !== undefined &&
    !(lat === 0 && lon === 0) &&
    lat >= -90 &&
    lat <= 90 &&
    lon >= -180 &&
    lon <= 180
  );
}

/**
 * Session-local staging table: COPY cannot skip rows that already exist, so a batch is copied
 * here first and moved with INSERT ... ON CONFLICT DO NOTHING. Times stay epoch milliseconds
 * until the INSERT (no ISO strings built per row). Rows vanish at commit or rollback.
 */
const STAGING_DDL = `CREATE TEMP TABLE IF NOT EXISTS positions_staging (
  mmsi integer,
  time_ms double precision,
  payload_hash integer,
  msg_type smallint,
  lat double precision,
  lon double precision,
  sog real,
  cog real,
  heading smallint,
  nav_status smallint,
  sources text[],
  stations text[],
  picture_id integer,
  area_zones text[],
  policy_version text
) ON COMMIT DELETE ROWS`;

const COPY_SQL = 'COPY positions_staging FROM STDIN (FORMAT binary)';

/**
 * Moves the staged rows into `positions`, skipping every report already stored: the same
 * payload of the same vessel within the dedupe window ($1) is the same report, whatever its
 * stored time. The time of a report is the earliest receive time among the copies the core
 * merged, and after a crash a worker re-reads only the partitions whose offsets were not
 * committed, so a re-read report can come back with a later copy's time: an exact-key conflict
 * would miss it and store it twice. The primary key (mmsi, time, payload_hash) serves the probe.
 */
const INSERT_SQL = `INSERT INTO positions
  (mmsi, time, payload_hash, msg_type, lat, lon, sog, cog, heading, nav_status, sources, stations,
   picture_id, area_zones, policy_version)
SELECT s.mmsi, s.time, s.payload_hash, s.msg_type,
  s.lat, s.lon, s.sog, s.cog, s.heading, s.nav_status, s.sources, s.stations,
  s.picture_id, s.area_zones, s.policy_version
FROM (
  SELECT *, timestamptz 'epoch' + time_ms * interval '1 millisecond' AS time FROM positions_staging
) s
WHERE NOT EXISTS (
  SELECT 1 FROM positions p
  WHERE p.mmsi = s.mmsi AND p.payload_hash = s.payload_hash
    AND p.time BETWEEN s.time - $1::interval AND s.time + $1::interval
    AND p.picture_id = s.picture_id
)
ON CONFLICT (mmsi, time, payload_hash, picture_id) DO NOTHING`;

/** COPY data is sent in pieces of about this many bytes. */
const CHUNK_BYTES = 1 << 16;
/** Columns of positions_staging. */
const STAGING_COLUMNS = 15;

/**
 * Writes position reports to `positions` with COPY (pg-copy-streams) through a staging table,
 * idempotently: a report already in the table (same mmsi and payload within the dedupe window)
 * is skipped, so input re-read after a crash adds no duplicate rows. Provenance merged into a report after its
 * row was written is not added to the row (the vessel's `sources` still get it).
 */
export class PositionCopyWriter {
  /**
   * COPY field of a member set, per member registry (a set id means something only in its
   * picture's registry): member sets repeat, the encoding is computed once per set.
   */
  private readonly sourcesBySet = new WeakMap<MemberNames, Map<SourceSet, Buffer>>();
  /** COPY field of a report heard by one station, per station. */
  private readonly singleStation = new Map<string, Buffer>();
  /** COPY field of each policy version (one or two per run). */
  private readonly versionFields = new Map<string, Buffer>();
  private readonly stagedClients = new WeakSet<pg.ClientBase>();

  private readonly windowParameter: string;

  /** `dedupeWindowMs`: the core's dedupe window (`core.dedupeWindowSeconds`). */
  constructor(
    private readonly areaZones: AreaZones,
    dedupeWindowMs = 30_000,
  ) {
    if (!(dedupeWindowMs >= 0))
      throw new RangeError(`dedupeWindowMs must be ≥ 0: ${dedupeWindowMs}`);
    this.windowParameter = `${dedupeWindowMs} milliseconds`;
  }

  /** Creates the staging table on this connection; call outside a transaction. */
  async prepare(client: pg.ClientBase): Promise<void> {
    if (this.stagedClients.has(client)) return;
    await client.query(STAGING_DDL);
    this.stagedClients.add(client);
  }

  /**
   * Copies `reports` (all `isHistoryPosition`) inside the client's open transaction; returns the
   * number of rows new to `positions`.
   */
  async write(client: pg.ClientBase, reports: readonly PositionToWrite[]): Promise<number> {
    if (reports.length === 0) return 0;
    const copy = client.query(copyStreams.from(COPY_SQL));
    await pipeline(Readable.from(this.chunks(reports)), copy);
    const inserted = await client.query(INSERT_SQL, [this.windowParameter]);
    return inserted.rowCount ?? 0;
  }

  /**
   * Binary COPY rows (positions_staging's column types), about CHUNK_BYTES at a time; encoded as
   * the stream asks for them.
   */
  private *chunks(reports: readonly PositionToWrite[]): Generator<Buffer> {
    const out = new CopyBinaryWriter(CHUNK_BYTES + 1024);
    for (const { pictureId, members, policyVersion, report: r } of reports) {
      out.row(STAGING_COLUMNS);
      out.int32(r.mmsi);
      out.float8(r.time);
      out.int32(r.payloadHash);
      out.int16(r.type);
      out.float8(r.lat);
      out.float8(r.lon);
      out.float4(r.sog);
      out.float4(r.cog);
      out.int16(r.heading);
      out.int16(r.navStatus);
      out.encoded(this.sources(members, r.sourceSet));
      out.encoded(this.stations(r.stations));
      out.int32(pictureId);
      const areaZones = this.areaZones.copyFieldAt(r.lon!, r.lat!);
      if (areaZones === undefined) out.null();
      else out.encoded(areaZones);
      if (policyVersion === undefined) out.null();
      else out.encoded(this.version(policyVersion));
      if (out.size >= CHUNK_BYTES) yield out.take();
    }
    out.end();
    yield out.take();
  }

  private sources(members: MemberNames, set: SourceSet): Buffer {
    let bySet = this.sourcesBySet.get(members);
    if (bySet === undefined) {
      bySet = new Map();
      this.sourcesBySet.set(members, bySet);
    }
    let field = bySet.get(set);
    if (field === undefined) {
      field = textArrayField(members.idsOf(set));
      bySet.set(set, field);
    }
    return field;
  }

  private version(policyVersion: string): Buffer {
    let field = this.versionFields.get(policyVersion);
    if (field === undefined) {
      field = textField(policyVersion);
      this.versionFields.set(policyVersion, field);
    }
    return field;
  }

  private stations(stations: readonly string[]): Buffer {
    if (stations.length !== 1) return textArrayField(stations);
    const station = stations[0]!;
    let field = this.singleStation.get(station);
    if (field === undefined) {
      field = textArrayField(stations);
      this.singleStation.set(station, field);
    }
    return field;
  }
}
