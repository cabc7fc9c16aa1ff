/**
 * How often AIS units report, per ITU-R M.1371-5 Annex 1 Table 1 (class A), Table 2 (class B
 * "CS", carrier-sense) and §3.3 (aids to navigation and base stations).
 */

/** Class A, at anchor or moored and not moving faster than 3 knots. */
export const CLASS_A_ANCHORED_SECONDS = 180;
/** Class B CS, 2 knots or less. */
export const CLASS_B_SLOW_SECONDS = 180;
export const CLASS_B_SECONDS = 30;
export const AID_TO_NAVIGATION_SECONDS = 180;
export const BASE_STATION_SECONDS = 10;
/** Static and voyage data (type 5) and class B static data (type 24 A/B): every 6 minutes. */
export const STATIC_DATA_SECONDS = 360;

// ITU navigational status codes (ITU-R M.1371 Table 45) the simulator uses.
export const NAV_STATUS_UNDERWAY = 0;
export const NAV_STATUS_AT_ANCHOR = 1;
export const NAV_STATUS_MOORED = 5;
export const NAV_STATUS_FISHING = 7;

export type TransponderClass = 'A' | 'B';

/** Seconds between position reports of a unit going `sogKnots` with status `navStatus`. */
export function positionIntervalSeconds(
  transponder: TransponderClass,
  sogKnots: number,
  navStatus: number,
): number {
  if (transponder === 'B') return sogKnots > 2 ? CLASS_B_SECONDS : CLASS_B_SLOW_SECONDS;
  const stopped = navStatus === NAV_STATUS_AT_ANCHOR || navStatus === NAV_STATUS_MOORED;
  if (stopped && sogKnots <= 3) return CLASS_A_ANCHORED_SECONDS;
  if (sogKnots <= 14) return 10;
  if (sogKnots <= 23) return 6;
  return 2;
}
