import {
  ALERT_KINDS,
  ALERT_STATUSES,
  type Alert,
  type AlertKind,
  type AlertStatus,
  alertStatus,
} from '../../detect/alert.js';
import { CodecError } from './codec-error.js';
import { tidewatchSchema } from './tidewatch-schema.js';
import {
  type DecodedMessage,
  decodeMessage,
  finishToBuffer,
  int64Value,
  optionalNumber,
  optionalString,
  stringList,
} from './wire-values.js';

/**
 * `tidewatch.v1.Alert` (DESIGN.md §2.4) as TypeScript: an alert revision on topic `alerts`
 * (key: the alert id). Like the core's `Alert`, except that kind-specific detail travels as text
 * (`map<string, string>`: numbers in JavaScript's shortest round-trip form, booleans as
 * `true` / `false`).
 */
export type AlertMessage = Readonly<Omit<Alert, 'sources' | 'detail'>> & {
  readonly sources: readonly string[];
  readonly detail: Readonly<Record<string, string>>;
  /** The coalition policy it was computed under (DESIGN.md §6); undefined without a coalition. */
  readonly policyVersion?: string | undefined;
  /** Issue 14; a message from an older producer has none: `end` tells open from closed. */
  readonly status: AlertStatus;
};

const KINDS: ReadonlySet<string> = new Set(ALERT_KINDS);
const STATUSES: ReadonlySet<string> = new Set(ALERT_STATUSES);

/** The message for a core alert, computed under coalition policy `policyVersion` if any. */
export function alertMessage(alert: Alert, policyVersion?: string): AlertMessage {
  const detail: Record<string, string> = {};
  for (const [name, value] of Object.entries(alert.detail)) detail[name] = String(value);
  return {
    id: alert.id,
    kind: alert.kind,
    mmsi: alert.mmsi,
    otherMmsi: alert.otherMmsi,
    zoneId: alert.zoneId,
    start: alert.start,
    end: alert.end,
    lat: alert.lat,
    lon: alert.lon,
    // Copied: the core revises an open alert in place.
    sources: [...alert.sources],
    revision: alert.revision,
    rule: alert.rule,
    detail,
    policyVersion,
    status: alertStatus(alert),
    withdrawnReason: alert.withdrawnReason,
  };
}

/** Encodes an alert (protobufjs skips the `undefined` optional fields). */
export function encodeAlert(message: AlertMessage): Buffer {
  if (!Number.isFinite(message.start)) {
    throw new CodecError(
      'PROTO_BAD_INPUT',
      `Alert ${message.id}: start ${message.start} is not a time.`,
    );
  }
  return finishToBuffer(tidewatchSchema().alert.encode(message));
}

/** Decodes an `alerts` value; refuses kinds this version does not know and a missing rule. */
export function decodeAlert(bytes: Uint8Array): AlertMessage {
  const m = decodeMessage(tidewatchSchema().alert, bytes);
  const id = m.id as string;
  const kind = m.kind as string;
  if (!KINDS.has(kind)) {
    throw new CodecError('PROTO_BAD_VALUE', `Alert ${id}: unknown kind "${kind}".`);
  }
  if (!Object.hasOwn(m, 'rule')) {
    throw new CodecError('PROTO_BAD_VALUE', `Alert ${id}: no rule.`);
  }
  const rule = m.rule as DecodedMessage;
  const end = optionalNumber(m, 'end');
  const status = optionalString(m, 'status') ?? (end === undefined ? 'open' : 'closed');
  if (!STATUSES.has(status)) {
    throw new CodecError('PROTO_BAD_VALUE', `Alert ${id}: unknown status "${status}".`);
  }
  return {
    id,
    kind: kind as AlertKind,
    mmsi: m.mmsi as number,
    otherMmsi: optionalNumber(m, 'otherMmsi'),
    zoneId: optionalString(m, 'zoneId'),
    start: int64Value(m.start),
    end,
    lat: m.lat as number,
    lon: m.lon as number,
    sources: stringList(m, 'sources'),
    revision: m.revision as number,
    rule: {
      name: rule.name as string,
      version: rule.version as number,
      thresholds: { ...(rule.thresholds as Record<string, number>) },
    },
    detail: { ...(m.detail as Record<string, string>) },
    policyVersion: optionalString(m, 'policyVersion'),
    status: status as AlertStatus,
    withdrawnReason: optionalString(m, 'withdrawnReason'),
  };
}
