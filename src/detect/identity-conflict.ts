import {
  type MemberRegistry,
  NO_SOURCES,
  type SourceSet,
  type SourceUnion,
} from '../fusion/member-registry.js';
import type { Report } from '../fusion/report.js';
import type { VesselTrack } from '../fusion/vessel-track.js';
import { distanceMeters } from '../geo/geodesy.js';
import { stateClass } from '../state/state-classes.js';
import type { Alert, AlertRule } from './alert.js';
import type { AlertBook } from './alert-book.js';
import type { Detector, DetectorContext, DetectorFactory } from './detector.js';
import {
  DEFAULT_JUMP_THRESHOLDS,
  isJump,
  type JumpThresholds,
  movesLikeVessel,
} from './kinematics.js';
import type { Timer } from './timer-queue.js';

/** `identity_conflict` settings: the core's `identityConflict` section (DESIGN.md §3). */
export interface IdentityConflictConfig {
  /** Fixes that must alternate between the two tracks before it is a conflict. */
  readonly minAlternations: number;
  /** The alternations must happen within this window. */
  readonly windowSeconds: number;
}

export const DEFAULT_IDENTITY_CONFLICT_CONFIG: IdentityConflictConfig = {
  minAlternations: 4,
  windowSeconds: 3600,
};

/**
 * What the rule reads: its own section, and the jump thresholds that tell two tracks apart (the
 * `positionJump` section).
 */
export interface IdentityConflictSettings {
  readonly positionJump: JumpThresholds;
  readonly identityConflict: IdentityConflictConfig;
}

/**
 * A second track must have been seen at least this often before it counts as a track: a single
 * glitch to a random place is one fix, an MMSI shared by two vessels gives both many.
 */
const MIN_FIXES_PER_TRACK = 2;

/** The latest fix of one of the two tracks an MMSI's positions fall on. */
class Head {
  constructor(
    public lat: number,
    public lon: number,
    public time: number,
    /** Members that heard this track's fixes. */
    public sourceSet: SourceSet,
    /** Fixes consistent with this track since it was first seen. */
    public fixes: number,
  ) {}

  /** Whether a fix at (lat, lon, time) can be this track's next one. */
  accepts(lat: number, lon: number, time: number, thresholds: JumpThresholds): boolean {
    return !isJump(this.lat, this.lon, this.time, lat, lon, time, thresholds);
  }

  move(lat: number, lon: number, time: number, sourceSet: SourceSet, members: SourceUnion): void {
    this.lat = lat;
    this.lon = lon;
    this.time = time;
    this.sourceSet = members.union(this.sourceSet, sourceSet);
    this.fixes++;
  }
}
stateClass('identity_conflict.Head', Head);

/**
 * Per-vessel state, allocated at the vessel's first jump and dropped once it has been calm for
 * a window: the two track heads, which one the latest fix was on, the times of the latest
 * alternations, and the open alert. It is also the vessel's timer for closing that alert.
 */
class ConflictState implements Timer {
  /** Which head the latest fix is on. */
  current = 0;
  /** Ring of the latest alternation times (its size is `minAlternations`). */
  readonly alternations: number[] = [];
  nextAlternation = 0;
  lastAlternation = Number.NaN;
  /** Alternations of the open conflict, those that opened it included (detail). */
  conflictAlternations = 0;
  open: Alert | undefined = undefined;
  timerArmed = false;

  constructor(
    /** Two slots; the current one is always set, the other may be empty. */
    readonly heads: (Head | undefined)[],
    /** The vessel: its `identityConflictOpen` follows `open`. */
    readonly track: VesselTrack,
    private readonly owner: ConflictRule,
  ) {}

  fire(now: number): void {
    this.timerArmed = false;
    this.owner.closeIfCalm(this, now);
  }
}
stateClass('identity_conflict.ConflictState', ConflictState);

/** The `identity_conflict` detector built by `identityConflictDetector`. */
class ConflictRule implements Detector {
  readonly name = 'identity_conflict';
  private readonly thresholds: JumpThresholds;
  private readonly minAlternations: number;
  private readonly windowMs: number;
  private readonly rule: AlertRule;

