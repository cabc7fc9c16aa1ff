import { NO_SOURCES, type SourceSet } from '../fusion/member-registry.js';
import type { Report } from '../fusion/report.js';
import type { VesselTrack } from '../fusion/vessel-track.js';
import { distanceMeters } from '../geo/geodesy.js';
import { stateClass } from '../state/state-classes.js';
import type { Alert, AlertRule } from './alert.js';
import type { Detector, DetectorContext, DetectorFactory } from './detector.js';
import { isSlowFix } from './fix-speed.js';
import type { Timer } from './timer-queue.js';

/** `loitering` settings: the core's `loitering` section (DESIGN.md §3). */
export interface LoiteringConfig {
  readonly maxSogKnots: number;
  readonly minDurationSeconds: number;
  /**
   * A slow episode ends at its last slow fix when the vessel is not heard for this long (default
   * 1 h: twenty missed 3-minute reports of a vessel at anchor, half a dark gap).
   */
  readonly maxSilenceSeconds: number;
}

/** DESIGN.md §3, after GFW's loitering events: under 2 kn for 4 h. */
export const DEFAULT_LOITERING_CONFIG: LoiteringConfig = {
  maxSogKnots: 2,
  minDurationSeconds: 4 * 3600,
  maxSilenceSeconds: 3600,
};

export const LOITERING_RULE_NAME = 'loitering';
export const LOITERING_RULE_VERSION = 1;

/** Why a loitering episode ended (the closing revision's `detail.endReason`). */
export type LoiteringEnd = 'speed' | 'port' | 'silence' | 'evicted';

/**
 * `loitering` (DESIGN.md §3, after GFW's loitering events): a single vessel under
 * `maxSogKnots` for at least `minDurationSeconds` outside `port` zones.
 *
 * - An episode starts at the first slow fix outside a port (the alert's `start`, "when it slowed
 *   down") and lasts while every fix is slow and outside ports. It is raised at the first slow
 *   fix at least `minDurationSeconds` after the start: the duration is always observed, never
 *   extrapolated past the last fix, so 3 h 50 min of slow fixes followed by silence is not a
 *   4 h loiter.
 * - It ends (the closing revision's `end`) at the fix that shows the vessel at speed or inside a
 *   port, or, when the vessel falls silent, at its last slow fix once it has not been heard for
 *   `maxSilenceSeconds`. Drifting far while slow does not end it (GFW: speed only).
 * - One pending timer per vessel (the silence check): armed at `lastSlow + maxSilence` when
 *   none is pending, re-armed when it fires and the vessel was heard since.
 * - Sources: every member that heard a slow fix of the episode, and the one that heard the end.
 */
export function loiteringDetector(
  config: { readonly loitering: LoiteringConfig } = { loitering: DEFAULT_LOITERING_CONFIG },
): DetectorFactory {
  const settings = config.loitering;
  const maxSilenceSeconds = settings.maxSilenceSeconds;
  if (!(settings.maxSogKnots > 0)) {
    throw new RangeError(`Unexpected loitering.maxSogKnots value: ${settings.maxSogKnots}.`);
  }
  if (!(settings.minDurationSeconds > 0)) {
    throw new RangeError(
      `Unexpected loitering.minDurationSeconds value: ${settings.minDurationSeconds}.`,
    );
  }
  if (!(maxSilenceSeconds > 0)) {
    throw new RangeError(`Unexpected loitering.maxSilenceSeconds value: ${maxSilenceSeconds}.`);
  }
  const rule: AlertRule = {
    name: LOITERING_RULE_NAME,
    version: LOITERING_RULE_VERSION,
    thresholds: {
      maxSogKnots: settings.maxSogKnots,
      minDurationSeconds: settings.minDurationSeconds,
      maxSilenceSeconds,
    },
  };
  return (slot, context) =>
    new LoiteringDetector(slot, context, rule, {
      maxSogKnots: settings.maxSogKnots,
      minDurationMs: settings.minDurationSeconds * 1000,
      maxSilenceMs: maxSilenceSeconds * 1000,
    });
}

interface Settings {
  readonly maxSogKnots: number;
  readonly minDurationMs: number;
  readonly maxSilenceMs: number;
}

/**
 * Per-vessel state (the detector's slot), created at the vessel's first slow fix and kept: the
 * current episode, if any, and the vessel's one timer (the state is the timer: arming it
 * allocates nothing).
 */
