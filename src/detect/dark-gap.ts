import type { Report } from '../fusion/report.js';
import type { VesselTrack } from '../fusion/vessel-track.js';
import {
  destination,
  distanceMeters,
  KNOT_METERS_PER_SECOND,
  type LatLon,
} from '../geo/geodesy.js';
import { stateClass } from '../state/state-classes.js';
import type { Alert, AlertRule } from './alert.js';
import { type CoverageCursor, CoverageModel } from './coverage-model.js';
import type { Detector, DetectorContext, DetectorFactory } from './detector.js';
import type { Timer } from './timer-queue.js';

/** `dark_gap` settings: the core's `darkGap` section (DESIGN.md §3). */
export interface DarkGapConfig {
  readonly minGapSeconds: number;
  /** A station counts as alive if it heard anything this recently. */
  readonly stationAliveSeconds: number;
  /** A coverage cell counts as covered if a station heard a vessel there this recently. */
  readonly coverageMemorySeconds: number;
  /** Size of the coverage grid cells, degrees. */
  readonly coverageCellDegrees: number;
  /** Speeds over this are not believed when dead reckoning. */
  readonly maxDeadReckonKnots: number;
  /** Dead reckoning runs at most this long; a silence not judged dark by then is left alone. */
  readonly maxDeadReckonSeconds: number;
  /** Neighbouring coverage cells that also count as covered (0: only the cell itself). */
  readonly coverageNeighbourCells: number;
}

/** DESIGN.md §3: silent for 2 h (GFW uses 6–12 h with satellites, MarineTraffic 1 h). */
export const DEFAULT_DARK_GAP_CONFIG: DarkGapConfig = {
  minGapSeconds: 2 * 3600,
  stationAliveSeconds: 30 * 60,
  coverageMemorySeconds: 24 * 3600,
  coverageCellDegrees: 0.1,
  maxDeadReckonKnots: 50,
  maxDeadReckonSeconds: 6 * 3600,
  coverageNeighbourCells: 0,
};

export const DARK_GAP_RULE_NAME = 'dark_gap';
export const DARK_GAP_RULE_VERSION = 1;

/** Below this SOG a vessel is drifting at anchor or at its berth (GPS noise): no dead reckoning. */
const DRIFT_SOG_KNOTS = 0.5;

/**
 * The `dark_gap` detector (DESIGN.md §3): a vessel silent for `minGapSeconds` while the
 * coalition could have heard it — its last position and its dead-reckoned position both in live
 * coverage (`CoverageModel`), neither in a `port` zone.
 *
 * - One pending timer per vessel (the core must take ~1 M reports/s): armed at
 *   `lastSeen + minGap` when none is pending; when it fires and the vessel was heard since, it
 *   re-arms at the new `lastSeen + minGap`.
 * - Judged when the silence crosses the threshold. `start` is the last time the vessel was heard
 *   (any report), so a re-run gives the same id; the alert is raised at the crossing, at the last
 *   known position, with the members that heard the last fix as sources.
 * - A silence explained by coverage (a station down, the vessel out of range) is judged again
 *   every `stationAliveSeconds` while it lasts, up to `maxDeadReckonSeconds` after the last fix:
 *   a receiver that comes back and still does not hear the vessel for a full `minGap` makes it
 *   a dark gap. Stations must have been alive without a break for the last `minGap` to vouch.
 *   A silence in port (last or dead-reckoned position in a `port` zone) is not judged again.
 * - Dead reckoning: last fix + SOG × elapsed along COG (heading when COG is unknown), with SOG
 *   capped at `maxDeadReckonKnots` and elapsed at `maxDeadReckonSeconds`; SOG under 0.5 kn or
 *   unknown, or no course: the last position.
 * - Closed (a revision with `end`) at the first report after the gap, at its position when it
 *   has one, adding the member that heard the vessel reappear.
 *
 * Not judged: MMSIs that are not ships' stations (ITU-R M.585: 00… coast stations, 111… SAR
 * aircraft, 97… SART / MOB / EPIRB, 99… aids to navigation) — their silence is normal. They
 * still teach the coverage model where stations hear.
 */
