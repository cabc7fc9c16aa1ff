import { NO_SOURCES, type SourceSet } from '../fusion/member-registry.js';
import type { Report } from '../fusion/report.js';
import { VesselIndex } from '../fusion/vessel-index.js';
import type { VesselTrack } from '../fusion/vessel-track.js';
import { distanceMeters } from '../geo/geodesy.js';
import { stateClass } from '../state/state-classes.js';
import type { Alert, AlertRule } from './alert.js';
import type { Detector, DetectorContext, DetectorFactory } from './detector.js';
import { isSlowFix } from './fix-speed.js';
import type { Timer } from './timer-queue.js';

/** `rendezvous` settings: the core's `rendezvous` section (DESIGN.md §3). */
export interface RendezvousConfig {
  readonly maxDistanceMeters: number;
  readonly maxSogKnots: number;
  readonly minDurationSeconds: number;
  /**
   * Fixes of the two vessels more than this apart are not a joint observation, and a meeting
   * not observed for this long has ended at its last joint observation (default 30 min: ten
   * missed 3-minute reports of a vessel at anchor).
   */
  readonly maxSilenceSeconds: number;
  /**
   * Slack of the vessel index (VesselIndex): metres a vessel moves before it is re-inserted. Not
   * in the configuration file (a tuning knob for benchmarks); 250 m when absent.
   */
  readonly indexSlackMeters?: number;
}

/** DESIGN.md §3, after GFW encounters: within 500 m, both under 2 kn, for 2 h. */
export const DEFAULT_RENDEZVOUS_CONFIG: RendezvousConfig = {
  maxDistanceMeters: 500,
  maxSogKnots: 2,
  minDurationSeconds: 2 * 3600,
  maxSilenceSeconds: 30 * 60,
};

export const RENDEZVOUS_RULE_NAME = 'rendezvous';
export const RENDEZVOUS_RULE_VERSION = 1;

/**
 * Slow vessels move at most ~1 m/s, so with 250 m of slack a vessel at 2 kn re-enters the tree
 * once in 4 minutes and one at anchor never; `bench/vessel-index.bench.ts` compares slack sizes.
 */
const DEFAULT_INDEX_SLACK_METERS = 250;
/**
 * A vessel looks for new neighbours at most this often (and whenever it enters the index): at
 * under 2 kn it moves at most 62 m in a minute, and a neighbour's own fixes look for it too. A
 * class A vessel under way reports every 10 s even when slow (ITU-R M.1371-5 Table 1), so this
 * saves five index queries in six; a meeting's start is at most this late.
 */
const DISCOVERY_INTERVAL_SECONDS = 60;
const DISCOVERY_INTERVAL_MS = DISCOVERY_INTERVAL_SECONDS * 1000;

/** Why a meeting ended (the closing revision's `detail.endReason`). */
export type RendezvousEnd = 'parted' | 'speed' | 'port' | 'silence' | 'evicted';

/**
 * `rendezvous` (DESIGN.md §3, after GFW encounters): two vessels within `maxDistanceMeters` of
 * each other, both under `maxSogKnots`, for at least `minDurationSeconds`, not inside a `port`
 * zone. One alert per pair and meeting: `mmsi` the lower MMSI, `otherMmsi` the higher.
 *
 * - Only vessels that are slow and outside ports are indexed (a VesselIndex owned by this
 *   detector) and looked for: a fast vessel's report costs a slot read and a comparison. A slow
 *   vessel checks its meetings in progress at every fix, and looks for new neighbours at most
 *   once a minute.
 * - A joint observation is a fix of either vessel while both are eligible, within the distance,
 *   and the other's latest fix is at most `maxSilenceSeconds` away in time. The meeting starts
 *   at the first joint observation (the later of the two fixes) and was last observed together
 *   at the earlier of the two fixes of the latest one, so its duration never exceeds what both
 *   vessels' fixes show.
 * - Raised at the first joint observation that makes the observed duration reach
 *   `minDurationSeconds`: not from a timer, which could only extrapolate past the last fixes
 *   (1 h 50 min together followed by silence is not a 2 h meeting).
 * - Ends (the closing revision's `end`) at the fix that shows them apart (`parted`), either one
 *   at speed (`speed`) or in a port (`port`); or, when joint observations stop (either vessel
 *   silent), at the last joint observation once `maxSilenceSeconds` have passed without one
 *   (`silence`). That is the pair's one pending timer, re-armed when it fires early.
 * - Sources: the members that heard either vessel's fixes during the meeting, and the fix that
 *   ended it. Detail: `minDistanceMeters`, `durationSeconds` (observed at raise, start to end at
 *   the close), `endReason`.
 */
