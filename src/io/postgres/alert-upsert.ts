import type pg from 'pg';
import { type Alert, type AlertStatus, alertStatus } from '../../detect/alert.js';

/** An `alerts` row as JSON (jsonb_to_recordset): a snapshot of one revision. */
export interface AlertRow {
  picture_id: number;
  policy_version: string | null;
  id: string;
  kind: string;
  mmsi: number;
  other_mmsi: number | null;
  zone_id: string | null;
  start_time: string;
  end_time: string | null;
  lat: number | null;
  lon: number | null;
  sources: string[];
  revision: number;
  rule: Alert['rule'];
  detail: Alert['detail'];
  /** The area zones at lat/lon (area-zones.ts); null when none. */
  area_zones: readonly string[] | null;
  /** Migration 0005 (issue 14). */
  status: AlertStatus;
  withdrawn_reason: string | null;
}

/**
 * A copy of the alert of a stored picture as it is now: the core revises alerts in
 * place, so the row is taken when the revision is emitted.
 */
export function alertRow(
  picture: { readonly id: number; readonly policyVersion?: string },
  alert: Alert,
  areaZones: readonly string[] | undefined,
): AlertRow {
  return {
    picture_id: picture.id,
    policy_version: picture.policyVersion ?? null,
    id: alert.id,
    kind: alert.kind,
    mmsi: alert.mmsi,
    other_mmsi: alert.otherMmsi ?? null,
    zone_id: alert.zoneId ?? null,
    start_time: new Date(alert.start).toISOString(),
    end_time: alert.end === undefined ? null : new Date(alert.end).toISOString(),
    lat: Number.isFinite(alert.lat) ? alert.lat : null,
    lon: Number.isFinite(alert.lon) ? alert.lon : null,
    sources: [...alert.sources],
    revision: alert.revision,
    rule: structuredClone(alert.rule),
    detail: { ...alert.detail },
    area_zones: areaZones ?? null,
    status: alertStatus(alert),
    withdrawn_reason: alert.withdrawnReason ?? null,
  };
}

/**
 * One statement per batch, in key order (concurrent writers lock rows in the same order). Only a
 * higher revision replaces a stored alert, so a replayed or reordered older revision is a no-op.
 */
const UPSERT_SQL = `INSERT INTO alerts AS a
  (picture_id, policy_version, id, kind, mmsi, other_mmsi, zone_id, start_time, end_time, lat,
   lon, sources, revision, rule, detail, area_zones, status, withdrawn_reason)
SELECT picture_id, policy_version, id, kind, mmsi, other_mmsi, zone_id, start_time, end_time, lat,
  lon, sources, revision, rule, detail, area_zones, status, withdrawn_reason
FROM jsonb_to_recordset($1::jsonb) AS x(picture_id integer, policy_version text, id text,
  kind text, mmsi integer,
  other_mmsi integer, zone_id text, start_time timestamptz, end_time timestamptz,
  lat double precision, lon double precision, sources text[], revision integer, rule jsonb,
  detail jsonb, area_zones text[], status text, withdrawn_reason text)
ORDER BY id, picture_id
ON CONFLICT (id, picture_id) DO UPDATE SET
  kind = EXCLUDED.kind,
  mmsi = EXCLUDED.mmsi,
  other_mmsi = EXCLUDED.other_mmsi,
  zone_id = EXCLUDED.zone_id,
  start_time = EXCLUDED.start_time,
  end_time = EXCLUDED.end_time,
  lat = EXCLUDED.lat,
  lon = EXCLUDED.lon,
  sources = EXCLUDED.sources,
  revision = EXCLUDED.revision,
  rule = EXCLUDED.rule,
  detail = EXCLUDED.detail,
  area_zones = EXCLUDED.area_zones,
  policy_version = EXCLUDED.policy_version,
  status = EXCLUDED.status,
  withdrawn_reason = EXCLUDED.withdrawn_reason,
  updated_at = now()
WHERE a.revision < EXCLUDED.revision`;

/** Upserts `rows` (one per id and picture) in the client's open transaction; returns rows changed. */
export async function upsertAlerts(
  client: pg.ClientBase,
  rows: readonly AlertRow[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await client.query(UPSERT_SQL, [JSON.stringify(rows)]);
  return result.rowCount ?? 0;
}