export function darkGapDetector(config: { readonly darkGap: DarkGapConfig }): DetectorFactory {
  const settings = config.darkGap;
  if (!(settings.minGapSeconds > 0)) {
    throw new RangeError(`Unexpected darkGap.minGapSeconds value: ${settings.minGapSeconds}.`);
  }
  const maxKnots = settings.maxDeadReckonKnots;
  const maxSeconds = settings.maxDeadReckonSeconds;
  if (!(maxKnots >= 0)) {
    throw new RangeError(`Unexpected darkGap.maxDeadReckonKnots value: ${maxKnots}.`);
  }
  if (!(maxSeconds >= settings.minGapSeconds)) {
    throw new RangeError(
      `Unexpected darkGap.maxDeadReckonSeconds value: ${maxSeconds} (must be at least minGapSeconds).`,
    );
  }
  const neighbourCells = settings.coverageNeighbourCells;
  const rule: AlertRule = {
    name: DARK_GAP_RULE_NAME,
    version: DARK_GAP_RULE_VERSION,
    thresholds: {
      minGapSeconds: settings.minGapSeconds,
      stationAliveSeconds: settings.stationAliveSeconds,
      coverageMemorySeconds: settings.coverageMemorySeconds,
      coverageCellDegrees: settings.coverageCellDegrees,
      coverageNeighbourCells: neighbourCells,
      maxDeadReckonKnots: maxKnots,
      maxDeadReckonSeconds: maxSeconds,
    },
  };
  return (slot, context) =>
    new DarkGapDetector(slot, context, rule, {
      minGapMs: settings.minGapSeconds * 1000,
      recheckMs: settings.stationAliveSeconds * 1000,
      maxDeadReckonMs: maxSeconds * 1000,
      maxDeadReckonKnots: maxKnots,
      coverage: new CoverageModel({
        cellDegrees: settings.coverageCellDegrees,
        stationAliveSeconds: settings.stationAliveSeconds,
        memorySeconds: settings.coverageMemorySeconds,
        neighbourCells,
      }),
    });
}

interface Settings {
  readonly minGapMs: number;
  readonly recheckMs: number;
  readonly maxDeadReckonMs: number;
  readonly maxDeadReckonKnots: number;
  readonly coverage: CoverageModel;
}

/**
 * One judgement of a silence: raised; not covered now (judge again later); or explained for as
 * long as the vessel stays silent (in port, or no position to judge).
 */
type Verdict = 'dark' | 'uncovered' | 'explained';

/**
 * Per-vessel state (the detector's slot): the coverage cursor, the vessel's one timer, and its
 * open alert. Being the timer itself, arming it allocates nothing.
 */
class GapState implements Timer, CoverageCursor {
  coverStationA: string | undefined = undefined;
  coverStationB: string | undefined = undefined;
  coverStationC: string | undefined = undefined;
  coverIndexA = -1;
  coverIndexB = -1;
  coverIndexC = -1;
  coverStationCount = 0;
  coverCell = -1;
  coverTime = Number.NEGATIVE_INFINITY;
  /** A timer of this vessel is in the core's queue. */
  armed = false;
  evicted = false;
  /** The open gap; its detail keeps the dead-reckoned position for the closing revision. */
  alert: Alert | undefined = undefined;
  /** The last gap, closed by a report without a position: its next fix tells where it reappeared. */
  awaitingFix: Alert | undefined = undefined;

  constructor(
    readonly track: VesselTrack,
    private readonly detector: DarkGapDetector,
  ) {}

  fire(now: number): void {
    this.detector.onTimer(this, now);
  }
}
stateClass('dark_gap.GapState', GapState);

/** The `dark_gap` detector built by `darkGapDetector`; `coverage` is public for metrics. */
export class DarkGapDetector implements Detector {
  readonly name = DARK_GAP_RULE_NAME;
  readonly coverage: CoverageModel;
  private readonly lastCovering: number[] = [];
  private readonly deadReckonedCovering: number[] = [];
  private readonly deadReckoned: LatLon = { lat: 0, lon: 0 };

