import type pg from 'pg';
import type { MemberNames } from '../../fusion/member-registry.js';
import type { VesselTrack } from '../../fusion/vessel-track.js';
import type { ZoneIndex } from '../../zones/zone-index.js';
import type { AreaZones } from './area-zones.js';

/** A `vessels` row as JSON (jsonb_to_recordset): absent values are null, times ISO 8601. */
export interface VesselRow {
  picture_id: number;
  policy_version: string | null;
  mmsi: number;
  ship_name: string | null;
  call_sign: string | null;
  imo: number | null;
  ship_type: number | null;
  to_bow: number | null;
  to_stern: number | null;
  to_port: number | null;
  to_starboard: number | null;
  draught: number | null;
  destination: string | null;
  lat: number | null;
  lon: number | null;
  sog: number | null;
  cog: number | null;
  heading: number | null;
  nav_status: number | null;
  last_fix_time: string | null;
  first_seen: string;
  last_seen: string;
  sources: readonly string[];
  zones: string[];
  /** The area zones of the fix (area-zones.ts); null when none. */
  area_zones: readonly string[] | null;
}

/** What a vessel row needs besides its track. */
export interface VesselRowContext {
  /** The stored picture whose core the track is from, and that core's member registry. */
  readonly pictureId: number;
  /** The coalition policy version it is computed under; undefined without a coalition. */
  readonly policyVersion: string | undefined;
  readonly members: MemberNames;
  readonly zones: ZoneIndex | undefined;
  /**
   * Per zone-index position, 1 for a private zone (DESIGN.md §3): left out of `zones`, which
   * every reader of the row sees, while the zone's alerts are for its members only.
   */
  readonly privateZone: Uint8Array;
  readonly areaZones: AreaZones;
}

/**
 * The row of a track's current state (taken when the batch is written, not per report). The
 * track must have been heard (`lastSeen` set).
 */
export function vesselRow(track: VesselTrack, context: VesselRowContext): VesselRow {
  const hasFix = track.hasFix();
  const { zones, privateZone } = context;
  const zoneIds: string[] = [];
  if (zones !== undefined) {
    for (const index of track.zones) {
      if (privateZone[index] !== 1) zoneIds.push(zones.zones[index]!.id);
    }
  }
  return {
    picture_id: context.pictureId,
    policy_version: context.policyVersion ?? null,
    mmsi: track.mmsi,
    ship_name: track.shipName ?? null,
    call_sign: track.callSign ?? null,
    imo: track.imo ?? null,
    ship_type: track.shipType ?? null,
    to_bow: track.toBow ?? null,
    to_stern: track.toStern ?? null,
    to_port: track.toPort ?? null,
    to_starboard: track.toStarboard ?? null,
    draught: track.draught ?? null,
    destination: track.destination ?? null,
    lat: hasFix ? track.lat : null,
    lon: hasFix ? track.lon : null,
    sog: hasFix ? (track.sog ?? null) : null,
    cog: hasFix ? (track.cog ?? null) : null,
    heading: hasFix ? (track.heading ?? null) : null,
    nav_status: track.navStatus ?? null,
    last_fix_time: hasFix ? new Date(track.fixTime).toISOString() : null,
    first_seen: new Date(
      Number.isFinite(track.firstSeen) ? track.firstSeen : track.lastSeen,
    ).toISOString(),
    last_seen: new Date(track.lastSeen).toISOString(),
    sources: context.members.idsOf(track.sourceSet),
    zones: zoneIds,
    area_zones: context.areaZones.ofTrack(track) ?? null,
  };
}

const STATIC_COLUMNS = [
  'ship_name',
  'call_sign',
  'imo',
  'ship_type',
  'to_bow',
  'to_stern',
  'to_port',
  'to_starboard',
  'draught',
  'destination',
] as const;

const FIX_COLUMNS = [
  'lat',
  'lon',
  'sog',
  'cog',
  'heading',
  'nav_status',
  'last_fix_time',
  'zones',
  'area_zones',
];

const RECORD_TYPE = `picture_id integer, policy_version text, mmsi integer, ship_name text, call_sign text, imo integer, ship_type smallint,
  to_bow smallint, to_stern smallint, to_port smallint, to_starboard smallint, draught real,
  destination text, lat double precision, lon double precision, sog real, cog real,
  heading smallint, nav_status smallint, last_fix_time timestamptz, first_seen timestamptz,
  last_seen timestamptz, sources text[], zones text[], area_zones text[]`;

const NEWER_FIX =
  'EXCLUDED.last_fix_time IS NOT NULL AND (v.last_fix_time IS NULL OR EXCLUDED.last_fix_time >= v.last_fix_time)';

/**
 * One statement for the whole batch (rows as one jsonb parameter), in MMSI order so concurrent
 * writers lock rows in the same order. Monotonic, so an older state written late (a replay after
 * a crash, a slow worker during a rebalance) never overwrites a newer one: kinematics come from
 * the newest fix; static fields from the most recently heard state, keeping the stored value
 * where that state has none (a restarted worker has not heard the type 5 yet); sources are the
 * union; first/last seen the extremes.
 */
const UPSERT_SQL = `INSERT INTO vessels AS v (picture_id, policy_version, mmsi, ${STATIC_COLUMNS.join(', ')},
  lat, lon, sog, cog, heading, nav_status, last_fix_time, first_seen, last_seen, sources, zones,
  area_zones)
SELECT picture_id, policy_version, mmsi, ${STATIC_COLUMNS.join(', ')},
  lat, lon, sog, cog, heading, nav_status, last_fix_time, first_seen, last_seen, sources, zones,
  area_zones
FROM jsonb_to_recordset($1::jsonb) AS x(${RECORD_TYPE})
ORDER BY mmsi, picture_id
ON CONFLICT (mmsi, picture_id) DO UPDATE SET
${STATIC_COLUMNS.map(
  (c) =>
    `  ${c} = CASE WHEN EXCLUDED.last_seen >= v.last_seen THEN COALESCE(EXCLUDED.${c}, v.${c}) ELSE COALESCE(v.${c}, EXCLUDED.${c}) END`,
).join(',\n')},
${FIX_COLUMNS.map((c) => `  ${c} = CASE WHEN ${NEWER_FIX} THEN EXCLUDED.${c} ELSE v.${c} END`).join(',\n')},
  first_seen = LEAST(v.first_seen, EXCLUDED.first_seen),
  last_seen = GREATEST(v.last_seen, EXCLUDED.last_seen),
  sources = ARRAY(SELECT DISTINCT s FROM unnest(v.sources || EXCLUDED.sources) AS s ORDER BY s),
  policy_version = EXCLUDED.policy_version,
  updated_at = now()`;

/** Upserts `rows` (one per MMSI and picture) in the client's open transaction; returns rows touched. */
export async function upsertVessels(
  client: pg.ClientBase,
  rows: readonly VesselRow[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await client.query(UPSERT_SQL, [JSON.stringify(rows)]);
  return result.rowCount ?? 0;
}
