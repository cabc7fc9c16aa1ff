import { parseZoneCollection } from '../src/zones/parse-zones.js';
import type { Zone, ZoneKind, ZonePolygon } from '../src/zones/zone.js';
import { ZoneIndex } from '../src/zones/zone-index.js';
import { noisyStar } from '../test/zones/random-polygons.js';
import { createRandom } from './prng.js';

/** A port as the fleet sees it: where ships moor (a circle well inside the port polygon). */
export interface PortArea {
  readonly lon: number;
  readonly lat: number;
  /** Radius, degrees, of the disc sure to lie inside the port polygon. */
  readonly innerRadiusDegrees: number;
}

/**
 * The core benchmarks' zone set (issue 3's speed target): an EEZ-like 5 000-vertex spiky star
 * with 4 holes, 30° across, 36 small areas (12–60 vertices: restricted areas, MPAs, custom
 * boxes) and 8 ports, as a GeoJSON FeatureCollection read by the zone loader.
 */
export interface BenchZoneSet {
  readonly geojson: {
    type: 'FeatureCollection';
    features: {
      type: 'Feature';
      properties: { id: string; name: string; kind: ZoneKind };
      geometry: { type: 'Polygon'; coordinates: number[][][] };
    }[];
  };
  readonly zones: readonly Zone[];
  readonly index: ZoneIndex;
  readonly ports: readonly PortArea[];
  /** [minLon, minLat, maxLon, maxLat] of the traffic area: the EEZ's box. */
  readonly area: readonly [number, number, number, number];
  readonly vertices: number;
}

const CENTER_LON = 140;
const CENTER_LAT = -25;
const EEZ_RADIUS_DEGREES = 15;
const SMALL_ZONES = 36;
const PORTS = 8;
/** A port polygon's radius swings between 0.45 and 1 of its mean (noisyStar). */
const PORT_RADIUS_DEGREES = 0.06;

export function benchZoneSet(seed: number): BenchZoneSet {
  const random = createRandom(seed ^ 0x5a0e).next;
  const features: BenchZoneSet['geojson']['features'] = [];
  const add = (id: string, kind: ZoneKind, polygon: ZonePolygon) =>
    features.push({
      type: 'Feature',
      properties: { id, name: id, kind },
      geometry: {
        type: 'Polygon',
        coordinates: polygon.map((ring) => ring.map(([x, y]) => [x, y])),
      },
    });
  add(
    'eez',
    'eez',
    noisyStar(random, {
      lon: CENTER_LON,
      lat: CENTER_LAT,
      radiusDegrees: EEZ_RADIUS_DEGREES,
      vertices: 5_000,
      holes: 4,
      spikes: 40,
    }),
  );
  const kinds: ZoneKind[] = ['restricted', 'mpa', 'custom', 'territorial_sea'];
  for (let i = 0; i < SMALL_ZONES; i++) {
    add(
      `area-${i}`,
      kinds[i % kinds.length]!,
      noisyStar(random, {
        lon: CENTER_LON - 12 + 24 * random(),
        lat: CENTER_LAT - 12 + 24 * random(),
        radiusDegrees: 0.1 + 0.6 * random(),
        vertices: 12 + Math.floor(48 * random()),
        holes: 0,
        spikes: 3 + (i % 5),
      }),
    );
  }
  const ports: PortArea[] = [];
  for (let i = 0; i < PORTS; i++) {
    const lon = CENTER_LON - 10 + 20 * random();
    const lat = CENTER_LAT - 10 + 20 * random();
    add(
      `port-${i}`,
      'port',
      noisyStar(random, {
        lon,
        lat,
        radiusDegrees: PORT_RADIUS_DEGREES,
        vertices: 24,
        holes: 0,
        spikes: 4,
      }),
    );
    ports.push({ lon, lat, innerRadiusDegrees: 0.4 * PORT_RADIUS_DEGREES });
  }
  const geojson: BenchZoneSet['geojson'] = { type: 'FeatureCollection', features };
  const { zones } = parseZoneCollection(geojson, 'bench-zones.geojson');
  const vertices = features.reduce(
    (n, f) => n + f.geometry.coordinates.reduce((m, ring) => m + ring.length - 1, 0),
    0,
  );
  return {
    geojson,
    zones,
    index: new ZoneIndex(zones),
    ports,
    area: zones[0]!.bbox,
    vertices,
  };
}
