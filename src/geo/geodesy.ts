/** Mean Earth radius (IUGG), metres. */
export const EARTH_RADIUS_METERS = 6_371_008.8;
export const METERS_PER_NAUTICAL_MILE = 1852;
/** 1 knot in metres per second. */
export const KNOT_METERS_PER_SECOND = METERS_PER_NAUTICAL_MILE / 3600;

const RAD = Math.PI / 180;

/** Great-circle distance in metres (haversine). */
export function distanceMeters(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a =
    Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(a)));
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
  lat: number;
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