export function rendezvousDetector(
  config: { readonly rendezvous: RendezvousConfig } = { rendezvous: DEFAULT_RENDEZVOUS_CONFIG },
): DetectorFactory {
  const settings = config.rendezvous;
  const maxSilenceSeconds = settings.maxSilenceSeconds;
  const slackMeters = settings.indexSlackMeters ?? DEFAULT_INDEX_SLACK_METERS;
  for (const [name, value] of [
    ['maxDistanceMeters', settings.maxDistanceMeters],
    ['maxSogKnots', settings.maxSogKnots],
    ['minDurationSeconds', settings.minDurationSeconds],
    ['maxSilenceSeconds', maxSilenceSeconds],
  ] as const) {
    if (!(value > 0) || !Number.isFinite(value)) {
      throw new RangeError(`Unexpected rendezvous.${name} value: ${value}.`);
    }
  }
  const rule: AlertRule = {
    name: RENDEZVOUS_RULE_NAME,
    version: RENDEZVOUS_RULE_VERSION,
    thresholds: {
      maxDistanceMeters: settings.maxDistanceMeters,
      maxSogKnots: settings.maxSogKnots,
      minDurationSeconds: settings.minDurationSeconds,
      maxSilenceSeconds,
      discoveryIntervalSeconds: DISCOVERY_INTERVAL_SECONDS,
    },
  };
  return (slot, context) =>
    new RendezvousDetector(slot, context, rule, new VesselIndex(slackMeters), {
      maxDistanceMeters: settings.maxDistanceMeters,
      maxSogKnots: settings.maxSogKnots,
      minDurationMs: settings.minDurationSeconds * 1000,
      maxSilenceMs: maxSilenceSeconds * 1000,
    });
}

interface Settings {
  readonly maxDistanceMeters: number;
  readonly maxSogKnots: number;
  readonly minDurationMs: number;
  readonly maxSilenceMs: number;
}

/** Per-vessel state (the detector's slot), created at the vessel's first eligible fix. */
class VesselState {
  /** Judged slow at its latest fix whose speed was known (kept for fixes of unknown speed). */
  slow = false;
  /** In the index: slow and outside ports at its latest fix, and heard recently. */
  indexed = false;
  /** Event time of the vessel's latest look for new neighbours. */
  lookedAt = Number.NEGATIVE_INFINITY;
  /** Meetings in progress (few: a vessel rarely has more than a couple of neighbours). */
  readonly pairs: Pair[] = [];
}
stateClass('rendezvous.VesselState', VesselState);

/** One meeting of two vessels; also its timer (arming it allocates nothing). */
class Pair implements Timer {
  /** Epoch ms of the first joint observation. */
  readonly start: number;
  lastTogether: number;
  minDistanceMeters = Number.POSITIVE_INFINITY;
  /** Members that heard either vessel's fixes during the meeting. */
  sourceSet: SourceSet = NO_SOURCES;
  alert: Alert | undefined = undefined;
  ended = false;

  constructor(
    /** The vessel with the lower MMSI (the alert's `mmsi`). */
    readonly a: VesselTrack,
    readonly b: VesselTrack,
    start: number,
    private readonly detector: RendezvousDetector,
  ) {
    this.start = start;
    this.lastTogether = start;
  }

  other(track: VesselTrack): VesselTrack {
    return track === this.a ? this.b : this.a;
  }

  fire(now: number): void {
    this.detector.silenceCheck(this, now);
  }
}
stateClass('rendezvous.Pair', Pair);

class RendezvousDetector implements Detector {
  readonly name = RENDEZVOUS_RULE_NAME;
  private readonly neighbours: VesselTrack[] = [];

  constructor(
    private readonly slot: number,
    private readonly context: DetectorContext,
    private readonly rule: AlertRule,
    /** Slow vessels outside ports, at their latest fix. */
    readonly index: VesselIndex,
    private readonly settings: Settings,
  ) {}

  onReport(track: VesselTrack, _report: Report, fixApplied: boolean): void {
    if (!fixApplied) return;
    let state = track.slots[this.slot] as VesselState | undefined;
    // A vessel never judged slow has no state.
    const slow = isSlowFix(track, this.settings.maxSogKnots, state?.slow === true);
    if (state !== undefined) state.slow = slow;
    if (!slow) {
      if (state !== undefined) this.leave(track, state, 'speed');
      return;
    }
    if (this.context.inPort(track.lat, track.lon)) {
      if (state !== undefined) this.leave(track, state, 'port');
      return;
    }
    if (state === undefined) {
      state = new VesselState();
      track.slots[this.slot] = state;
    }
    state.slow = true;
    const entered = !state.indexed;
    state.indexed = true;
    this.index.update(track);

    const time = track.fixTime;
    const { maxDistanceMeters, maxSilenceMs } = this.settings;
    // Meetings in progress: still together, apart, or the other one silent (left to its timer).
    const pairs = state.pairs;
    for (let i = pairs.length - 1; i >= 0; i--) {
      const pair = pairs[i]!;
      const other = pair.other(track);
      const meters = distanceMeters(track.lat, track.lon, other.lat, other.lon);
      if (meters > maxDistanceMeters) this.part(pair, time, 'parted', track.fixSourceSet);
      else if (Math.abs(time - other.fixTime) <= maxSilenceMs) this.together(pair, meters, track);
    }
    // New meetings: eligible neighbours heard recently enough.
    if (!entered && time - state.lookedAt < DISCOVERY_INTERVAL_MS) return;
    state.lookedAt = time;
    const neighbours = this.neighbours;
    const count = this.index.near(track.lat, track.lon, maxDistanceMeters, neighbours);
    for (let i = 0; i < count; i++) {
      const other = neighbours[i]!;
      if (other === track || hasPair(pairs, other)) continue;
      if (other.fixTime < time - maxSilenceMs) {
        // Not heard for a while: out of the index until its next fix (its meetings end by timer).
        this.index.remove(other);
        (other.slots[this.slot] as VesselState).indexed = false;
        continue;
      }
      if (other.fixTime > time + maxSilenceMs) continue;
      const [a, b] = track.mmsi < other.mmsi ? [track, other] : [other, track];
      const pair = new Pair(a, b, Math.max(time, other.fixTime), this);
      pairs.push(pair);
      (other.slots[this.slot] as VesselState).pairs.push(pair);
      this.together(pair, distanceMeters(track.lat, track.lon, other.lat, other.lon), track);
      this.context.schedule(pair.lastTogether + maxSilenceMs, pair);
    }
  }

