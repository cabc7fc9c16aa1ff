import type { Alert, AlertKind } from '../../src/detect/alert.js';
import type { Label } from '../../src/sim/labels.js';

export interface KindScore {
  truePositives: number;
  falseNegatives: number;
  falsePositives: number;
  /** Descriptions of every miss and every false alert, for the failure message. */
  problems: string[];
}

/**
 * Scores alerts against labelled events. A label `expect: 'alert'` is found when an alert of its
 * kind and vessel(s) (and zone) starts within `toleranceSeconds` (and ends within it, when both
 * have an end). Any other alert is a false positive, except the one `position_jump` that opens
 * an identity conflict (the first alternation is a real jump; the detector then stops jumps for
 * that MMSI: DESIGN.md §3 "one alert per conflict, not a storm of jumps"). A label
 * `expect: 'none'` is violated by an alert of its kind and vessel starting in its window.
 */
export function scoreAlerts(
  alerts: readonly Alert[],
  labels: readonly Label[],
  conflictWindowMs: number,
): Map<AlertKind, KindScore> {
  const scores = new Map<AlertKind, KindScore>();
  const score = (kind: AlertKind): KindScore => {
    let s = scores.get(kind);
    if (s === undefined) {
      s = { truePositives: 0, falseNegatives: 0, falsePositives: 0, problems: [] };
      scores.set(kind, s);
    }
    return s;
  };
  const matched = new Set<Alert>();
  for (const label of labels) {
    if (label.expect !== 'alert') continue;
    const s = score(label.kind);
    const hit = alerts.find((alert) => !matched.has(alert) && matches(alert, label));
    if (hit === undefined) {
      s.falseNegatives++;
      s.problems.push(`missed ${describeLabel(label)}`);
    } else {
      matched.add(hit);
      s.truePositives++;
    }
  }
  for (const alert of alerts) {
    if (matched.has(alert)) continue;
    if (alert.kind === 'position_jump' && opensConflict(alert, alerts, conflictWindowMs)) continue;
    const s = score(alert.kind);
    s.falsePositives++;
    const violated = labels.find(
      (l) => l.expect === 'none' && sameSubject(alert, l) && inWindow(alert, l),
    );
    s.problems.push(
      `false ${alert.kind} mmsi ${alert.mmsi}${alert.otherMmsi ? `/${alert.otherMmsi}` : ''}` +
        ` ${alert.zoneId ?? ''} at ${new Date(alert.start).toISOString()}` +
        (violated === undefined ? '' : ` (hard negative: ${violated.note})`),
    );
  }
  return scores;
}

function matches(alert: Alert, label: Label): boolean {
  if (!sameSubject(alert, label)) return false;
  const toleranceMs = label.toleranceSeconds * 1000;
  if (Math.abs(alert.start - Date.parse(label.start)) > toleranceMs) return false;
  if (label.end !== undefined && alert.end !== undefined && alert.end !== alert.start) {
    if (Math.abs(alert.end - Date.parse(label.end)) > toleranceMs) return false;
  }
  return true;
}

function sameSubject(alert: Alert, label: Label): boolean {
  if (alert.kind !== label.kind) return false;
  if (label.zoneId !== undefined && alert.zoneId !== label.zoneId) return false;
  if (label.otherMmsi === undefined) return alert.mmsi === label.mmsi;
  const pair = [label.mmsi, label.otherMmsi].sort((a, b) => a - b).join('/');
  return [alert.mmsi, alert.otherMmsi ?? 0].sort((a, b) => a - b).join('/') === pair;
}

function inWindow(alert: Alert, label: Label): boolean {
  const from = Date.parse(label.start) - label.toleranceSeconds * 1000;
  const to = label.end === undefined ? Number.POSITIVE_INFINITY : Date.parse(label.end);
  return alert.start >= from && alert.start <= to;
}

function opensConflict(jump: Alert, alerts: readonly Alert[], windowMs: number): boolean {
  return alerts.some(
    (a) =>
      a.kind === 'identity_conflict' &&
      a.mmsi === jump.mmsi &&
      jump.start >= a.start - windowMs &&
      jump.start <= a.start + windowMs,
  );
}

function describeLabel(label: Label): string {
  return `${label.kind} mmsi ${label.mmsi}${label.otherMmsi ? `/${label.otherMmsi}` : ''} ${label.zoneId ?? ''} at ${label.start} (${label.note})`;
}
