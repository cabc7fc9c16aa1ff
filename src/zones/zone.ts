/**
 * What a zone is (DESIGN.md §3): a named area of sea that alerts and tracks refer to by `id`,
 * with a kind and, optionally, the members who share it.
 */
export const ZONE_KINDS = [
  /** Exclusive economic zone (UNCLOS art. 55–57, up to 200 nm). */
  'eez',
  /** Territorial sea (UNCLOS art. 3, up to 12 nm). */
  'territorial_sea',
  /** Contiguous zone (UNCLOS art. 33, up to 24 nm). */
  'contiguous',
  /** Marine protected area. */
  'mpa',
  /** Restricted area: security zone, military area, area to be avoided. */
  'restricted',
  /** Port or anchorage: where stopping and meeting are normal (no `rendezvous`, `loitering`, `dark_gap`). */
  'port',
  /** Anything else an operations centre draws. */
  'custom',
] as const;

export type ZoneKind = (typeof ZONE_KINDS)[number];

export function isZoneKind(value: unknown): value is ZoneKind {
  return typeof value === 'string' && (ZONE_KINDS as readonly string[]).includes(value);
}

/** A position as GeoJSON writes it: longitude then latitude, decimal degrees WGS84. */
export type LonLat = readonly [lon: number, lat: number];

/** A closed linear ring (RFC 7946 §3.1.6): at least four positions, the last equal to the first. */
export type ZoneRing = readonly LonLat[];

/** One polygon: the outer ring, then its holes. Winding order is not used (even-odd rule). */
export type ZonePolygon = readonly ZoneRing[];

export interface Zone {
  /** Position of this zone in the list it was loaded in (`ZoneIndex.zones[index] === zone`). */
  readonly index: number;
  /** Stable id, unique in a zone set; alerts carry it as `zoneId` (DESIGN.md §2.4). */
  readonly id: string;
  readonly name: string;
  readonly kind: ZoneKind;
  /** Member ids that share this zone; undefined when the zone is shared with everyone. */
  readonly members: readonly string[] | undefined;
  /** [minLon, minLat, maxLon, maxLat] over every position. */
  readonly bbox: readonly [number, number, number, number];
  /**
   * The area: one or more polygons (a GeoJSON Polygon is one, a MultiPolygon several). A point
   * is in the zone when it is in any polygon, boundary included (as @turf/boolean-point-in-polygon).
   * Longitudes lie in [-180, 180]: a zone across the antimeridian is split there into two
   * polygons (RFC 7946 §3.1.9).
   */
  readonly polygons: readonly ZonePolygon[];
}

/** [minLon, minLat, maxLon, maxLat] over every position of `polygons`. */
export function bboxOf(polygons: readonly ZonePolygon[]): [number, number, number, number] {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (const [lon, lat] of ring) {
        if (lon < minLon) minLon = lon;
        if (lon > maxLon) maxLon = lon;
        if (lat < minLat) minLat = lat;
        if (lat > maxLat) maxLat = lat;
      }
    }
  }
  return [minLon, minLat, maxLon, maxLat];
}