  onEvict(track: VesselTrack): void {
    const state = track.slots[this.slot] as VesselState | undefined;
    if (state === undefined) return;
    this.index.remove(track);
    for (let i = state.pairs.length - 1; i >= 0; i--) {
      const pair = state.pairs[i]!;
      this.part(pair, pair.lastTogether, 'evicted', NO_SOURCES);
    }
    track.slots[this.slot] = undefined;
  }

  /** The pair's timer: ends a meeting not observed for `maxSilence`, else re-arms. */
  silenceCheck(pair: Pair, now: number): void {
    if (pair.ended) return;
    const deadline = pair.lastTogether + this.settings.maxSilenceMs;
    if (deadline > now) this.context.schedule(deadline, pair);
    else this.part(pair, pair.lastTogether, 'silence', NO_SOURCES);
  }

  /** The vessel is no longer eligible (fast, or in a port): out of the index, its meetings over. */
  private leave(track: VesselTrack, state: VesselState, reason: RendezvousEnd): void {
    if (state.indexed) {
      state.indexed = false;
      this.index.remove(track);
    }
    const pairs = state.pairs;
    for (let i = pairs.length - 1; i >= 0; i--) {
      this.part(pairs[i]!, track.fixTime, reason, track.fixSourceSet);
    }
  }

  /** A joint observation of the pair, made at `track`'s latest fix. */
  private together(pair: Pair, meters: number, track: VesselTrack): void {
    const other = pair.other(track);
    const observed = Math.min(track.fixTime, other.fixTime);
    if (observed > pair.lastTogether) pair.lastTogether = observed;
    if (meters < pair.minDistanceMeters) pair.minDistanceMeters = meters;
    const members = this.context.members;
    pair.sourceSet = members.union(
      members.union(pair.sourceSet, track.fixSourceSet),
      other.fixSourceSet,
    );
    if (pair.alert !== undefined || pair.lastTogether - pair.start < this.settings.minDurationMs) {
      return;
    }
    const { a, b } = pair;
    pair.alert = this.context.alerts.raise({
      kind: 'rendezvous',
      mmsi: a.mmsi,
      otherMmsi: b.mmsi,
      start: pair.start,
      lat: (a.lat + b.lat) / 2,
      lon: midLongitude(a.lon, b.lon),
      sourceSet: pair.sourceSet,
      rule: this.rule,
      detail: {
        minDistanceMeters: Math.round(pair.minDistanceMeters),
        durationSeconds: (pair.lastTogether - pair.start) / 1000,
      },
    });
  }

  private part(pair: Pair, end: number, reason: RendezvousEnd, sourceSet: SourceSet): void {
    pair.ended = true;
    removePair(pair.a.slots[this.slot] as VesselState | undefined, pair);
    removePair(pair.b.slots[this.slot] as VesselState | undefined, pair);
    const alert = pair.alert;
    if (alert === undefined) return;
    const sources = this.context.members.union(pair.sourceSet, sourceSet);
    this.context.alerts.close(alert, end, sources, {
      detail: {
        minDistanceMeters: Math.round(pair.minDistanceMeters),
        durationSeconds: (end - pair.start) / 1000,
        endReason: reason,
      },
    });
  }
}

function hasPair(pairs: readonly Pair[], other: VesselTrack): boolean {
  for (let i = 0; i < pairs.length; i++)
    if (pairs[i]!.a === other || pairs[i]!.b === other) return true;
  return false;
}

function removePair(state: VesselState | undefined, pair: Pair): void {
  if (state === undefined) return;
  const at = state.pairs.indexOf(pair);
  if (at >= 0) state.pairs.splice(at, 1);
}

/** Midpoint of two longitudes less than 180° apart, across the antimeridian when shorter. */
function midLongitude(lon1: number, lon2: number): number {
  let mid = (lon1 + lon2) / 2;
  if (Math.abs(lon1 - lon2) > 180) mid = mid > 0 ? mid - 180 : mid + 180;
  return mid;
}