  constructor(
    config: IdentityConflictSettings,
    private readonly slot: number,
    private readonly alerts: AlertBook,
    private readonly members: MemberRegistry,
    private readonly schedule: (deadline: number, timer: Timer) => void,
  ) {
    this.thresholds = { ...config.positionJump };
    this.minAlternations = config.identityConflict.minAlternations;
    this.windowMs = config.identityConflict.windowSeconds * 1000;
    this.rule = {
      name: 'identity_conflict',
      version: 1,
      thresholds: {
        minAlternations: this.minAlternations,
        windowSeconds: config.identityConflict.windowSeconds,
        // Two fixes belong to separate tracks when one would be a position jump from the other.
        separateMinDistanceMeters: this.thresholds.minDistanceMeters,
        separateMinImpliedSpeedKnots: this.thresholds.minImpliedSpeedKnots,
        minFixesPerTrack: MIN_FIXES_PER_TRACK,
      },
    };
  }

  onReport(track: VesselTrack, report: Report, fixApplied: boolean): void {
    if (fixApplied && movesLikeVessel(report.type)) this.onFix(track, report);
  }

  private onFix(track: VesselTrack, report: Report): void {
    const { lat, lon, fixTime: time } = track;
    const sources = report.sourceSet;
    let state = track.slots[this.slot] as ConflictState | undefined;
    if (state !== undefined && state.open === undefined && this.isCalm(state, time)) {
      // One track for a whole window, no alert open: forget (memory stays per live vessel small).
      track.slots[this.slot] = state = undefined;
    }
    if (state === undefined) {
      const { previousLat, previousLon, previousFixTime } = track;
      const jumped =
        !Number.isNaN(previousFixTime) &&
        isJump(previousLat, previousLon, previousFixTime, lat, lon, time, this.thresholds);
      if (!jumped) return;
      // First jump: the track so far is one head (seen more than once: it had a fix before this
      // one, and usually a long history; its evidence is every member that heard the vessel),
      // the new fix starts the other.
      const before = new Head(
        previousLat,
        previousLon,
        previousFixTime,
        track.sourceSet,
        MIN_FIXES_PER_TRACK,
      );
      state = new ConflictState([before, new Head(lat, lon, time, sources, 1)], track, this);
      state.current = 1;
      track.slots[this.slot] = state;
      this.alternate(state, track, time);
      return;
    }

    const heads = state.heads;
    const current = heads[state.current]!;
    const otherIndex = 1 - state.current;
    let other = heads[otherIndex];
    if (other !== undefined && time - other.time > this.windowMs) {
      heads[otherIndex] = other = undefined;
    }
    if (current.accepts(lat, lon, time, this.thresholds)) {
      current.move(lat, lon, time, sources, this.members);
      return;
    }
    if (other?.accepts(lat, lon, time, this.thresholds)) {
      other.move(lat, lon, time, sources, this.members);
      state.current = otherIndex;
    } else {
      // Consistent with neither: a third place starts a new head in place of the weaker one
      // (fewer fixes; the older on a tie), so a glitch does not displace an established track.
      const replace =
        other === undefined ||
        other.fixes < current.fixes ||
        (other.fixes === current.fixes && other.time <= current.time)
          ? otherIndex
          : state.current;
      heads[replace] = new Head(lat, lon, time, sources, 1);
      state.current = replace;
    }
    this.alternate(state, track, time);
  }

