import type { LatLon } from '../geo/geodesy.js';
import type { ZoneKind } from '../zones/zone.js';

export interface ZoneProperties {
  id: string;
  name: string;
  kind: ZoneKind;
  /** Members that share this zone (DESIGN.md §3); absent = every member. */
  members?: string[];
}

/** GeoJSON Polygon (RFC 7946): linear rings of `[lon, lat]`, exterior ring counter-clockwise. */
export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: [number, number][][];
}

export interface ZoneFeature {
  type: 'Feature';
  id: string;
  properties: ZoneProperties;
  geometry: PolygonGeometry;
}

export interface ZoneCollection {
  type: 'FeatureCollection';
  features: ZoneFeature[];
}

/**
 * A zone as the simulator tests it: one exterior ring and its bounding box. `contains` is the
 * planar even-odd test in longitude/latitude that Turf's `booleanPointInPolygon` does, so the
 * simulator's crossing times agree with what the zone index will compute.
 */
export class SimZone {
  readonly minLon: number;
  readonly minLat: number;
  readonly maxLon: number;
  readonly maxLat: number;
  private readonly lons: Float64Array;
  private readonly lats: Float64Array;

  constructor(
    readonly properties: ZoneProperties,
    ring: readonly LatLon[],
  ) {
    if (ring.length < 3) throw new RangeError(`Zone ${properties.id}: fewer than 3 vertices.`);
    // Counter-clockwise in (lon, lat): positive shoelace area.
    let area = 0;
    for (let i = 0; i < ring.length; i++) {
      const a = ring[i]!;
      const b = ring[(i + 1) % ring.length]!;
      area += a.lon * b.lat - b.lon * a.lat;
    }
    const ordered = area < 0 ? [...ring].reverse() : ring;
    // Rounded as written to GeoJSON, so the simulator and a reader of zones.geojson agree.
    this.lons = Float64Array.from(ordered, (p) => round7(p.lon));
    this.lats = Float64Array.from(ordered, (p) => round7(p.lat));
    this.minLon = Math.min(...this.lons);
    this.maxLon = Math.max(...this.lons);
    this.minLat = Math.min(...this.lats);
    this.maxLat = Math.max(...this.lats);
  }

  get id(): string {
    return this.properties.id;
  }

  get kind(): ZoneKind {
    return this.properties.kind;
  }

  /** Bounding-box test, widened by `marginDeg`: cheap first test for routing. */
  nearBox(p: LatLon, marginDeg: number): boolean {
    return (
      p.lon >= this.minLon - marginDeg &&
      p.lon <= this.maxLon + marginDeg &&
      p.lat >= this.minLat - marginDeg &&
      p.lat <= this.maxLat + marginDeg
    );
  }

  contains(p: LatLon): boolean {
    if (!this.nearBox(p, 0)) return false;
    const lons = this.lons;
    const lats = this.lats;
    let inside = false;
    for (let i = 0, j = lons.length - 1; i < lons.length; j = i++) {
      const yi = lats[i]!;
      const yj = lats[j]!;
      if (yi > p.lat !== yj > p.lat) {
        const x = ((lons[j]! - lons[i]!) * (p.lat - yi)) / (yj - yi) + lons[i]!;
        if (p.lon < x) inside = !inside;
      }
    }
    return inside;
  }

  toFeature(): ZoneFeature {
    const ring: [number, number][] = [];
    for (let i = 0; i < this.lons.length; i++) ring.push([this.lons[i]!, this.lats[i]!]);
    ring.push([ring[0]![0], ring[0]![1]]);
    return {
      type: 'Feature',
      id: this.properties.id,
      properties: { ...this.properties },
      geometry: { type: 'Polygon', coordinates: [ring] },
    };
  }
}

export function toFeatureCollection(zones: readonly SimZone[]): ZoneCollection {
  return { type: 'FeatureCollection', features: zones.map((zone) => zone.toFeature()) };
}

/** Seven decimals of a degree: 1 cm, and the same vertices after a JSON round trip. */
function round7(deg: number): number {
  return Math.round(deg * 1e7) / 1e7;
}
