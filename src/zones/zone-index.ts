import Flatbush from 'flatbush';
import { LookupGrid } from './lookup-grid.js';
import { ringsContain, vertexCount } from './point-in-rings.js';
import { PolygonGrid } from './polygon-grid.js';
import { bboxOf, type Zone, type ZoneKind, type ZonePolygon } from './zone.js';

export interface ZoneIndexOptions {
  /** Polygons with more vertices than this get a PolygonGrid; smaller ones a plain ring test. */
  readonly gridMinVertices?: number;
  /** Cells per vertex of each PolygonGrid. */
  readonly cellsPerVertex?: number;
  /** Cells of the lookup grid in front of the tree, per polygon. */
  readonly lookupCellsPerPolygon?: number;
}

const DEFAULT_GRID_MIN_VERTICES = 64;
const DEFAULT_LOOKUP_CELLS_PER_POLYGON = 16;
/** Lookup cells at most (1.3 MB of lists when one polygon's box covers them all). */
const MAX_LOOKUP_CELLS = 1 << 16;
/** A lookup cell met by more polygon boxes than this is left to the tree. */
const MAX_POLYGONS_PER_LOOKUP_CELL = 32;

/** One polygon of a zone: its bounding box, with its exact test. */
interface Part {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  readonly zone: number;
  readonly kind: ZoneKind;
  /** Flat closed rings, for polygons small enough to test edge by edge. */
  readonly rings: readonly Float64Array[] | undefined;
  readonly grid: PolygonGrid | undefined;
}

/**
 * Which zones contain a point (DESIGN.md §1 "zones" stage, issue 3). Each polygon of each zone
 * is an item of a flatbush over bounding boxes: a static, packed tree, as the zone set never
 * changes once loaded (issue 12). A coarse LookupGrid in front of the tree gives a point its
 * candidate polygons in one step (the tree answers for crowded cells); each candidate
 * whose box holds the point is then tested exactly, big polygons (more than 64 vertices) through
 * a PolygonGrid, small ones ring by ring. Boundary points are inside, as in
 * @turf/boolean-point-in-polygon, and every answer agrees with turf's (test/zones).
 *
 * Longitudes are in [-180, 180] (the loader refuses others): a zone across the antimeridian is
 * two polygons split at ±180 (RFC 7946 §3.1.9), each with its own bounding box, so nothing
 * wraps. A point at exactly ±180 is only in the polygons that reach that same sign: callers
 * that may see lon = -180 for a zone drawn to +180 should normalise one to the other.
 */
export class ZoneIndex {
  readonly zones: readonly Zone[];
  /** Every zone's polygons, in zone order: item `i` of `tree` is `parts[i]`. */
  private readonly parts: readonly Part[];
  /** The parts' bounding boxes; undefined without any (flatbush holds at least one item). */
  private readonly tree: Flatbush | undefined;
  private readonly lookup: LookupGrid<Part>;
  private readonly partsByZone: readonly (readonly Part[])[];
  private readonly query: TreeQuery = { lon: 0, lat: 0, kind: 'port', out: NO_OUTPUT, count: 0 };

  constructor(zones: readonly Zone[], options: ZoneIndexOptions = {}) {
    const gridMinVertices = options.gridMinVertices ?? DEFAULT_GRID_MIN_VERTICES;
    const gridOptions =
      options.cellsPerVertex === undefined ? {} : { cellsPerVertex: options.cellsPerVertex };
    const parts: Part[] = [];
    const partsByZone: Part[][] = [];
    zones.forEach((zone, i) => {
      if (zone.index !== i) {
        throw new RangeError(
          `Zone ${JSON.stringify(zone.id)} has index ${zone.index}, expected ${i}.`,
        );
      }
      const own: Part[] = [];
      for (const polygon of zone.polygons) {
        const part = makePart(zone, polygon, gridMinVertices, gridOptions);
        own.push(part);
        parts.push(part);
      }
      partsByZone.push(own);
    });
    this.zones = zones;
    this.parts = parts;
    this.partsByZone = partsByZone;
    this.tree = parts.length === 0 ? undefined : boxTree(parts);
    const cellsPerPolygon = options.lookupCellsPerPolygon ?? DEFAULT_LOOKUP_CELLS_PER_POLYGON;
    this.lookup = new LookupGrid(parts, {
      cells: Math.min(MAX_LOOKUP_CELLS, parts.length * cellsPerPolygon),
      maxPerCell: MAX_POLYGONS_PER_LOOKUP_CELL,
      // Zone order, so a cell's hits come out ascending and a zone's polygons side by side.
      compare: (a, b) => a.zone - b.zone,
    });
  }

  /**
   * Writes into `out` the indexes of the zones containing (lon, lat), ascending, and returns how
   * many. Allocates nothing once `out` has grown to the largest count, but for the two small
   * arrays flatbush's search makes in a crowded cell.
   */
  zonesAt(lon: number, lat: number, out: number[]): number {
    const lookup = this.lookup;
    const cell = lookup.cellOf(lon, lat);
    if (cell < 0) return 0;
    if (lookup.crowded[cell] === 1) return this.zonesAtFromTree(lon, lat, out);
    const items = lookup.items;
    const end = lookup.start[cell + 1]!;
    let count = 0;
    for (let k = lookup.start[cell]!; k < end; k++) {
      const part = items[k]!;
      // Items are in zone order: a zone already listed is the last one listed.
      if ((count === 0 || out[count - 1] !== part.zone) && inPart(part, lon, lat)) {
        out[count++] = part.zone;
      }
    }
    return count;
  }

