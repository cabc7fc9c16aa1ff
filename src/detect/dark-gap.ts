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
import { type CorridorEvidence, CoverageCorridor } from './coverage-corridor.js';
import type { CoverageCursor } from './coverage-cursor.js';
import { CoverageModel } from './coverage-model.js';
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
  /** A cell is heard reliably when at least this share of the reports due there was heard. */
  readonly minCellProbability: number;
  /** A silence is dark when at least this share of its dead-reckoned way is heard reliably. */
  readonly minCoveredShare: number;
  /** Reports due in a cell before its reception probability is known (cold start). */
  readonly minEvidenceReports: number;
  /**
   * Silences that begin before the model has learned this long are not judged (cold start:
   * coverage unknown, counted in `coverageUnknownSilences`).
   */
  readonly coverageWarmUpSeconds: number;
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
  minCellProbability: 0.8,
  minCoveredShare: 0.5,
  minEvidenceReports: 20,
  coverageWarmUpSeconds: 3600,
};

export const DARK_GAP_RULE_NAME = 'dark_gap';
export const DARK_GAP_RULE_VERSION = 2;

/** Below this SOG a vessel is drifting at anchor or at its berth (GPS noise): no dead reckoning. */
const DRIFT_SOG_KNOTS = 0.5;

/**
 * The `dark_gap` detector (DESIGN.md §3, issue 14): a vessel silent for `minGapSeconds` while
 * the coalition could have heard it — at least `minCoveredShare` of its dead-reckoned way over
 * the first `minGapSeconds` of the silence in cells heard reliably (`CoverageCorridor`:
 * reception probability ≥ `minCellProbability` by stations alive throughout), neither end in a
 * `port` zone. Silences that began before the model had learned for `coverageWarmUpSeconds`,
 * or whose way is mostly in cells the model does not know, are not raised but counted
 * (`coverageUnknownSilences`). The alert carries the corridor's evidence.
 *
 * - One pending timer per vessel (the core must take ~1 M reports/s): armed at
 *   `lastSeen + minGap` when none is pending; when it fires and the vessel was heard since, it
 *   re-arms at the new `lastSeen + minGap`.
 * - Judged when the silence crosses the threshold. `start` is the last time the vessel was heard
 *   (any report), so a re-run gives the same id; the alert is raised at the crossing, at the last
 *   known position, with the members that heard the last fix as sources.
 * - A silence explained by coverage (a station down, the vessel out of range, cells unknown) is
 *   judged again every `stationAliveSeconds` while it lasts, up to `maxDeadReckonSeconds` after
 *   the last fix, on the same way with the coverage as then known: a receiver that comes back
 *   and still does not hear the vessel for a full `minGap` makes it a dark gap. Stations must
 *   have been alive without a break for the last `minGap` to vouch.
 *   A silence in port (last or dead-reckoned position in a `port` zone) is not judged again.
 * - Dead reckoning: last fix + SOG × elapsed along COG (heading when COG is unknown), with SOG
 *   capped at `maxDeadReckonKnots` and elapsed at `maxDeadReckonSeconds`; SOG under 0.5 kn or
 *   unknown, or no course: the last position.
 * - Closed (a revision with `end`) at the first report after the gap, at its position when it
 *   has one, adding the member that heard the vessel reappear; **withdrawn** instead
 *   (`path_not_covered`) when the straight way from the last fix to that position was not
 *   heard reliably: the vessel sailed through a hole (`AlertBook.withdraw`).
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
      minCellProbability: settings.minCellProbability,
      minCoveredShare: settings.minCoveredShare,
      minEvidenceReports: settings.minEvidenceReports,
      coverageWarmUpSeconds: settings.coverageWarmUpSeconds,
    },
  };
  return (slot, context) => {
    const coverage = new CoverageModel({
      cellDegrees: settings.coverageCellDegrees,
      stationAliveSeconds: settings.stationAliveSeconds,
      memorySeconds: settings.coverageMemorySeconds,
      neighbourCells,
      minEvidenceReports: settings.minEvidenceReports,
      learnSilenceSeconds: settings.minGapSeconds,
    });
    return new DarkGapDetector(slot, context, rule, {
      minGapMs: settings.minGapSeconds * 1000,
      recheckMs: settings.stationAliveSeconds * 1000,
      maxDeadReckonMs: maxSeconds * 1000,
      maxDeadReckonKnots: maxKnots,
      warmUpMs: settings.coverageWarmUpSeconds * 1000,
      coverage,
      corridor: new CoverageCorridor(
        coverage,
        settings.minCellProbability,
        settings.minCoveredShare,
      ),
    });
  };
}

interface Settings {
  readonly minGapMs: number;
  readonly recheckMs: number;
  readonly maxDeadReckonMs: number;
  readonly maxDeadReckonKnots: number;
  readonly coverage: CoverageModel;
  readonly corridor: CoverageCorridor;
  readonly warmUpMs: number;
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
  evidenceFixTime = Number.NaN;
  evidenceFixLat = Number.NaN;
  evidenceFixLon = Number.NaN;
  evidenceIntervalMs = Number.NaN;
  evidenceCell = -1;
  evidenceDue = 0;
  evidenceHeard = 0;
  /** The current silence was found in cells the model has not learned (counted once). */
  coverageUnknown = false;
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
  /** Silences not raised because the model had not learned their way (cold start): for metrics. */
  coverageUnknownSilences = 0;
  /** Dark gaps withdrawn when the vessel reappeared along a way nobody could hear. */
  withdrawnGaps = 0;
  private readonly deadReckoned: LatLon = { lat: 0, lon: 0 };
  private readonly wayStart: LatLon = { lat: 0, lon: 0 };
  private readonly wayEnd: LatLon = { lat: 0, lon: 0 };

  constructor(
    private readonly slot: number,
    private readonly context: DetectorContext,
    private readonly rule: AlertRule,
    private readonly settings: Settings,
  ) {
    this.coverage = settings.coverage;
  }

  /**
   * For metrics (issue 14): silences not raised because their way's coverage was not learned
   * yet (cold start), and dark gaps withdrawn when the vessel reappeared along a way the
   * coalition could not have heard.
   */
  counts(): Readonly<Record<string, number>> {
    return { coverage_unknown: this.coverageUnknownSilences, withdrawn: this.withdrawnGaps };
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
    // Judged before this report teaches the model: the way the vessel came back by is the question.
    if (state.awaitingFix !== undefined) this.placeReappearance(state, report, positioned);
    if (state.alert !== undefined) this.close(state, report, positioned);
    state.coverageUnknown = false;
    this.coverage.observe(
      state,
      report.stations,
      positioned ? lat : undefined,
      positioned ? lon : undefined,
      report.time,
    );
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

  /** A silence not raised because its coverage was unknown: counted once. */
  private countUnknown(state: GapState): void {
    if (state.coverageUnknown) return;
    state.coverageUnknown = true;
    this.coverageUnknownSilences++;
  }

  /** The vessel's reporting interval as the model learned it, seconds (10 s, class A, if unknown). */
  private intervalSeconds(state: GapState): number {
    const ms = state.evidenceIntervalMs;
    return Number.isNaN(ms) ? 10 : ms / 1000;
  }

  /**
   * Whether the silence of `state.track` up to `now` is a dark gap; raises it if so. The way
   * judged is the dead-reckoned one, from the last fix to where the vessel would be now.
   */
  private judge(state: GapState, now: number): Verdict {
    const track = state.track;
    if (!track.hasFix()) return 'explained';
    const context = this.context;
    const { coverage, corridor, minGapMs } = this.settings;
    if (context.inPort(track.lat, track.lon)) return 'explained';
    const dr = this.deadReckon(track, now, this.deadReckoned);
    if (context.inPort(dr.lat, dr.lon)) return 'explained';
    if (coverage.learnedFor(track.lastSeen) < this.settings.warmUpMs) {
      // Cold start: the silence began before the model had learned anything much.
      this.countUnknown(state);
      return 'explained';
    }
    coverage.flushEvidence(state);
    // The way judged is the dead-reckoned one over the first minGap of the silence (from the
    // last report: a report without a position restarts it), however long the silence: a later
    // judgement (a station back, an area learned) asks the same question of better knowledge,
    // not of a reckoning that grows less true by the hour.
    const silentSince = track.lastSeen;
    const wayMs = Math.min(now - silentSince, minGapMs);
    const from = this.deadReckon(track, silentSince, this.wayStart);
    const end = this.deadReckon(track, silentSince + wayMs, this.wayEnd);
    // Stations must have been alive without a break for the last minGap to vouch for a silence.
    const way = corridor.walk(
      from.lat,
      from.lon,
      end.lat,
      end.lon,
      wayMs / 1000,
      this.intervalSeconds(state),
      now,
      now - minGapMs,
    );
    if (way.verdict !== 'covered') {
      if (way.verdict === 'unknown') this.countUnknown(state);
      return 'uncovered';
    }
    const start = track.lastSeen;
    const detail: Record<string, number | string | boolean> = {
      gapSeconds: (now - start) / 1000,
      lastLat: track.lat,
      lastLon: track.lon,
      lastFixTime: new Date(track.fixTime).toISOString(),
      deadReckonedLat: dr.lat,
      deadReckonedLon: dr.lon,
      deadReckonedMeters: Math.round(distanceMeters(track.lat, track.lon, dr.lat, dr.lon)),
      ...this.evidenceDetail('corridor', way),
      reportIntervalSeconds: round(this.intervalSeconds(state), 1),
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

  /**
   * The coverage evidence of a way as alert detail (issue 14: why it was raised or withdrawn):
   * `<prefix>Cells`, `<prefix>CoveredShare`, `<prefix>UnknownShare`, `<prefix>ExpectedReports`
   * (reports the coalition should have heard, and missed), `<prefix>DueReports`,
   * `<prefix>MeanProbability`, and for the corridor `coveringStations`.
   */
  private evidenceDetail(
    prefix: 'corridor' | 'path',
    way: CorridorEvidence,
  ): Record<string, number | string> {
    const detail: Record<string, number | string> = {
      [`${prefix}Cells`]: way.cells,
      [`${prefix}CoveredShare`]: round(way.coveredShare, 3),
      [`${prefix}UnknownShare`]: round(way.unknownShare, 3),
      [`${prefix}ExpectedReports`]: Math.round(way.expectedReports),
      [`${prefix}HeardShare`]: round(way.heardShare, 3),
      [`${prefix}DueReports`]: Math.round(way.dueReports),
      [`${prefix}MeanProbability`]: round(way.meanProbability, 3),
    };
    const ids: string[] = [];
    for (const station of way.stations) ids.push(this.coverage.stationId(station));
    detail[prefix === 'corridor' ? 'coveringStations' : 'pathStations'] = ids.sort().join(',');
    return detail;
  }

  /** Last fix + SOG × elapsed along the course, both capped (see the class comment). */
  private deadReckon(track: VesselTrack, now: number, out: LatLon): LatLon {
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

  /**
   * The vessel was heard again: the gap ends at this report, where it reappeared. With a
   * position, the straight way from the last fix to it is judged as the corridor was: when the
   * coalition could not have heard most of it, the gap is withdrawn (`path_not_covered`).
   */
  private close(state: GapState, report: Report, positioned: boolean): void {
    const alert = state.alert!;
    state.alert = undefined;
    const detail: Record<string, number | string | boolean> = {
      gapSeconds: (report.time - alert.start) / 1000,
      reappearedWithPosition: positioned,
    };
    const book = this.context.alerts;
    if (!positioned) {
      book.close(alert, report.time, report.sourceSet, { detail });
      state.awaitingFix = alert;
      return;
    }
    const lat = report.lat!;
    const lon = report.lon!;
    detail.reappearanceFromDeadReckoningMeters = reappearanceDistance(alert, lat, lon);
    if (this.pathCovered(state, alert, lat, lon, report.time, detail)) {
      book.close(alert, report.time, report.sourceSet, { lat, lon, detail });
    } else {
      this.withdrawnGaps++;
      book.withdraw(alert, 'path_not_covered', report.time, report.sourceSet, { lat, lon, detail });
    }
  }

  /** Judges the straight way from the gap's last fix to (lat, lon) at `time`, into `detail`. */
  private pathCovered(
    state: GapState,
    alert: Alert,
    lat: number,
    lon: number,
    time: number,
    detail: Record<string, number | string | boolean>,
  ): boolean {
    const lastLat = alert.detail.lastLat as number;
    const lastLon = alert.detail.lastLon as number;
    const fixTime = Date.parse(alert.detail.lastFixTime as string);
    const way = this.settings.corridor.walk(
      lastLat,
      lastLon,
      lat,
      lon,
      (time - fixTime) / 1000,
      this.intervalSeconds(state),
      time,
      time - this.settings.minGapMs,
    );
    Object.assign(detail, this.evidenceDetail('path', way));
    return way.verdict === 'covered';
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
    const detail: Record<string, number | string | boolean> = {
      reappearanceFixSeconds: (report.time - alert.end!) / 1000,
      reappearanceFromDeadReckoningMeters: reappearanceDistance(alert, lat, lon),
    };
    if (this.pathCovered(state, alert, lat, lon, report.time, detail)) {
      this.context.alerts.revise(alert, { lat, lon, detail });
    } else {
      this.withdrawnGaps++;
      this.context.alerts.withdraw(alert, 'path_not_covered', alert.end!, report.sourceSet, {
        lat,
        lon,
        detail,
      });
    }
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

function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
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
