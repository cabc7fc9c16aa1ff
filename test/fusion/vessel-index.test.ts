import { describe, expect, it } from 'vitest';
import { VesselIndex } from '../../src/fusion/vessel-index.js';
import { VesselTrack } from '../../src/fusion/vessel-track.js';
import { distanceMeters } from '../../src/geo/geodesy.js';
import { seededRandom } from '../support/seeded-random.js';

function vessel(mmsi: number, lat: number, lon: number): VesselTrack {
  const track = new VesselTrack(mmsi, 0);
  track.lat = lat;
  track.lon = lon;
  return track;
}

function wrap(lon: number): number {
  return lon > 180 ? lon - 360 : lon < -180 ? lon + 360 : lon;
}

/** Sorted MMSIs of the first `count` tracks of `out`. */
function mmsis(out: readonly VesselTrack[], count: number): number[] {
  return out
    .slice(0, count)
    .map((t) => t.mmsi)
    .sort((a, b) => a - b);
}

function bruteForce(
  tracks: Iterable<VesselTrack>,
  lat: number,
  lon: number,
  radiusMeters: number,
): number[] {
  const found: number[] = [];
  for (const t of tracks) {
    if (distanceMeters(lat, lon, t.lat, t.lon) <= radiusMeters) found.push(t.mmsi);
  }
  return found.sort((a, b) => a - b);
}

describe('VesselIndex', () => {
  it.each([
    { name: 'open sea', seed: 1, lat: 10, lon: 20, latSpread: 0.5, lonSpread: 0.5 },
    {
      name: 'across the antimeridian',
      seed: 2,
      lat: -15,
      lon: 180,
      latSpread: 0.2,
      lonSpread: 0.2,
    },
    { name: 'high latitude', seed: 3, lat: 78, lon: 15, latSpread: 0.3, lonSpread: 1 },
    // No slack: boxes are points, so the query box alone must cover the circle.
    {
      name: 'high latitude, no slack',
      seed: 5,
      lat: 80,
      lon: 15,
      latSpread: 0.3,
      lonSpread: 1,
      slack: 0,
    },
    // Every longitude within a few km of the pole.
    { name: 'near the pole', seed: 4, lat: 89.95, lon: 0, latSpread: 0.05, lonSpread: 360 },
  ])('finds what brute force finds, as vessels move and leave ($name)', (area) => {
    const next = seededRandom(area.seed);
    const index = new VesselIndex(area.slack ?? 250);
    const live = new Map<number, VesselTrack>();
    const all: VesselTrack[] = [];
    // Clustered like an anchorage: most vessels within a few km of a few centres.
    const centres = Array.from({ length: 5 }, () => [
      area.lat + (next() - 0.5) * area.latSpread,
      area.lon + (next() - 0.5) * area.lonSpread,
    ]);
    for (let i = 0; i < 1500; i++) {
      const [cLat, cLon] = centres[i % centres.length]!;
      const lat = Math.min(90, cLat! + (next() - 0.5) * 0.05);
      const lonJitter = area.lonSpread > 180 ? 360 : 0.05;
      const track = vessel(100_000_000 + i, lat, wrap(cLon! + (next() - 0.5) * lonJitter));
      all.push(track);
      live.set(track.mmsi, track);
      index.update(track);
    }
    const out: VesselTrack[] = [];
    let compared = 0;
    let nonEmpty = 0;
    for (let round = 0; round < 20; round++) {
      for (const track of all) {
        const roll = next();
        if (roll < 0.05) {
          index.remove(track);
          live.delete(track.mmsi);
          continue;
        }
        if (!live.has(track.mmsi) && roll > 0.5) live.set(track.mmsi, track);
        if (!live.has(track.mmsi)) continue;
        // Most barely move (jitter, slow drift), some steam off a few km, a few jump far.
        const step = roll < 0.7 ? 0.00005 : roll < 0.97 ? 0.005 : 0.2;
        track.lat = Math.max(-90, Math.min(90, track.lat + (next() - 0.5) * step));
        track.lon = wrap(track.lon + (next() - 0.5) * step);
        index.update(track);
      }
      expect(index.size).toBe(live.size);
      for (let q = 0; q < 50; q++) {
        const probe = all[Math.floor(next() * all.length)]!;
        const lat = Math.max(-90, Math.min(90, probe.lat + (next() - 0.5) * 0.01));
        const lon = wrap(probe.lon + (next() - 0.5) * 0.01);
        const radiusMeters = [100, 500, 2000, 10_000][q % 4]!;
        const count = index.near(lat, lon, radiusMeters, out);
        const expected = bruteForce(live.values(), lat, lon, radiusMeters);
        expect(mmsis(out, count)).toEqual(expected);
        compared++;
        if (expected.length > 0) nonEmpty++;
      }
    }
    expect(compared).toBe(1000);
    // The comparison means something only if queries do find vessels.
    expect(nonEmpty).toBeGreaterThan(500);
  });

  it('does not re-insert a vessel that stays inside its slack box', () => {
    const index = new VesselIndex(250);
    const track = vessel(219_000_001, 55.5, 12.5);
    index.update(track);
    for (let i = 0; i < 100; i++) {
      // GPS jitter of a few metres at anchor.
      track.lat = 55.5 + (i % 2 === 0 ? 0.00003 : -0.00003);
      track.lon = 12.5 + (i % 3 === 0 ? 0.00005 : -0.00005);
      index.update(track);
    }
    expect(index.reinserts).toBe(1);
    // 300 m north leaves a 250 m box: one re-insertion, and the vessel is found there.
    track.lat = 55.5 + 300 / 111_195;
    index.update(track);
    expect(index.reinserts).toBe(2);
    const out: VesselTrack[] = [];
    expect(index.near(track.lat, track.lon, 10, out)).toBe(1);
    expect(index.near(55.5, 12.5, 200, out)).toBe(0);
  });

  it('finds a vessel that moved inside its box at its current position, not where it was inserted', () => {
    const index = new VesselIndex(1000);
    const track = vessel(219_000_002, 0, 0);
    index.update(track);
    track.lon = 800 / 111_195;
    index.update(track);
    expect(index.reinserts).toBe(1);
    const out: VesselTrack[] = [];
    expect(index.near(0, 0, 500, out)).toBe(0);
    expect(index.near(0, 800 / 111_195, 50, out)).toBe(1);
  });

  it('removes a vessel that loses its fix, and ignores removing one it does not hold', () => {
    const index = new VesselIndex();
    const track = vessel(219_000_003, 1, 1);
    index.update(track);
    expect(index.has(track)).toBe(true);
    track.lat = Number.NaN;
    track.lon = Number.NaN;
    index.update(track);
    expect(index.has(track)).toBe(false);
    expect(index.size).toBe(0);
    index.remove(track);
    expect(index.near(1, 1, 1000, [])).toBe(0);
  });

  it('reuses the output array: entries past the count are left as they were', () => {
    const index = new VesselIndex();
    const a = vessel(1, 0, 0);
    const b = vessel(2, 0, 0.001);
    index.update(a);
    index.update(b);
    const out: VesselTrack[] = [];
    expect(index.near(0, 0, 500, out)).toBe(2);
    expect(index.near(0, -0.001, 150, out)).toBe(1);
    expect(out).toHaveLength(2);
    expect(out[0]).toBe(a);
  });

  it('refuses a negative slack', () => {
    expect(() => new VesselIndex(-1)).toThrow(/slackMeters value: -1/);
  });
});