  /** Whether zone `zoneIndex` contains (lon, lat). */
  contains(zoneIndex: number, lon: number, lat: number): boolean {
    const parts = this.partsByZone[zoneIndex];
    if (parts === undefined) throw new RangeError(`No zone with index ${zoneIndex}.`);
    for (let p = 0; p < parts.length; p++) {
      if (inPart(parts[p]!, lon, lat)) return true;
    }
    return false;
  }

  /** Whether (lon, lat) is in any zone of `kind` (e.g. any `port` zone, DESIGN.md §3). */
  inKind(lon: number, lat: number, kind: ZoneKind): boolean {
    const lookup = this.lookup;
    const cell = lookup.cellOf(lon, lat);
    if (cell < 0) return false;
    if (lookup.crowded[cell] === 1) return this.inKindFromTree(lon, lat, kind);
    const items = lookup.items;
    const end = lookup.start[cell + 1]!;
    for (let k = lookup.start[cell]!; k < end; k++) {
      const part = items[k]!;
      if (part.kind === kind && inPart(part, lon, lat)) return true;
    }
    return false;
  }

  /** `zonesAt` from the tree (crowded lookup cells): `listZone` sees each box holding the point. */
  private zonesAtFromTree(lon: number, lat: number, out: number[]): number {
    const query = this.query;
    query.lon = lon;
    query.lat = lat;
    query.out = out;
    query.count = 0;
    this.tree?.search(lon, lat, lon, lat, this.listZone);
    const count = query.count;
    query.out = NO_OUTPUT;
    // Insertion sort (the tree gives its own order): a point is in a handful of zones at most.
    for (let i = 1; i < count; i++) {
      const value = out[i]!;
      let k = i - 1;
      while (k >= 0 && out[k]! > value) {
        out[k + 1] = out[k]!;
        k--;
      }
      out[k + 1] = value;
    }
    return count;
  }

  /** `inKind` from the tree (crowded lookup cells): it stops at the first part of the kind. */
  private inKindFromTree(lon: number, lat: number, kind: ZoneKind): boolean {
    const query = this.query;
    query.lon = lon;
    query.lat = lat;
    query.kind = kind;
    return this.tree?.collides(lon, lat, lon, lat, this.isPartOfKind) ?? false;
  }

  // flatbush calls these with each item whose box holds the query point. They do the exact test
  // themselves and read the query from `this.query`: made once, so a query allocates no closure,
  // and `listZone` answers false so that the search collects no array of candidates.
  private readonly listZone = (item: number): boolean => {
    const query = this.query;
    const part = this.parts[item]!;
    if (!partContains(part, query.lon, query.lat)) return false;
    // A zone's polygons may overlap (a MultiPolygon that breaks the rules): list it once.
    const out = query.out;
    for (let k = 0; k < query.count; k++) if (out[k] === part.zone) return false;
    out[query.count++] = part.zone;
    return false;
  };

  private readonly isPartOfKind = (item: number): boolean => {
    const query = this.query;
    const part = this.parts[item]!;
    return part.kind === query.kind && partContains(part, query.lon, query.lat);
  };
}

/** The point query the tree's callbacks answer (`zonesAtFromTree`, `inKindFromTree`). */
interface TreeQuery {
  lon: number;
  lat: number;
  kind: ZoneKind;
  /** `zonesAt`'s output while the search runs, and how many zones it holds. */
  out: number[];
  count: number;
}

/** `TreeQuery.out` between searches (the caller's array is not kept). */
const NO_OUTPUT: number[] = [];

/** A flatbush over the parts' boxes, item `i` being `parts[i]`. */
function boxTree(parts: readonly Part[]): Flatbush {
  const tree = new Flatbush(parts.length);
  for (const part of parts) tree.add(part.minX, part.minY, part.maxX, part.maxY);
  tree.finish();
  return tree;
}

/** Whether (lon, lat) is in `part`: its bounding box first, the exact test second. */
function inPart(part: Part, lon: number, lat: number): boolean {
  return (
    lon >= part.minX &&
    lon <= part.maxX &&
    lat >= part.minY &&
    lat <= part.maxY &&
    partContains(part, lon, lat)
  );
}

/** Whether (lon, lat) is in `part`, whose bounding box holds it. */
function partContains(part: Part, lon: number, lat: number): boolean {
  return part.grid !== undefined
    ? part.grid.contains(lon, lat)
    : ringsContain(part.rings!, lon, lat);
}

function makePart(
  zone: Zone,
  polygon: ZonePolygon,
  gridMinVertices: number,
  gridOptions: { cellsPerVertex?: number },
): Part {
  const rings = polygon.map((ring) => {
    const flat = new Float64Array(ring.length * 2);
    ring.forEach(([lon, lat], i) => {
      flat[i * 2] = lon;
      flat[i * 2 + 1] = lat;
    });
    return flat;
  });
  const [minX, minY, maxX, maxY] = bboxOf([polygon]);
  const big = vertexCount(rings) > gridMinVertices;
  return {
    minX,
    minY,
    maxX,
    maxY,
    zone: zone.index,
    kind: zone.kind,
    rings: big ? undefined : rings,
    grid: big ? new PolygonGrid(rings, gridOptions) : undefined,
  };
}
