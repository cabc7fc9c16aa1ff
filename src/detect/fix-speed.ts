import type { VesselTrack } from '../fusion/vessel-track.js';
import { distanceMeters, KNOT_METERS_PER_SECOND } from '../geo/geodesy.js';

/**
 * A speed implied by two fixes closer than this is mostly GPS noise (10 m of jitter over 10 s is
 * 2 kn), so it is not used.
 */
const MIN_IMPLIED_SPEED_SECONDS = 30;

/**
 * The speed of a vessel's latest fix, knots: its SOG; when the report had none (SOG 1023, "not
 * available", ITU-R M.1371 — common on class B and cheap transponders), the speed implied by the
 * previous fix when that is at least 30 s older; otherwise undefined.
 */
export function fixSpeedKnots(track: VesselTrack): number | undefined {
  if (track.sog !== undefined) return track.sog;
  const seconds = (track.fixTime - track.previousFixTime) / 1000;
  if (!(seconds >= MIN_IMPLIED_SPEED_SECONDS)) return undefined;
  const meters = distanceMeters(track.previousLat, track.previousLon, track.lat, track.lon);
  return meters / seconds / KNOT_METERS_PER_SECOND;
}

/**
 * Whether a vessel's latest fix is slow: under `maxSogKnots` by `fixSpeedKnots`, or, when that
 * speed is unknown, `slowBefore` (the vessel's previous judgement stands). Shared by `loitering`
 * and `rendezvous` so "slow" means the same in both.
 */
export function isSlowFix(track: VesselTrack, maxSogKnots: number, slowBefore: boolean): boolean {
  const speed = fixSpeedKnots(track);
  return speed === undefined ? slowBefore : speed < maxSogKnots;
}
