/**
 * The part of the map a client subscribed to (issue 15): a longitude/latitude box in degrees
 * WGS84, west < east. A view across the antimeridian is sent as two subscriptions' worth by the
 * page clamping to [-180, 180]; the server takes one box per client.
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
 * A viewport from untrusted input (a WebSocket message, a query string), clamped to the world;
 * undefined when a field is missing or not a number, or the box is empty.
 */
export function parseViewport(value: unknown): Viewport | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const west = clamp(v.west, -180, 180);
  const south = clamp(v.south, -90, 90);
  const east = clamp(v.east, -180, 180);
  const north = clamp(v.north, -90, 90);
  if (west === undefined || south === undefined || east === undefined || north === undefined) {
    return undefined;
  }
  if (west > east || south > north) return undefined;
  return { west, south, east, north };
}

/** Whether the point lies in the box (edges included). */
export function viewportContains(viewport: Viewport, lon: number, lat: number): boolean {
  return (
    lon >= viewport.west && lon <= viewport.east && lat >= viewport.south && lat <= viewport.north
  );
}

function clamp(value: unknown, min: number, max: number): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return Math.min(max, Math.max(min, value));
}
