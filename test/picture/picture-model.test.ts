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