  /** Records an alternation at `time`; raises the alert when there are enough in the window. */
  private alternate(state: ConflictState, track: VesselTrack, time: number): void {
    const ring = state.alternations;
    ring[state.nextAlternation] = time;
    state.nextAlternation = (state.nextAlternation + 1) % this.minAlternations;
    state.lastAlternation = time;
    if (state.open !== undefined) {
      state.conflictAlternations++;
      return;
    }
    if (ring.length < this.minAlternations) return;
    // The ring is full: its oldest entry is the next to be overwritten.
    const oldest = ring[state.nextAlternation]!;
    if (time - oldest > this.windowMs) return;
    const [a, b] = state.heads;
    if (a === undefined || b === undefined) return;
    if (a.fixes < MIN_FIXES_PER_TRACK || b.fixes < MIN_FIXES_PER_TRACK) return;
    state.conflictAlternations = this.minAlternations;
    state.open = this.alerts.raise({
      kind: 'identity_conflict',
      mmsi: track.mmsi,
      start: oldest,
      lat: track.lat,
      lon: track.lon,
      sourceSet: this.members.union(a.sourceSet, b.sourceSet),
      rule: this.rule,
      detail: headsDetail(a, b, this.minAlternations),
    });
    track.identityConflictOpen = true;
    this.arm(state);
  }

  /** Closes the open alert once only one track (or none) has been seen for a window. */
  closeIfCalm(state: ConflictState, now: number): void {
    const alert = state.open;
    if (alert === undefined) return;
    if (!this.isCalm(state, now)) {
      this.arm(state);
      return;
    }
    this.close(state, alert);
  }

  onEvict(track: VesselTrack): void {
    const state = track.slots[this.slot] as ConflictState | undefined;
    if (state?.open !== undefined) this.close(state, state.open);
  }

  private close(state: ConflictState, alert: Alert): void {
    const [a, b] = state.heads;
    state.open = undefined;
    state.track.identityConflictOpen = false;
    // `end` is the last time both tracks were seen: the last alternation. The detail keeps the
    // raise's positions unless both heads are still known, then it gets their latest ones.
    const sources = this.members.union(a?.sourceSet ?? NO_SOURCES, b?.sourceSet ?? NO_SOURCES);
    this.alerts.close(alert, state.lastAlternation, sources, {
      detail:
        a !== undefined && b !== undefined
          ? headsDetail(a, b, state.conflictAlternations)
          : { alternations: state.conflictAlternations },
    });
  }

  private isCalm(state: ConflictState, now: number): boolean {
    return now - state.lastAlternation >= this.windowMs;
  }

  private arm(state: ConflictState): void {
    if (state.timerArmed) return;
    state.timerArmed = true;
    this.schedule(state.lastAlternation + this.windowMs, state);
  }
}

function headsDetail(a: Head, b: Head, alternations: number): Record<string, number | string> {
  return {
    alternations,
    track1Lat: a.lat,
    track1Lon: a.lon,
    track1At: new Date(a.time).toISOString(),
    track2Lat: b.lat,
    track2Lon: b.lon,
    track2At: new Date(b.time).toISOString(),
    separationMeters: Math.round(distanceMeters(a.lat, a.lon, b.lat, b.lon)),
  };
}

/**
 * `identity_conflict` (DESIGN.md §3): one MMSI seen in two places at once — its positions keep
 * alternating between two kinematically separate tracks (an MMSI shared by two vessels, or
 * spoofed). Fixes are assigned to two track heads: a fix the current head cannot reach (it would
 * be a `position_jump`) but the other can is an alternation, and so is a fix neither can reach
 * (it starts a new head). One alert per conflict, raised when `identityConflict.minAlternations`
 * alternations fall within `identityConflict.windowSeconds` and both tracks have been seen at
 * least twice (a glitch is one fix); closed, on the event-time watermark, once a whole window
 * passes with only one track seen.
 */
export function identityConflictDetector(
  config: IdentityConflictSettings = {
    positionJump: DEFAULT_JUMP_THRESHOLDS,
    identityConflict: DEFAULT_IDENTITY_CONFLICT_CONFIG,
  },
): DetectorFactory {
  const { minAlternations } = config.identityConflict;
  if (!(Number.isInteger(minAlternations) && minAlternations >= 2)) {
    throw new RangeError(
      `identityConflict.minAlternations must be an integer ≥ 2: ${minAlternations}.`,
    );
  }
  return (slot: number, context: DetectorContext): Detector =>
    new ConflictRule(config, slot, context.alerts, context.members, (deadline, timer) =>
      context.schedule(deadline, timer),
    );
}
