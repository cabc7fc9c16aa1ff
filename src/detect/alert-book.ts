import { type MemberRegistry, NO_SOURCES, type SourceSet } from '../fusion/member-registry.js';
import { type Alert, type AlertKind, type AlertRule, alertId } from './alert.js';

export interface NewAlert {
  kind: AlertKind;
  mmsi: number;
  otherMmsi?: number;
  zoneId?: string;
  /** Tells apart events that share kind, vessel(s), zone and start (e.g. two reasons). */
  idKey?: string;
  start: number;
  /** Set for events that are over when raised (zone crossings, jumps). */
  end?: number;
  lat: number;
  lon: number;
  /** Members whose reports are the evidence (a set of the core's MemberRegistry). */
  sourceSet: SourceSet;
  rule: AlertRule;
  detail?: Record<string, number | string | boolean>;
}

/**
 * Raises alerts and revises them: every change of an alert is emitted as a new revision with the
 * same id (DESIGN.md §2.4), so the Kafka topic and the Postgres row converge on the latest.
 */
export class AlertBook {
  /** Evidence of each open alert, by id: closing it adds the evidence of its end. */
  private readonly sourceSets = new Map<string, SourceSet>();
  /** Alerts raised, by kind (counts for summaries and metrics). */
  readonly raised = new Map<AlertKind, number>();

  constructor(
    private readonly members: MemberRegistry,
    private readonly emit: (alert: Alert) => void,
  ) {}

  raise(event: NewAlert): Alert {
    const alert: Alert = {
      id: alertId(event.kind, event.mmsi, event.otherMmsi, event.zoneId, event.start, event.idKey),
      kind: event.kind,
      mmsi: event.mmsi,
      otherMmsi: event.otherMmsi,
      zoneId: event.zoneId,
      start: event.start,
      end: event.end,
      lat: event.lat,
      lon: event.lon,
      // A copy: the registry's list is shared by everything with the same members.
      sources: [...this.members.idsOf(event.sourceSet)],
      revision: 1,
      rule: event.rule,
      detail: event.detail ?? {},
    };
    if (event.end === undefined) this.sourceSets.set(alert.id, event.sourceSet);
    this.raised.set(event.kind, (this.raised.get(event.kind) ?? 0) + 1);
    this.emit(alert);
    return alert;
  }

  /**
   * Closes an open alert at `end`, adding evidence; `patch` may move the reported position
   * (e.g. where a dark vessel reappeared) and add detail.
   */
  close(alert: Alert, end: number, sourceSet: SourceSet, patch: AlertPatch = {}): void {
    const sources = this.members.union(this.sourceSets.get(alert.id) ?? NO_SOURCES, sourceSet);
    this.sourceSets.delete(alert.id);
    alert.end = end;
    alert.sources = [...this.members.idsOf(sources)];
    this.revise(alert, patch);
  }

  /**
   * Withdraws an alert (issue 14): a new revision with status `withdrawn` and `reason`, so
   * consumers clear it; `patch` carries the evidence. Ends it at `end` when it is still open.
   */
  withdraw(
    alert: Alert,
    reason: string,
    end: number,
    sourceSet: SourceSet,
    patch: AlertPatch = {},
  ): void {
    alert.withdrawnReason = reason;
    if (alert.end === undefined) this.close(alert, end, sourceSet, patch);
    else this.revise(alert, patch);
  }

  /**
   * A new revision of an alert with `patch` applied (its position, more detail), e.g. a closed
   * dark gap learning where the vessel reappeared.
   */
  revise(alert: Alert, patch: AlertPatch): void {
    if (patch.lat !== undefined) alert.lat = patch.lat;
    if (patch.lon !== undefined) alert.lon = patch.lon;
    if (patch.detail !== undefined) Object.assign(alert.detail, patch.detail);
    alert.revision++;
    this.emit(alert);
  }
}

/** What a revision changes: the reported position, and detail added or replaced. */
export interface AlertPatch {
  lat?: number;
  lon?: number;
  detail?: Record<string, number | string | boolean>;
}