  constructor(
    private readonly slot: number,
    private readonly context: DetectorContext,
    private readonly rule: AlertRule,
    private readonly settings: Settings,
  ) {
    this.coverage = settings.coverage;
  }

  onReport(track: VesselTrack, report: Report): void {
    let state = track.slots[this.slot] as GapState | undefined;
    if (state === undefined) {
      state = new GapState(track, this);
      track.slots[this.slot] = state;
    }
    const lat = report.lat;
    const lon = report.lon;
    const positioned = lat !== undefined && lon !== undefined && !(lat === 0 && lon === 0);
    this.coverage.observe(
      state,
      report.stations,
      positioned ? lat : undefined,
      positioned ? lon : undefined,
      report.time,
    );
    if (state.awaitingFix !== undefined) this.placeReappearance(state, report, positioned);
    if (state.alert !== undefined) this.close(state, report, positioned);
    if (!state.armed && isShipStation(track.mmsi)) {
      state.armed = true;
      this.context.schedule(track.lastSeen + this.settings.minGapMs, state);
    }
  }

  onEvict(track: VesselTrack): void {
    const state = track.slots[this.slot] as GapState | undefined;
    if (state !== undefined) state.evicted = true; // its pending timer, if any, does nothing
    track.slots[this.slot] = undefined;
  }

  /** The vessel's timer fired at `now` (event time). */
  onTimer(state: GapState, now: number): void {
    state.armed = false;
    if (state.evicted || state.alert !== undefined) return;
    const { minGapMs, recheckMs, maxDeadReckonMs } = this.settings;
    const silentSince = state.track.lastSeen;
    if (now - silentSince < minGapMs) {
      this.arm(state, silentSince + minGapMs); // heard since: wait for the new silence
      return;
    }
    const verdict = this.judge(state, now);
    if (verdict === 'dark') return;
    if (verdict === 'uncovered' && now + recheckMs <= state.track.fixTime + maxDeadReckonMs) {
      this.arm(state, now + recheckMs);
    }
    // Otherwise the silence is explained: the next report re-arms the timer.
  }

  private arm(state: GapState, deadline: number): void {
    state.armed = true;
    this.context.schedule(deadline, state);
  }

  /** Whether the silence of `state.track` up to `now` is a dark gap; raises it if so. */
  private judge(state: GapState, now: number): Verdict {
    const track = state.track;
    if (!track.hasFix()) return 'explained';
    const context = this.context;
    const { coverage, minGapMs } = this.settings;
    if (context.inPort(track.lat, track.lon)) return 'explained';
    // Stations must have been alive without a break for the last minGap to vouch for a silence.
    const aliveSince = now - minGapMs;
    const lastCovering = this.lastCovering;
    const lastCount = coverage.coveringStations(
      track.lat,
      track.lon,
      now,
      aliveSince,
      lastCovering,
    );
    if (lastCount === 0) return 'uncovered';
    const dr = this.deadReckon(track, now);
    if (context.inPort(dr.lat, dr.lon)) return 'explained';
    const drCovering = this.deadReckonedCovering;
    const drCount = coverage.coveringStations(dr.lat, dr.lon, now, aliveSince, drCovering);
    if (drCount === 0) return 'uncovered';

    const stations = new Set<string>();
    for (let i = 0; i < lastCount; i++) stations.add(coverage.stationId(lastCovering[i]!));
    for (let i = 0; i < drCount; i++) stations.add(coverage.stationId(drCovering[i]!));
    const start = track.lastSeen;
    const detail: Record<string, number | string | boolean> = {
      gapSeconds: (now - start) / 1000,
      lastLat: track.lat,
      lastLon: track.lon,
      lastFixTime: new Date(track.fixTime).toISOString(),
      deadReckonedLat: dr.lat,
      deadReckonedLon: dr.lon,
      deadReckonedMeters: Math.round(distanceMeters(track.lat, track.lon, dr.lat, dr.lon)),
      coveringStations: [...stations].sort().join(','),
    };
    if (track.sog !== undefined) detail.sogKnots = track.sog;
    if (track.cog !== undefined) detail.cogDegrees = track.cog;
    state.alert = context.alerts.raise({
      kind: 'dark_gap',
      mmsi: track.mmsi,
      start,
      lat: track.lat,
      lon: track.lon,
      sourceSet: track.fixSourceSet,
      rule: this.rule,
      detail,
    });
    return 'dark';
  }

