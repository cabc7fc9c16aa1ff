import {
  destination as destinationOf,
  distanceMeters as distanceMetersOf,
  initialBearingDeg as initialBearingDegOf,
  intermediate as intermediateOf,
  type LatLon,
} from '../geo/geodesy.js';

/**
 * `src/geo/geodesy.ts` on positions as the scenario code holds them: `LatLon` values in, a new
 * `LatLon` out (a scenario builds a few thousand waypoints; the detectors' hot paths call the
 * scalar, out-parameter forms directly).
 */

export function distanceMeters(a: LatLon, b: LatLon): number {
  return distanceMetersOf(a.lat, a.lon, b.lat, b.lon);
}

/** Initial great-circle bearing from `a` to `b`, degrees in [0, 360). */
export function initialBearingDeg(a: LatLon, b: LatLon): number {
  return initialBearingDegOf(a.lat, a.lon, b.lat, b.lon);
}

/** The point `distance` metres from `from` along the great circle leaving at `bearingDeg`. */
export function destination(from: LatLon, bearingDeg: number, distance: number): LatLon {
  return destinationOf(from.lat, from.lon, bearingDeg, distance, { lat: 0, lon: 0 });
}

/**
 * The point at `fraction` (0..1) of the great circle from `a` to `b`, given their distance
 * `distance` in metres (callers have it already).
 */
export function intermediate(a: LatLon, b: LatLon, distance: number, fraction: number): LatLon {
  return intermediateOf(a.lat, a.lon, b.lat, b.lon, distance, fraction, { lat: 0, lon: 0 });
}