class LoiterState implements Timer {
  /** Start of the current episode, epoch ms; NaN when the vessel is not loitering. */
  since = Number.NaN;
  sinceLat = Number.NaN;
  sinceLon = Number.NaN;
  /** Latest slow fix of the episode. */
  lastSlow = Number.NaN;
  /** Members that heard the episode's slow fixes. */
  sourceSet: SourceSet = NO_SOURCES;
  alert: Alert | undefined = undefined;
  /** A timer of this vessel is in the core's queue. */
  armed = false;

  constructor(
    readonly track: VesselTrack,
    private readonly detector: LoiteringDetector,
  ) {}

  get active(): boolean {
    return !Number.isNaN(this.since);
  }

  fire(now: number): void {
    this.armed = false;
    this.detector.silenceCheck(this, now);
  }
}
stateClass('loitering.LoiterState', LoiterState);

class LoiteringDetector implements Detector {
  readonly name = LOITERING_RULE_NAME;

  constructor(
    private readonly slot: number,
    private readonly context: DetectorContext,
    private readonly rule: AlertRule,
    private readonly settings: Settings,
  ) {}

  onReport(track: VesselTrack, _report: Report, fixApplied: boolean): void {
    if (!fixApplied) return;
    let state = track.slots[this.slot] as LoiterState | undefined;
    // A vessel never judged slow has no state.
    const slow = isSlowFix(track, this.settings.maxSogKnots, state?.active === true);
    if (!slow) {
      if (state?.active === true) this.end(state, track.fixTime, 'speed', track.fixSourceSet);
      return;
    }
    if (this.context.inPort(track.lat, track.lon)) {
      if (state?.active === true) this.end(state, track.fixTime, 'port', track.fixSourceSet);
      return;
    }
    if (state === undefined) {
      state = new LoiterState(track, this);
      track.slots[this.slot] = state;
    }
    const time = track.fixTime;
    if (!state.active) {
      state.since = time;
      state.sinceLat = track.lat;
      state.sinceLon = track.lon;
      state.sourceSet = NO_SOURCES;
      state.alert = undefined;
    }
    if (!(time <= state.lastSlow)) state.lastSlow = time;
    state.sourceSet = this.context.members.union(state.sourceSet, track.fixSourceSet);
    if (state.alert === undefined && state.lastSlow - state.since >= this.settings.minDurationMs) {
      state.alert = this.context.alerts.raise({
        kind: 'loitering',
        mmsi: track.mmsi,
        start: state.since,
        lat: track.lat,
        lon: track.lon,
        sourceSet: state.sourceSet,
        rule: this.rule,
        detail: {
          durationSeconds: (state.lastSlow - state.since) / 1000,
          driftMeters: Math.round(
            distanceMeters(state.sinceLat, state.sinceLon, track.lat, track.lon),
          ),
        },
      });
    }
    if (!state.armed) {
      state.armed = true;
      this.context.schedule(state.lastSlow + this.settings.maxSilenceMs, state);
    }
  }

  onEvict(track: VesselTrack): void {
    const state = track.slots[this.slot] as LoiterState | undefined;
    if (state?.active === true) this.end(state, state.lastSlow, 'evicted', NO_SOURCES);
    track.slots[this.slot] = undefined;
  }

  /** The vessel's timer: ends the episode if it has been silent for `maxSilence`, else re-arms. */
  silenceCheck(state: LoiterState, now: number): void {
    if (!state.active || state.track.slots[this.slot] !== state) return;
    const deadline = state.lastSlow + this.settings.maxSilenceMs;
    if (deadline > now) {
      state.armed = true;
      this.context.schedule(deadline, state);
      return;
    }
    this.end(state, state.lastSlow, 'silence', NO_SOURCES);
  }

  private end(state: LoiterState, end: number, reason: LoiteringEnd, sourceSet: SourceSet): void {
    const alert = state.alert;
    if (alert !== undefined) {
      const sources = this.context.members.union(state.sourceSet, sourceSet);
      this.context.alerts.close(alert, end, sources, {
        detail: { durationSeconds: (end - state.since) / 1000, endReason: reason },
      });
    }
    state.since = Number.NaN;
    state.lastSlow = Number.NaN;
    state.alert = undefined;
    state.sourceSet = NO_SOURCES;
  }
}