  /** Last fix + SOG × elapsed along the course, both capped (see the class comment). */
  private deadReckon(track: VesselTrack, now: number): LatLon {
    const out = this.deadReckoned;
    out.lat = track.lat;
    out.lon = track.lon;
    const sog = track.sog;
    const course = track.cog ?? track.heading;
    if (sog === undefined || sog < DRIFT_SOG_KNOTS || course === undefined) return out;
    const { maxDeadReckonKnots, maxDeadReckonMs } = this.settings;
    const seconds = Math.min(now - track.fixTime, maxDeadReckonMs) / 1000;
    const meters = Math.min(sog, maxDeadReckonKnots) * KNOT_METERS_PER_SECOND * seconds;
    return destination(track.lat, track.lon, course, meters, out);
  }

  /** The vessel was heard again: the gap ends at this report, where it reappeared. */
  private close(state: GapState, report: Report, positioned: boolean): void {
    const alert = state.alert!;
    state.alert = undefined;
    const detail: Record<string, number | string | boolean> = {
      gapSeconds: (report.time - alert.start) / 1000,
      reappearedWithPosition: positioned,
    };
    if (!positioned) {
      this.context.alerts.close(alert, report.time, report.sourceSet, { detail });
      state.awaitingFix = alert;
      return;
    }
    const lat = report.lat!;
    const lon = report.lon!;
    detail.reappearanceFromDeadReckoningMeters = reappearanceDistance(alert, lat, lon);
    this.context.alerts.close(alert, report.time, report.sourceSet, { lat, lon, detail });
  }

  /**
   * The vessel reappeared with a report without a position (static data): its first fix within
   * `minGapSeconds` of that revises the closed gap with where it is (DESIGN.md §3: "revised with
   * `end` and the reappearance position"); `end` stays the time it was first heard again.
   */
  private placeReappearance(state: GapState, report: Report, positioned: boolean): void {
    const alert = state.awaitingFix!;
    if (report.time - alert.end! >= this.settings.minGapMs) {
      state.awaitingFix = undefined;
      return;
    }
    if (!positioned) return;
    state.awaitingFix = undefined;
    const lat = report.lat!;
    const lon = report.lon!;
    this.context.alerts.revise(alert, {
      lat,
      lon,
      detail: {
        reappearanceFixSeconds: (report.time - alert.end!) / 1000,
        reappearanceFromDeadReckoningMeters: reappearanceDistance(alert, lat, lon),
      },
    });
  }
}

/**
 * Ship stations and craft that can go dark (ITU-R M.585): not coast stations (00MIDxxxx) or
 * group calls (0MIDxxxxx), not SAR aircraft (111MIDxxx, silent on the ground), not SART / MOB /
 * EPIRB (97xxxxxxx, which transmit only in distress), not aids to navigation (99MIDxxxx).
 */
function isShipStation(mmsi: number): boolean {
  if (mmsi < 100_000_000 || mmsi >= 990_000_000) return false;
  if (mmsi >= 111_000_000 && mmsi < 112_000_000) return false;
  return mmsi < 970_000_000 || mmsi >= 980_000_000;
}

/** Metres from a gap's dead-reckoned position to where the vessel was next seen. */
function reappearanceDistance(alert: Alert, lat: number, lon: number): number {
  return Math.round(
    distanceMeters(
      alert.detail.deadReckonedLat as number,
      alert.detail.deadReckonedLon as number,
      lat,
      lon,
    ),
  );
}
