import type pg from 'pg';
import { type Alert, type AlertStatus, alertStatus } from '../../detect/alert.js';

/** An `alerts` row as JSON (jsonb_to_recordset): a snapshot of one revision. */
export interface AlertRow {
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
  /** Migration 0005 (issue 14). */
  status: AlertStatus;
  withdrawn_reason: string | null;
}

/**
 * A copy of the alert as it is now: the core revises alerts in place, so the row is taken when
 * the revision is emitted.
 */
export function alertRow(alert: Alert): AlertRow {
  return {
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
    status: alertStatus(alert),
    withdrawn_reason: alert.withdrawnReason ?? null,
  };
}

/**
 * One statement per batch, in id order (concurrent writers lock rows in the same order). Only a
 * higher revision replaces a stored alert, so a replayed or reordered older revision is a no-op.
 */
const UPSERT_SQL = `INSERT INTO alerts AS a
  (id, kind, mmsi, other_mmsi, zone_id, start_time, end_time, lat, lon, sources, revision, rule, detail,
   status, withdrawn_reason)
SELECT id, kind, mmsi, other_mmsi, zone_id, start_time, end_time, lat, lon, sources, revision, rule, detail,
  status, withdrawn_reason
FROM jsonb_to_recordset($1::jsonb) AS x(id text, kind text, mmsi integer, other_mmsi integer,
  zone_id text, start_time timestamptz, end_time timestamptz, lat double precision,
  lon double precision, sources text[], revision integer, rule jsonb, detail jsonb,
  status text, withdrawn_reason text)
ORDER BY id
ON CONFLICT (id) DO UPDATE SET
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
  status = EXCLUDED.status,
  withdrawn_reason = EXCLUDED.withdrawn_reason,
  updated_at = now()
WHERE a.revision < EXCLUDED.revision`;

/** Upserts `rows` (one per id) in the client's open transaction; returns rows changed. */
export async function upsertAlerts(
  client: pg.ClientBase,
  rows: readonly AlertRow[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await client.query(UPSERT_SQL, [JSON.stringify(rows)]);
  return result.rowCount ?? 0;
}
