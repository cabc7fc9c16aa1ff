import { describe, expect, it } from 'vitest';
import { PictureModel } from '../../src/picture/picture-model.js';
import { alert, track } from './picture-fixtures.js';

describe('PictureModel', () => {
  it('keeps the latest track per MMSI and finds it in a viewport where it moved', () => {
    const model = new PictureModel();
    expect(model.applyTrack(track({ mmsi: 1, lat: 50, lon: 3, lastSeen: 1000 }))).toBe(true);
    expect(model.applyTrack(track({ mmsi: 1, lat: 60, lon: 5, lastSeen: 2000 }))).toBe(true);
    expect(model.vesselCount).toBe(1);
    const north = { west: 4, south: 59, east: 6, north: 61 };
    const south = { west: 2, south: 49, east: 4, north: 51 };
    expect(model.inViewport(north).map((v) => v.track.mmsi)).toEqual([1]);
    expect(model.inViewport(south)).toEqual([]);
    expect(model.pictureTimeMs).toBe(2000);
  });

  it('refuses a track older than the one held (a re-read partition)', () => {
    const model = new PictureModel();
    model.applyTrack(track({ mmsi: 1, lat: 50, lon: 3, lastSeen: 2000 }));
    const sequence = model.sequence;
    expect(model.applyTrack(track({ mmsi: 1, lat: 40, lon: 3, lastSeen: 1000 }))).toBe(false);
    expect(model.vessel(1)?.track.lat).toBe(50);
    expect(model.sequence).toBe(sequence);
  });

  it('keeps a track without a position out of the spatial index but searchable', () => {
    const model = new PictureModel();
    model.applyTrack(track({ mmsi: 2, shipName: 'NORDIC STAR', callSign: 'LABC' }));
    expect(model.inViewport({ west: -180, south: -90, east: 180, north: 90 })).toEqual([]);
    expect(model.search('nordic', 10).map((v) => v.track.mmsi)).toEqual([2]);
    expect(model.search('labc', 10).map((v) => v.track.mmsi)).toEqual([2]);
  });

  it('searches MMSI prefixes before names', () => {
    const model = new PictureModel();
    model.applyTrack(track({ mmsi: 257_000_001, lat: 1, lon: 1, shipName: 'A' }));
    model.applyTrack(track({ mmsi: 244_000_001, lat: 1, lon: 1, shipName: 'B 257' }));
    expect(model.search('257', 10).map((v) => v.track.mmsi)).toEqual([257_000_001, 244_000_001]);
    expect(model.search('257', 1).map((v) => v.track.mmsi)).toEqual([257_000_001]);
    expect(model.search('  ', 10)).toEqual([]);
  });

  it('replaces an alert by a later revision only', () => {
    const model = new PictureModel();
    expect(model.applyAlert(alert({ id: 'a', revision: 1 }))).toBe(true);
    expect(model.applyAlert(alert({ id: 'a', revision: 2, end: 5 }))).toBe(true);
    expect(model.applyAlert(alert({ id: 'a', revision: 1 }))).toBe(false);
    expect(model.alert('a')?.revision).toBe(2);
    expect(model.alertCount).toBe(1);
  });

  it('finds the alerts naming a vessel as either party', () => {
    const model = new PictureModel();
    model.applyAlert(alert({ id: 'a', mmsi: 1 }));
    model.applyAlert(alert({ id: 'b', mmsi: 2, otherMmsi: 1 }));
    model.applyAlert(alert({ id: 'c', mmsi: 3 }));
    expect(model.alertsOf(1).map((a) => a.id)).toEqual(['a', 'b']);
  });
});

describe('PictureModel forgetting', () => {
  const HOUR = 3_600_000;
  const t0 = Date.UTC(2026, 0, 1);

  it('drops vessels not heard for a day of event time, keeps the others', () => {
    const model = new PictureModel();
    model.applyTrack(track({ mmsi: 1, lat: 50, lon: 3, lastSeen: t0 }));
    model.applyTrack(track({ mmsi: 2, shipName: 'NO FIX', lastSeen: t0 }));
    model.applyTrack(track({ mmsi: 3, lat: 51, lon: 3, lastSeen: t0 + 2 * HOUR }));
    model.applyTrack(track({ mmsi: 4, lat: 52, lon: 3, lastSeen: t0 + 23 * HOUR }));
    expect(model.vesselCount).toBe(4);
    const before = model.sequence;
    // A day and a minute after 1 and 2 were last heard.
    model.applyTrack(track({ mmsi: 4, lat: 52, lon: 4, lastSeen: t0 + 24 * HOUR + 60_000 }));
    expect(model.vessel(1)).toBeUndefined();
    expect(model.vessel(2)).toBeUndefined();
    expect(model.vessel(3)).toBeDefined();
    expect(model.vesselCount).toBe(2);
    expect(model.forgotten).toBe(2);
    expect(model.sequence).toBeGreaterThan(before + 1);
    expect(model.inViewport({ west: -180, south: -90, east: 180, north: 90 }).length).toBe(2);
    // A track from before the cut is not taken back in.
    expect(model.applyTrack(track({ mmsi: 1, lat: 50, lon: 3, lastSeen: t0 }))).toBe(false);
  });

  it('takes the time from its option', () => {
    const model = new PictureModel({ forgetAfterMs: HOUR });
    model.applyTrack(track({ mmsi: 1, lat: 50, lon: 3, lastSeen: t0 }));
    model.applyTrack(track({ mmsi: 2, lat: 50, lon: 4, lastSeen: t0 + HOUR + 60_000 }));
    expect(model.vessel(1)).toBeUndefined();
    expect(model.vesselCount).toBe(1);
    expect(() => new PictureModel({ forgetAfterMs: 0 })).toThrow(RangeError);
  });
});
