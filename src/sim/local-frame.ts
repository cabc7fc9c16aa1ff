import type { LatLon } from '../geo/geodesy.js';

/** Kilometres per degree of latitude on the simulator's sphere (π R / 180). */
const KM_PER_DEGREE = 111.19508;

/**
 * Kilometre offsets east (`x`) and north (`y`) of a scenario centre ↔ latitude and longitude
 * (equirectangular). Only the scenario layout is drawn in it — station sites, zones, waypoints;
 * every distance and motion is then computed on the sphere (`geodesy.ts`).
 */
export class LocalFrame {
  private readonly kmPerDegreeLon: number;

  constructor(readonly center: LatLon) {
    if (!(Math.abs(center.lat) <= 70) || !(Math.abs(center.lon) <= 170)) {
      throw new RangeError(
        `Scenario centre ${center.lat},${center.lon} must lie within ±70° latitude and ±170° longitude.`,
      );
    }
    this.kmPerDegreeLon = KM_PER_DEGREE * Math.cos((center.lat * Math.PI) / 180);
  }

  toLatLon(xKm: number, yKm: number): LatLon {
    return {
      lat: this.center.lat + yKm / KM_PER_DEGREE,
      lon: this.center.lon + xKm / this.kmPerDegreeLon,
    };
  }

  toKm(p: LatLon): { x: number; y: number } {
    return {
      x: (p.lon - this.center.lon) * this.kmPerDegreeLon,
      y: (p.lat - this.center.lat) * KM_PER_DEGREE,
    };
  }
}
