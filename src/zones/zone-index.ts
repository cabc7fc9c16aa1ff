import RBush from 'rbush';
import { LookupGrid } from './lookup-grid.js';
import { ringsContain, vertexCount } from './point-in-rings.js';
import { PolygonGrid } from './polygon-grid.js';
import { bboxOf, type Zone, type ZoneKind, type ZonePolygon } from './zone.js';

export interface ZoneIndexOptions {
  /** Polygons with more vertices than this get a PolygonGrid; smaller ones a plain ring test. */
  readonly gridMinVertices?: number;
  /** Cells per vertex of each PolygonGrid. */
  readonly cellsPerVertex?: number;
  /** Cells of the lookup grid in front of the rbush, per polygon. */
  readonly lookupCellsPerPolygon?: number;
}

const DEFAULT_GRID_MIN_VERTICES = 64;
const DEFAULT_LOOKUP_CELLS_PER_POLYGON = 16;
/** Lookup cells at most (1.3 MB of lists when one polygon's box covers them all). */
const MAX_LOOKUP_CELLS = 1 << 16;
/** A lookup cell met by more polygon boxes than this is left to the rbush. */
const MAX_POLYGONS_PER_LOOKUP_CELL = 32;

/** One polygon of a zone: the rbush item, with its exact test. */
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

/** rbush's node layout (rbush 4 `toJSON()`), walked directly so a query allocates nothing. */
interface TreeNode {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  readonly leaf: boolean;
  readonly children: readonly (TreeNode | Part)[];
}

/**
 * Which zones contain a point (DESIGN.md §1 "zones" stage, issue 3). Each polygon of each zone
 * is an item of an rbush over bounding boxes. A coarse LookupGrid in front of the rbush gives a
 * point its candidate polygons in one step (the rbush answers for crowded cells); each candidate
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
  /** Root of the rbush over every part's bounding box; never modified after construction. */
  private readonly root: TreeNode;
  private readonly lookup: LookupGrid<Part>;
  private readonly partsByZone: readonly (readonly Part[])[];
  /** Reused traversal stack of the rbush walks. */
  private readonly stack: TreeNode[] = [];

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
    this.partsByZone = partsByZone;
    const tree = new RBush<Part>().load(parts);
    this.root = tree.toJSON() as TreeNode;
    const cellsPerPolygon = options.lookupCellsPerPolygon ?? DEFAULT_LOOKUP_CELLS_PER_POLYGON;
    this.lookup = new LookupGrid(tree, {
      cells: Math.min(MAX_LOOKUP_CELLS, parts.length * cellsPerPolygon),
      maxPerCell: MAX_POLYGONS_PER_LOOKUP_CELL,
      // Zone order, so a cell's hits come out ascending and a zone's polygons side by side.
      compare: (a, b) => a.zone - b.zone,
    });
  }

  /**
   * Writes into `out` the indexes of the zones containing (lon, lat), ascending, and returns how
   * many. Allocates nothing once `out` has grown to the largest count.
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

  /** `zonesAt` by walking the rbush (crowded lookup cells). */
  private zonesAtFromTree(lon: number, lat: number, out: number[]): number {
    const stack = this.stack;
    let top = 0;
    let count = 0;
    let node: TreeNode | undefined = this.root;
    while (node !== undefined) {
      const children = node.children;
      for (let c = 0; c < children.length; c++) {
        const child = children[c]!;
        if (!(lon >= child.minX && lon <= child.maxX && lat >= child.minY && lat <= child.maxY)) {
          continue;
        }
        if (!node.leaf) {
          stack[top++] = child as TreeNode;
          continue;
        }
        const part = child as Part;
        if (!partContains(part, lon, lat)) continue;
        // A zone's polygons may overlap (a MultiPolygon that breaks the rules): list it once.
        let seen = false;
        for (let k = 0; k < count; k++) {
          if (out[k] === part.zone) {
            seen = true;
            break;
          }
        }
        if (!seen) out[count++] = part.zone;
      }
      node = top > 0 ? stack[--top] : undefined;
    }
    // Insertion sort: a point is in a handful of zones at most.
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

  /** `inKind` by walking the rbush (crowded lookup cells). */
  private inKindFromTree(lon: number, lat: number, kind: ZoneKind): boolean {
    const stack = this.stack;
    let top = 0;
    let node: TreeNode | undefined = this.root;
    if (!(lon >= node.minX && lon <= node.maxX && lat >= node.minY && lat <= node.maxY)) {
      return false;
    }
    while (node !== undefined) {
      const children = node.children;
      for (let c = 0; c < children.length; c++) {
        const child = children[c]!;
        if (!(lon >= child.minX && lon <= child.maxX && lat >= child.minY && lat <= child.maxY)) {
          continue;
        }
        if (!node.leaf) {
          stack[top++] = child as TreeNode;
        } else if ((child as Part).kind === kind && partContains(child as Part, lon, lat)) {
          return true;
        }
      }
      node = top > 0 ? stack[--top] : undefined;
    }
    return false;
  }
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
