/**
 * The part of the map a client subscribed to (issue 15): a longitude/latitude box in degrees
 * WGS84, longitudes in [-180, 180]. `west > east` is a box across the antimeridian (over Fiji:
 * west 175, east -178); viewportBoxes splits it into the two boxes either side.
 */
export interface Viewport {
  readonly west: number;
  readonly south: number;
  readonly east: number;
  readonly north: number;
}

/** The whole world: what a client sees before it sends its first viewport. */
export const WORLD: Viewport = { west: -180, south: -90, east: 180, north: 90 };

/**
 * A viewport from untrusted input (a WebSocket message, a query string). Longitudes as a map
 * gives them (a view panned east of 180 has east 190) are wrapped into [-180, 180], a span of
 * 360° or more is every longitude, west > east after wrapping is across the antimeridian;
 * latitudes are clamped. Undefined when a field is missing or
 * not a number, or south > north.
 */
export function parseViewport(value: unknown): Viewport | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const { west, east, south, north } = v;
  if (!finite(west) || !finite(east) || !finite(south) || !finite(north)) return undefined;
  if (south > north) return undefined;
  const latitudes = { south: clamp(south, -90, 90), north: clamp(north, -90, 90) };
  if (east - west >= 360) return { west: -180, east: 180, ...latitudes };
  const w = wrapLongitude(west);
  const e = wrapLongitude(east);
  // [170, 180] stays as it is; [180, 190] is [-180, -170], not a box across the antimeridian.
  return { west: w === 180 && e !== 180 ? -180 : w, east: e === -180 ? 180 : e, ...latitudes };
}

/** The viewport as boxes with west ≤ east: itself, or its two halves either side of ±180. */
export function viewportBoxes(viewport: Viewport): Viewport[] {
  if (viewport.west <= viewport.east) return [viewport];
  return [
    { ...viewport, east: 180 },
    { ...viewport, west: -180 },
  ];
}

/** Whether the point lies in the viewport (edges included). */
export function viewportContains(viewport: Viewport, lon: number, lat: number): boolean {
  if (lat < viewport.south || lat > viewport.north) return false;
  return viewport.west <= viewport.east
    ? lon >= viewport.west && lon <= viewport.east
    : lon >= viewport.west || lon <= viewport.east;
}

/** The longitude in [-180, 180) (180 itself stays 180). */
function wrapLongitude(lon: number): number {
  if (lon >= -180 && lon <= 180) return lon;
  return ((((lon + 180) % 360) + 360) % 360) - 180;
}

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
