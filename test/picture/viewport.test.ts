import { describe, expect, it } from 'vitest';
import { PictureModel } from '../../src/picture/picture-model.js';
import { parseViewport, viewportBoxes, viewportContains } from '../../src/picture/viewport.js';
import { track } from './picture-fixtures.js';

// Fiji straddles the antimeridian: Suva at 178.4° E, the Lau group out to 178.5° W.
const SUVA = { lon: 178.44, lat: -18.14 };
const LAU = { lon: -178.8, lat: -17.2 };
const NADI = { lon: 177.42, lat: -17.76 };
const HONOLULU = { lon: -157.86, lat: 21.31 };

describe('viewport', () => {
  it('wraps a map view across the antimeridian into a box with west > east', () => {
    // MapLibre gives a view over Fiji as east beyond 180.
    const fiji = parseViewport({ west: 176, south: -20, east: 182, north: -15 });
    expect(fiji).toEqual({ west: 176, south: -20, east: -178, north: -15 });
    expect(parseViewport({ west: -184, south: -20, east: -178, north: -15 })).toEqual(fiji);
    expect(parseViewport({ west: 176, south: -20, east: -178, north: -15 })).toEqual(fiji);
    expect(viewportBoxes(fiji!)).toEqual([
      { west: 176, south: -20, east: 180, north: -15 },
      { west: -180, south: -20, east: -178, north: -15 },
    ]);
    expect(viewportContains(fiji!, SUVA.lon, SUVA.lat)).toBe(true);
    expect(viewportContains(fiji!, LAU.lon, LAU.lat)).toBe(true);
    expect(viewportContains(fiji!, 0, -17)).toBe(false);
  });

  it('keeps a view that only touches ±180, takes a 360° span as every longitude', () => {
    expect(parseViewport({ west: 170, south: 0, east: 180, north: 1 })).toEqual({
      west: 170,
      south: 0,
      east: 180,
      north: 1,
    });
    expect(parseViewport({ west: 180, south: 0, east: 190, north: 1 })).toEqual({
      west: -180,
      south: 0,
      east: -170,
      north: 1,
    });
    expect(parseViewport({ west: -300, south: -95, east: 300, north: 95 })).toEqual({
      west: -180,
      south: -90,
      east: 180,
      north: 90,
    });
    expect(viewportBoxes({ west: 10, south: 0, east: 20, north: 1 })).toHaveLength(1);
    expect(parseViewport({ west: 0, south: 5, east: 1, north: 4 })).toBeUndefined();
    expect(parseViewport({ west: 0, south: 'x', east: 1, north: 4 })).toBeUndefined();
  });

  it('finds the vessels over Fiji on both sides of the antimeridian, not the whole world', () => {
    const model = new PictureModel();
    const fleet = [SUVA, LAU, NADI, HONOLULU, { lon: 0, lat: -17 }];
    for (const [i, p] of fleet.entries()) model.applyTrack(track({ mmsi: i + 1, ...p }));
    const fiji = parseViewport({ west: 176, south: -20, east: 182, north: -15 })!;
    expect(
      model
        .inViewport(fiji)
        .map((v) => v.track.mmsi)
        .sort(),
    ).toEqual([1, 2, 3]);
  });
});
