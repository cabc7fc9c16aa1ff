import type { VesselTrack } from '../fusion/vessel-track.js';
import { distanceMeters, KNOT_METERS_PER_SECOND } from '../geo/geodesy.js';
import { type CoreConfig, DEFAULT_CORE_CONFIG } from '../pipeline/core-config.js';
import { stateClass } from '../state/state-classes.js';
import type { AlertRule } from './alert.js';
import type { Detector, DetectorContext, DetectorFactory } from './detector.js';
import { hasOpenIdentityConflict } from './identity-conflict.js';

export type JumpThresholds = CoreConfig['positionJump'];

/** Metres per degree of latitude (mean Earth radius), for the cheap planar pre-test. */
const METERS_PER_DEGREE = 111_195;

/**
 * Whether going from one fix to another is kinematically impossible (DESIGN.md §3
 * `position_jump`): more than `minDistanceMeters` apart AND an implied speed over
 * `minImpliedSpeedKnots`. Both, so that receive-time jitter on fixes a few seconds apart (a huge
 * implied speed over a few metres) is not a jump, and neither is a long silence (a long distance
 * at a plausible speed). Fixes at the same instant in different places are a jump.
 */
export function isJump(
  lat1: number,
  lon1: number,
  time1: number,
  lat2: number,
  lon2: number,
  time2: number,
  thresholds: JumpThresholds,
): boolean {
  // Cheap test first: the planar distance with unscaled longitude is never shorter than the
  // equirectangular one, so a pair within the distance threshold here is within it for real.
  const dLat = (lat2 - lat1) * METERS_PER_DEGREE;
  const dLon = (lon2 - lon1) * METERS_PER_DEGREE;
  const min = thresholds.minDistanceMeters;
  if (dLat * dLat + dLon * dLon <= min * min) return false;
  const meters = distanceMeters(lat1, lon1, lat2, lon2);
  if (meters <= min) return false;
  return impliedSpeedKnots(meters, time2 - time1) > thresholds.minImpliedSpeedKnots;
}

/**
 * Whether a position report of this message type comes from something that moves like a vessel.
 * Type 9 is a SAR aircraft's (ITU-R M.1371): at 140 kn it would be a "jump" every fix, so the
 * kinematic rules (jumps, identity conflicts, the zone-crossing glitch filter) leave it alone.
 */
export function movesLikeVessel(type: number): boolean {
  return type !== 9;
}

/** Speed in knots to cover `meters` in `elapsedMs`; Infinity when no time passed. */
export function impliedSpeedKnots(meters: number, elapsedMs: number): number {
  if (!(elapsedMs > 0)) return meters > 0 ? Number.POSITIVE_INFINITY : 0;
  return meters / (elapsedMs / 1000) / KNOT_METERS_PER_SECOND;
}

/**
 * The head of the track a vessel jumped away from (or back from): a later fix consistent with it
 * is a return to that track, not a new jump. Allocated only for vessels that jumped.
 */
class OtherHead {
  constructor(
    public lat: number,
    public lon: number,
    public time: number,
  ) {}
}
stateClass('position_jump.OtherHead', OtherHead);

/**
 * `position_jump` (DESIGN.md §3): consecutive fixes of a vessel imply a speed over
 * `positionJump.minImpliedSpeedKnots` and a distance over `positionJump.minDistanceMeters`. An
 * instantaneous alert at the fix that jumped (start = end = its time).
 *
 * No storms: a fix that jumps away from the previous one but is consistent with the track the
 * vessel was on before its last jump (seen within `identityConflict.windowSeconds`) is a return,
 * not a new jump. So a single glitch (A A G A A) is one jump, and an MMSI shared by two vessels
 * (A B A B …) is one jump followed by an `identity_conflict`; once that conflict is open, this
 * rule stays silent for the MMSI.
 */
export function positionJumpDetector(
  config: Pick<CoreConfig, 'positionJump' | 'identityConflict'> = DEFAULT_CORE_CONFIG,
): DetectorFactory {
  const thresholds = { ...config.positionJump };
  const memoryMs = config.identityConflict.windowSeconds * 1000;
  const rule: AlertRule = {
    name: 'position_jump',
    version: 1,
    thresholds: {
      minImpliedSpeedKnots: thresholds.minImpliedSpeedKnots,
      minDistanceMeters: thresholds.minDistanceMeters,
      returnMemorySeconds: config.identityConflict.windowSeconds,
    },
  };

  return (slot: number, context: DetectorContext): Detector => ({
    name: 'position_jump',
    onReport(track, report, fixApplied) {
      if (!fixApplied || Number.isNaN(track.previousFixTime) || !movesLikeVessel(report.type)) {
        return;
      }
      const { previousLat, previousLon, previousFixTime, lat, lon, fixTime } = track;
      if (!isJump(previousLat, previousLon, previousFixTime, lat, lon, fixTime, thresholds)) return;

      const other = track.slots[slot] as OtherHead | undefined;
      if (
        other !== undefined &&
        fixTime - other.time <= memoryMs &&
        !isJump(other.lat, other.lon, other.time, lat, lon, fixTime, thresholds)
      ) {
        // Back on the track it left: remember the one it leaves now.
        rememberPrevious(track, other);
        return;
      }
      if (other === undefined) {
        track.slots[slot] = new OtherHead(previousLat, previousLon, previousFixTime);
      } else {
        rememberPrevious(track, other);
      }
      if (hasOpenIdentityConflict(track)) return;

      const meters = distanceMeters(previousLat, previousLon, lat, lon);
      const speed = impliedSpeedKnots(meters, fixTime - previousFixTime);
      const detail: Record<string, number | string | boolean> = {
        distanceMeters: Math.round(meters),
        elapsedSeconds: (fixTime - previousFixTime) / 1000,
        previousLat,
        previousLon,
        previousFixAt: new Date(previousFixTime).toISOString(),
      };
      // Two different places at the same instant: no finite speed (JSON has no Infinity).
      if (Number.isFinite(speed)) detail.impliedSpeedKnots = Math.round(speed * 10) / 10;
      context.alerts.raise({
        kind: 'position_jump',
        mmsi: track.mmsi,
        start: fixTime,
        end: fixTime,
        lat,
        lon,
        sourceMask: report.sourceMask,
        rule,
        detail,
      });
    },
  });
}

function rememberPrevious(track: VesselTrack, other: OtherHead): void {
  other.lat = track.previousLat;
  other.lon = track.previousLon;
  other.time = track.previousFixTime;
}
