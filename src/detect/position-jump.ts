import type { VesselTrack } from '../fusion/vessel-track.js';
import { distanceMeters } from '../geo/geodesy.js';
import { stateClass } from '../state/state-classes.js';
import type { AlertRule } from './alert.js';
import type { Detector, DetectorContext, DetectorFactory } from './detector.js';
import {
  DEFAULT_IDENTITY_CONFLICT_CONFIG,
  type IdentityConflictConfig,
} from './identity-conflict.js';
import {
  DEFAULT_JUMP_THRESHOLDS,
  impliedSpeedKnots,
  isJump,
  type JumpThresholds,
  movesLikeVessel,
} from './kinematics.js';

/**
 * What the rule reads: the jump thresholds (the `positionJump` section) and how long the track a
 * vessel jumped away from is remembered, the `identity_conflict` window: within it, alternating
 * between two tracks is that rule's business, not a jump each time.
 */
export interface PositionJumpSettings {
  readonly positionJump: JumpThresholds;
  readonly identityConflict: Pick<IdentityConflictConfig, 'windowSeconds'>;
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
  config: PositionJumpSettings = {
    positionJump: DEFAULT_JUMP_THRESHOLDS,
    identityConflict: DEFAULT_IDENTITY_CONFLICT_CONFIG,
  },
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
      if (track.identityConflictOpen) return;

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
        sourceSet: report.sourceSet,
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
