import { type LatLon, METERS_PER_NAUTICAL_MILE } from '../geo/geodesy.js';
import { distanceMeters } from './geodesy.js';

/** VHF range of a coastal AIS station to a ship's antenna: about 40 nautical miles. */
export const DEFAULT_STATION_RANGE_METERS = 40 * METERS_PER_NAUTICAL_MILE;

/** A member's receiving station: where it is, how far it hears, when it was down. */
export interface Station {
  /** Written as the tag block `s:` of every sentence it receives. */
  readonly id: string;
  readonly member: string;
  readonly position: LatLon;
  readonly rangeMeters: number;
  /** The station heard nothing in [startMs, endMs). */
  readonly outage?: { readonly startMs: number; readonly endMs: number } | undefined;
  /** MMSI of the AIS base station on the same site (ITU-R M.585: 00 MID xxxx). */
  readonly baseStationMmsi: number;
}

export function isStationAlive(station: Station, tMs: number): boolean {
  const outage = station.outage;
  return outage === undefined || tMs < outage.startMs || tMs >= outage.endMs;
}

/**
 * Probability that `station` decodes a transmission from `distance` metres away: slot collisions
 * and fading lose a few percent well inside the range, more towards its edge, and nothing is
 * heard beyond it (a deliberately hard edge, so coverage holes are exact).
 */
export function receptionProbability(distance: number, rangeMeters: number): number {
  if (distance > rangeMeters) return 0;
  const inner = 0.8 * rangeMeters;
  if (distance <= inner) return 0.97;
  return 0.97 - ((distance - inner) / (rangeMeters - inner)) * 0.37;
}

/** True when a live station of `stations` has `p` within its range at `tMs`. */
export function inLiveCoverage(stations: readonly Station[], p: LatLon, tMs: number): boolean {
  for (const station of stations) {
    if (
      isStationAlive(station, tMs) &&
      distanceMeters(station.position, p) <= station.rangeMeters
    ) {
      return true;
    }
  }
  return false;
}

/** Ids of the stations that have `p` within range (alive or not). */
export function stationsInRange(stations: readonly Station[], p: LatLon): string[] {
  const ids: string[] = [];
  for (const station of stations) {
    if (distanceMeters(station.position, p) <= station.rangeMeters) ids.push(station.id);
  }
  return ids;
}
