import { describe, expect, it } from 'vitest';
import { encodeTrackFrame } from '../../src/picture/track-frame.js';
import { shipColor } from '../../web/src/ship-types.js';
import { STALE_AFTER_MS, VesselStore } from '../../web/src/vessel-store.js';
import { track } from '../picture/picture-fixtures.js';

const T0 = Date.UTC(2026, 0, 1);

function frame(updates: Parameters<typeof track>[0][], removed: number[] = [], time = T0) {
  const bytes = encodeTrackFrame({
    pictureTimeMs: time,
    updates: updates.map(track),
    removed,
    complete: true,
  });
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** What the store holds, by MMSI: its slot's values. */
function held(store: VesselStore) {
  const out = new Map<number, { lon: number; lat: number; angle: number; rgba: number[] }>();
  for (let slot = 0; slot < store.count; slot++) {
    out.set(store.mmsi[slot]!, {
      lon: store.positions[2 * slot]!,
      lat: store.positions[2 * slot + 1]!,
      angle: store.angles[slot]!,
      rgba: [...store.colors.subarray(4 * slot, 4 * slot + 4)],
    });
  }
  return out;
}

describe('VesselStore (the page: typed arrays filled from binary frames)', () => {
  it('writes each vessel into one slot, updates in place, removes without holes', () => {
    const store = new VesselStore(2);
    store.apply(
      frame([
        { mmsi: 1, lat: 50, lon: 3, heading: 90, shipType: 70, lastSeen: T0 },
        { mmsi: 2, lat: 51, lon: 4, cog: 180, shipType: 80, lastSeen: T0 },
        { mmsi: 3, lat: 52, lon: 5, lastSeen: T0 },
      ]),
    );
    expect(store.count).toBe(3);
    expect(held(store).get(1)).toEqual({
      lon: 3,
      lat: 50,
      angle: -90,
      rgba: [...shipColor(70), 255],
    });
    // No heading: the course; neither: north.
    expect(held(store).get(2)!.angle).toBe(-180);
    expect(held(store).get(3)!.angle).toBe(-0);
    const versions = { ...store.versions };
    store.apply(frame([{ mmsi: 2, lat: 51.5, lon: 4.5, shipType: 80, lastSeen: T0 + 1 }], [1]));
    expect(store.count).toBe(2);
    expect([...held(store).keys()].sort()).toEqual([2, 3]);
    expect(held(store).get(2)).toMatchObject({ lon: 4.5, lat: 51.5 });
    expect(held(store).get(3)).toMatchObject({ lon: 5, lat: 52 });
    expect(store.slot(1)).toBeUndefined();
    expect(store.versions.positions).toBeGreaterThan(versions.positions);
    expect(store.versions.count).toBeGreaterThan(versions.count);
  });

  it('dims vessels gone stale as the picture time moves, hides those the type filter leaves out', () => {
    const store = new VesselStore();
    store.apply(
      frame([
        { mmsi: 1, lat: 50, lon: 3, shipType: 70, lastSeen: T0 },
        { mmsi: 2, lat: 51, lon: 4, shipType: 30, lastSeen: T0 + STALE_AFTER_MS },
      ]),
    );
    expect(held(store).get(1)!.rgba[3]).toBe(255);
    const colors = store.versions.colors;
    store.apply(frame([], [], T0 + STALE_AFTER_MS + 1));
    expect(held(store).get(1)!.rgba[3]).toBe(80);
    expect(held(store).get(2)!.rgba[3]).toBe(255);
    expect(store.versions.colors).toBeGreaterThan(colors);

    store.setTypeFilter('fishing');
    expect(held(store).get(1)!.rgba[3]).toBe(0);
    expect(store.shown(store.slot(1)!)).toBe(false);
    expect(store.within(0, 45, 10, 55).map((slot) => store.mmsi[slot])).toEqual([2]);
    store.setTypeFilter('');
    expect(store.within(0, 45, 10, 55)).toHaveLength(2);
  });

  it('a frame that changes nothing leaves every version as it was (nothing to upload)', () => {
    const store = new VesselStore();
    store.apply(frame([{ mmsi: 1, lat: 50, lon: 3, lastSeen: T0 }]));
    const versions = { ...store.versions };
    store.apply(frame([], [], T0));
    expect(store.versions).toEqual(versions);
    expect(store.bounds()).toEqual({ west: 3, south: 50, east: 3, north: 50 });
  });
});
