import { distanceMeters, KNOT_METERS_PER_SECOND } from '../geo/geodesy.js';

/**
 * What makes a move between two fixes kinematically impossible: the core's `positionJump`
 * section (DESIGN.md §3 `position_jump`). `position_jump` raises on it, `identity_conflict` uses
 * it to tell two tracks apart, and the zone crossings to ignore a glitch.
 */
export interface JumpThresholds {
  readonly minImpliedSpeedKnots: number;
  readonly minDistanceMeters: number;
}

/** DESIGN.md §3: over 50 kn (AISdb; GFW's segmenter uses 25–30 kn) and over 2 km. */
export const DEFAULT_JUMP_THRESHOLDS: JumpThresholds = {
  minImpliedSpeedKnots: 50,
  minDistanceMeters: 2000,
};

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
