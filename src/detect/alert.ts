import { createHash } from 'node:crypto';

/** Alert kinds (DESIGN.md §3). */
export const ALERT_KINDS = [
  'dark_gap',
  'rendezvous',
  'zone_entry',
  'zone_exit',
  'loitering',
  'position_jump',
  'identity_conflict',
  'invalid_identity',
] as const;

export type AlertKind = (typeof ALERT_KINDS)[number];

/**
 * Where an alert stands (issue 14): `open` while the event lasts, `closed` once it has an
 * `end`, `withdrawn` when a later revision found it was not an event after all (a dark gap
 * whose vessel reappeared along a way the coalition could not have heard): consumers clear it.
 */
export const ALERT_STATUSES = ['open', 'closed', 'withdrawn'] as const;

export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** The rule that raised an alert: name, version and the thresholds in force (DESIGN.md §2.4). */
export interface AlertRule {
  readonly name: string;
  readonly version: number;
  readonly thresholds: Readonly<Record<string, number>>;
}

/** An alert as it leaves the core (DESIGN.md §2.4). Times are epoch ms. */
export interface Alert {
  /** Stable: the same event gives the same id on a re-run. */
  readonly id: string;
  readonly kind: AlertKind;
  readonly mmsi: number;
  readonly otherMmsi: number | undefined;
  readonly zoneId: string | undefined;
  readonly start: number;
  end: number | undefined;
  lat: number;
  lon: number;
  /** Member ids that contributed evidence, sorted. */
  sources: string[];
  revision: number;
  readonly rule: AlertRule;
  /** Kind-specific detail (numbers in the units their names say). */
  detail: Record<string, number | string | boolean>;
  /** Set when the alert is withdrawn: why (a reason code, e.g. `path_not_covered`). */
  withdrawnReason?: string | undefined;
}

/** The status of an alert revision, from its `end` and its withdrawal. */
export function alertStatus(alert: Alert): AlertStatus {
  if (alert.withdrawnReason !== undefined) return 'withdrawn';
  return alert.end === undefined ? 'open' : 'closed';
}

/**
 * The stable id of an event: a hash of what identifies it (kind, vessel(s), zone, start time),
 * so a replay of the same data gives the same ids, and the id is a fixed-length Kafka key.
 */
export function alertId(
  kind: AlertKind,
  mmsi: number,
  otherMmsi: number | undefined,
  zoneId: string | undefined,
  start: number,
  idKey?: string,
): string {
  const identity = `${kind}|${mmsi}|${otherMmsi ?? ''}|${zoneId ?? ''}|${start}${idKey === undefined ? '' : `|${idKey}`}`;
  return createHash('sha256').update(identity).digest('hex').slice(0, 20);
}

/** An alert as NDJSON / JSON: ISO times, absent fields left out. */
export function alertToJson(alert: Alert): Record<string, unknown> {
  return {
    id: alert.id,
    kind: alert.kind,
    mmsi: alert.mmsi,
    ...(alert.otherMmsi === undefined ? {} : { otherMmsi: alert.otherMmsi }),
    ...(alert.zoneId === undefined ? {} : { zoneId: alert.zoneId }),
    start: new Date(alert.start).toISOString(),
    ...(alert.end === undefined ? {} : { end: new Date(alert.end).toISOString() }),
    lat: alert.lat,
    lon: alert.lon,
    sources: alert.sources,
    revision: alert.revision,
    status: alertStatus(alert),
    ...(alert.withdrawnReason === undefined ? {} : { withdrawnReason: alert.withdrawnReason }),
    rule: alert.rule,
    detail: alert.detail,
  };
}
