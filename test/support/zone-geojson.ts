import { expect } from 'vitest';
import { ZoneError, type ZoneErrorCode } from '../../src/zones/zone-error.js';

/** The unit square's one ring, as a Polygon's coordinates. */
export const SQUARE = [
  [
    [0, 0],
    [1, 0],
    [1, 1],
    [0, 1],
    [0, 0],
  ],
];

export function feature(
  properties: unknown,
  geometry: unknown = { type: 'Polygon', coordinates: SQUARE },
) {
  return { type: 'Feature', properties, geometry };
}

export function collection(...features: unknown[]) {
  return { type: 'FeatureCollection', features };
}

/** The ZoneError `fn` throws; fails the test when it throws something else or nothing. */
export function zoneError(fn: () => unknown): ZoneError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ZoneError) return error;
    throw error;
  }
  throw new Error('expected a ZoneError');
}

export function expectError(fn: () => unknown, code: ZoneErrorCode, message: RegExp): void {
  const error = zoneError(fn);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
}
