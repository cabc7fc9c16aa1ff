import { describe, expect, it } from 'vitest';
import {
  decodeTrackFrame,
  encodeTrackFrame,
  TRACK_FRAME_HEADER_BYTES,
  TRACK_FRAME_UPDATE_BYTES,
} from '../../src/picture/track-frame.js';
import { track } from './picture-fixtures.js';

describe('track frame', () => {
  it('round-trips vessels and removals, unknown values as undefined', () => {
    const bytes = encodeTrackFrame({
      pictureTimeMs: 1_767_225_600_123,
      updates: [
        track({
          mmsi: 257_123_456,
          lat: 59.5,
          lon: 10.25,
          sog: 12.3,
          cog: 271.4,
          heading: 270,
          shipType: 70,
          navStatus: 0,
          lastSeen: 1_767_225_600_000,
        }),
        track({ mmsi: 2, lat: -33.75, lon: 151.5 }),
        track({ mmsi: 3 }),
      ],
      removed: [7, 8],
      complete: false,
    });
    expect(bytes.byteLength).toBe(TRACK_FRAME_HEADER_BYTES + 2 * TRACK_FRAME_UPDATE_BYTES + 8);
    const frame = decodeTrackFrame(bytes);
    expect(frame.pictureTimeMs).toBe(1_767_225_600_123);
    expect(frame.removed).toEqual([7, 8]);
    expect(frame.complete).toBe(false);
    expect(frame.vessels[0]).toEqual({
      mmsi: 257_123_456,
      lat: 59.5,
      lon: 10.25,
      sog: 12.3,
      cog: 271.4,
      heading: 270,
      shipType: 70,
      navStatus: 0,
      lastSeen: 1_767_225_600_000,
    });
    expect(frame.vessels[1]).toMatchObject({
      mmsi: 2,
      sog: undefined,
      cog: undefined,
      heading: undefined,
      shipType: undefined,
      navStatus: undefined,
    });
  });

  it('names what is wrong with bytes that are not a frame', () => {
    expect(() => decodeTrackFrame(new Uint8Array(3))).toThrow(/3 bytes is shorter/);
    const bytes = encodeTrackFrame({ pictureTimeMs: 0, updates: [], removed: [1], complete: true });
    expect(decodeTrackFrame(bytes).complete).toBe(true);
    expect(() => decodeTrackFrame(bytes.subarray(0, bytes.length - 1))).toThrow(/expected 28/);
    bytes[0] = 9;
    expect(() => decodeTrackFrame(bytes)).toThrow(/kind 9/);
  });
});
