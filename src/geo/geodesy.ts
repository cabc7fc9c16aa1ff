/**
 * Great-circle geometry on a spherical Earth (the haversine, bearing and "destination point"
 * formulas as given by Chris Veness, movable-type.co.uk/scripts/latlong.html). Over the few
 * hundred kilometres a detector or a scenario looks at, the sphere is within 0.5 % of WGS84, far
 * inside every threshold. Scalar arguments and out-parameters: these run on hot paths.
 */

/** Mean Earth radius (IUGG), metres. */
export const EARTH_RADIUS_METERS = 6_371_008.8;
export const METERS_PER_NAUTICAL_MILE = 1852;
/** 1 knot in metres per second. */
export const KNOT_METERS_PER_SECOND = METERS_PER_NAUTICAL_MILE / 3600;

const RAD = Math.PI / 180;
const DEG = 180 / Math.PI;

/** Great-circle distance in metres (haversine). */
export function distanceMeters(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a =
    Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Initial great-circle bearing from (lat1, lon1) to (lat2, lon2), degrees in [0, 360). */
export function initialBearingDeg(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const phi1 = lat1 * RAD;
  const phi2 = lat2 * RAD;
  const dLambda = (lon2 - lon1) * RAD;
  const y = Math.sin(dLambda) * Math.cos(phi2);
  const x = Math.cos(phi1) * Math.sin(phi2) - Math.sin(phi1) * Math.cos(phi2) * Math.cos(dLambda);
  return normaliseDeg(Math.atan2(y, x) * DEG);
}

/** An angle in degrees folded into [0, 360). */
export function normaliseDeg(deg: number): number {
  const d = deg % 360;
  return d < 0 ? d + 360 : d;
}

/** Degrees of latitude spanned by `meters` (for bounding boxes). */
export function metersToLatDegrees(meters: number): number {
  return meters / (EARTH_RADIUS_METERS * RAD);
}

/** Degrees of longitude spanned by `meters` at latitude `lat` (capped near the poles). */
export function metersToLonDegrees(meters: number, lat: number): number {
  const cos = Math.max(Math.cos(lat * RAD), 0.01);
  return meters / (EARTH_RADIUS_METERS * RAD * cos);
}

/** A position, reused as an out-parameter on hot paths. */
export interface LatLon {
  /** Latitude, decimal degrees. */
  lat: number;
  /** Longitude, decimal degrees. */
  lon: number;
}

/**
 * The point reached from (lat, lon) after `meters` on initial bearing `bearingDeg` (great
 * circle): dead reckoning from the last fix. Writes into `out` and returns it.
 */
export function destination(
  lat: number,
  lon: number,
  bearingDeg: number,
  meters: number,
  out: LatLon,
): LatLon {
  const angular = meters / EARTH_RADIUS_METERS;
  const bearing = bearingDeg * RAD;
  const lat1 = lat * RAD;
  const sinLat2 =
    Math.sin(lat1) * Math.cos(angular) + Math.cos(lat1) * Math.sin(angular) * Math.cos(bearing);
  const lat2 = Math.asin(Math.max(-1, Math.min(1, sinLat2)));
  const lon2 =
    lon * RAD +
    Math.atan2(
      Math.sin(bearing) * Math.sin(angular) * Math.cos(lat1),
      Math.cos(angular) - Math.sin(lat1) * sinLat2,
    );
  out.lat = lat2 / RAD;
  out.lon = ((((lon2 / RAD + 540) % 360) + 360) % 360) - 180;
  return out;
}

/**
 * The point at `fraction` (0..1) of the great circle from (lat1, lon1) to (lat2, lon2), given
 * their distance `meters` (callers have it already). Writes into `out` and returns it.
 */
export function intermediate(
  lat1: number,
  lon1: number,
  lat2: number,
  lon2: number,
  meters: number,
  fraction: number,
  out: LatLon,
): LatLon {
  if (meters < 1e-3 || fraction <= 0) {
    out.lat = lat1;
    out.lon = lon1;
    return out;
  }
  if (fraction >= 1) {
    out.lat = lat2;
    out.lon = lon2;
    return out;
  }
  const delta = meters / EARTH_RADIUS_METERS;
  const A = Math.sin((1 - fraction) * delta) / Math.sin(delta);
  const B = Math.sin(fraction * delta) / Math.sin(delta);
  const phi1 = lat1 * RAD;
  const lambda1 = lon1 * RAD;
  const phi2 = lat2 * RAD;
  const lambda2 = lon2 * RAD;
  const x = A * Math.cos(phi1) * Math.cos(lambda1) + B * Math.cos(phi2) * Math.cos(lambda2);
  const y = A * Math.cos(phi1) * Math.sin(lambda1) + B * Math.cos(phi2) * Math.sin(lambda2);
  const z = A * Math.sin(phi1) + B * Math.sin(phi2);
  out.lat = Math.atan2(z, Math.sqrt(x * x + y * y)) * DEG;
  out.lon = Math.atan2(y, x) * DEG;
  return out;
}
