import { clamp, GridFrame } from './grid-frame.js';
import { ringsContain, vertexCount } from './point-in-rings.js';

export interface PolygonGridOptions {
  /** Grid cells per polygon vertex: more cells, fewer edges to test in a boundary cell. */
  readonly cellsPerVertex?: number;
  /** Upper bound on the cell count (memory: 4 bytes per cell, 32 per boundary cell and per edge listed). */
  readonly maxCells?: number;
}

const DEFAULT_CELLS_PER_VERTEX = 4;
const DEFAULT_MAX_CELLS = 1 << 20;
const MAX_SIDE = 4096;
/** Cell value of a cell no edge touches, whose every point is outside / inside. */
const OUTSIDE = -1;
const INSIDE = -2;

/**
 * Point-in-polygon for big polygons at a cost that does not grow with the vertex count (an EEZ
 * has thousands of vertices; issue 3 asks for well under a microsecond per test). A grid over the
 * polygon's bounding box, about `cellsPerVertex` cells per vertex, built once:
 * - a cell no edge touches is wholly inside or wholly outside, decided by a scanline through its
 *   centre, and answers at once;
 * - a boundary cell keeps the edges that touch it and a reference point whose status is known
 *   (the cell centre, or a point of the cell away from every edge when the centre is too close to
 *   one). A point in the cell has the reference's status, flipped once per edge crossing the
 *   segment from the reference to the point; both lie in the cell, so only the cell's edges can
 *   cross it.
 * Even-odd rule over every ring, so holes count; boundary included, as in `ringsContain` and
 * turf. The edge lists are built with a margin around each cell, so rounding in the cell lookup
 * never misses an edge. A test reads one cell, and in a boundary cell one record and its few
 * edges (about 6 on average for the 5 000-vertex test star, 5–8 for the AMSA EEZ).
 */
export class PolygonGrid extends GridFrame {
  /** Per cell: OUTSIDE, INSIDE, or the offset of a boundary cell's record in `records`. */
  private readonly cells: Int32Array;
  /**
   * One record per boundary cell, contiguous so a test touches two cache lines or so:
   * reference x, y, 1 when the reference is inside (else 0), the edge count n, then n edges
   * as ax, ay, bx, by.
   */
  private readonly records: Float64Array;
  private readonly boundaryCells: number;

  constructor(rings: readonly Float64Array[], options: PolygonGridOptions = {}) {
    const cellsPerVertex = options.cellsPerVertex ?? DEFAULT_CELLS_PER_VERTEX;
    const maxCells = options.maxCells ?? DEFAULT_MAX_CELLS;
    if (!(cellsPerVertex > 0)) throw new RangeError(`cellsPerVertex ${cellsPerVertex} is not > 0.`);
    if (!(maxCells >= 1)) throw new RangeError(`maxCells ${maxCells} is not ≥ 1.`);
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const ring of rings) {
      if (ring.length < 8 || ring.length % 2 !== 0) {
        throw new RangeError(`A ring needs at least 4 positions, got ${ring.length / 2}.`);
      }
      for (let i = 0; i < ring.length; i += 2) {
        const x = ring[i]!;
        const y = ring[i + 1]!;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
    if (!Number.isFinite(minX)) throw new RangeError('A polygon needs at least one ring.');
    // Cells about square in degrees, `cellsPerVertex` per vertex.
    super(
      minX,
      minY,
      maxX,
      maxY,
      Math.max(1, Math.min(maxCells, Math.ceil(vertexCount(rings) * cellsPerVertex))),
      MAX_SIDE,
    );
    const { columns, rows, cellWidth: cellW, cellHeight: cellH, marginX, marginY } = this;

    // Edge lists: count, then fill, the cells each edge touches (cell grown by the margin).
    const cellCount = columns * rows;
    const counts = new Uint32Array(cellCount);
    const visit = (fn: (cell: number, edge: number, ring: Float64Array) => void): void => {
      for (const ring of rings) {
        for (let e = 0; e + 3 < ring.length; e += 2) {
          const ax = ring[e]!;
          const ay = ring[e + 1]!;
          const bx = ring[e + 2]!;
          const by = ring[e + 3]!;
          const i0 = this.column(Math.min(ax, bx) - marginX);
          const i1 = this.column(Math.max(ax, bx) + marginX);
          const j0 = this.row(Math.min(ay, by) - marginY);
          const j1 = this.row(Math.max(ay, by) + marginY);
          const straight = i0 === i1 || j0 === j1;
          for (let j = j0; j <= j1; j++) {
            for (let i = i0; i <= i1; i++) {
              if (
                straight ||
                segmentTouchesBox(
                  ax,
                  ay,
                  bx,
                  by,
                  minX + i * cellW - marginX,
                  minY + j * cellH - marginY,
                  minX + (i + 1) * cellW + marginX,
                  minY + (j + 1) * cellH + marginY,
                )
              ) {
                fn(j * columns + i, e, ring);
              }
            }
          }
        }
      }
    };
    visit((cell) => {
      counts[cell]!++;
    });
    const cells = new Int32Array(cellCount);
    let boundaryCells = 0;
    let size = 0;
    for (let c = 0; c < cellCount; c++) {
      if (counts[c]! > 0) {
        cells[c] = size;
        size += 4 + counts[c]! * 4;
        boundaryCells++;
      }
    }
    const records = new Float64Array(size);
    const fill = new Int32Array(cellCount);
    for (let c = 0; c < cellCount; c++) fill[c] = cells[c]! + 4;
    visit((cell, e, ring) => {
      const at = fill[cell]!;
      fill[cell] = at + 4;
      records[at] = ring[e]!;
      records[at + 1] = ring[e + 1]!;
      records[at + 2] = ring[e + 2]!;
      records[at + 3] = ring[e + 3]!;
    });

    // Status of every cell centre: even-odd count of edge crossings left of it on its row's
    // centre line (half-open in y, so a vertex on the line counts once).
    const centreInside = new Uint8Array(cellCount);
    const xs: number[] = [];
    for (let j = 0; j < rows; j++) {
      const y = minY + (j + 0.5) * cellH;
      xs.length = 0;
      for (const ring of rings) {
        for (let e = 0; e + 3 < ring.length; e += 2) {
          const ax = ring[e]!;
          const ay = ring[e + 1]!;
          const bx = ring[e + 2]!;
          const by = ring[e + 3]!;
          if (ay > y !== by > y) xs.push(ax + ((y - ay) * (bx - ax)) / (by - ay));
        }
      }
      xs.sort((a, b) => a - b);
      let left = 0;
      for (let i = 0; i < columns; i++) {
        const x = minX + (i + 0.5) * cellW;
        while (left < xs.length && xs[left]! < x) left++;
        centreInside[j * columns + i] = left & 1;
      }
    }

    // Reference points of boundary cells; cells without edges take their centre's status.
    const tolerance = Math.max(1e-6 * Math.min(cellW || cellH, cellH || cellW), 1e-12);
    for (let c = 0; c < cellCount; c++) {
      if (counts[c] === 0) {
        cells[c] = centreInside[c] === 1 ? INSIDE : OUTSIDE;
        continue;
      }
      const at = cells[c]!;
      const i = c % columns;
      const j = (c - i) / columns;
      const x0 = minX + i * cellW;
      const y0 = minY + j * cellH;
      const from = at + 4;
      const to = from + counts[c]! * 4;
      let rx = x0 + 0.5 * cellW;
      let ry = y0 + 0.5 * cellH;
      let inside = centreInside[c]!;
      if (clearance(records, from, to, rx, ry) < tolerance) {
        // The centre is on or next to an edge: take the point of an 8 × 8 lattice in the cell
        // farthest from the cell's edges, and find its status the slow, exact way.
        let best = -1;
        for (let a = 0; a < 8; a++) {
          for (let b = 0; b < 8; b++) {
            const x = x0 + ((a + 0.5) / 8) * cellW;
            const y = y0 + ((b + 0.5) / 8) * cellH;
            const d = clearance(records, from, to, x, y);
            if (d > best) {
              best = d;
              rx = x;
              ry = y;
            }
          }
        }
        inside = ringsContain(rings, rx, ry) ? 1 : 0;
      }
      records[at] = rx;
      records[at + 1] = ry;
      records[at + 2] = inside;
      records[at + 3] = counts[c]!;
    }
    this.cells = cells;
    this.records = records;
    this.boundaryCells = boundaryCells;
  }

  /** True when (x, y) is inside the polygon or on its boundary. */
  contains(x: number, y: number): boolean {
    // Written so that NaN falls out as "outside".
    const cell = this.cellOf(x, y);
    if (cell < 0) return false;
    const at = this.cells[cell]!;
    if (at < 0) return at === INSIDE;

    const records = this.records;
    const rx = records[at]!;
    const ry = records[at + 1]!;
    let inside = records[at + 2] === 1;
    const dx = x - rx;
    const dy = y - ry;
    const end = at + 4 + records[at + 3]! * 4;
    for (let e = at + 4; e < end; e += 4) {
      const ax = records[e]!;
      const ay = records[e + 1]!;
      const bx = records[e + 2]!;
      const by = records[e + 3]!;
      // Orientation of (a, b, p), in coordinates relative to p as turf computes it, so a point
      // on a vertex or on an axis-parallel edge is found exactly.
      const u1 = ax - x;
      const v1 = ay - y;
      const u2 = bx - x;
      const v2 = by - y;
      const f = u1 * v2 - u2 * v1;
      if (f === 0) {
        if ((u1 <= 0 ? u2 >= 0 : u2 <= 0) && (v1 <= 0 ? v2 >= 0 : v2 <= 0)) return true;
        continue; // on the edge's line but off the edge: the segment cannot cross it
      }
      // a and b on different sides of the line ref → p; a vertex on that line counts as the
      // negative side for both its edges, so it is crossed once or not at all.
      if (dx * (ay - ry) - dy * (ax - rx) > 0 === dx * (by - ry) - dy * (bx - rx) > 0) continue;
      // ref and p on different sides of the edge's line.
      const g = (bx - ax) * (ry - ay) - (by - ay) * (rx - ax);
      if (f > 0 ? g < 0 : g > 0) inside = !inside;
    }
    return inside;
  }

  /** Size of the acceleration, for tests and benchmarks. */
  get stats(): { cells: number; boundaryCells: number; listedEdges: number; bytes: number } {
    return {
      cells: this.cells.length,
      boundaryCells: this.boundaryCells,
      listedEdges: (this.records.length - 4 * this.boundaryCells) / 4,
      bytes: this.cells.byteLength + this.records.byteLength,
    };
  }

  private column(x: number): number {
    return clamp(Math.floor((x - this.minX) * this.xScale), 0, this.columns - 1);
  }

  private row(y: number): number {
    return clamp(Math.floor((y - this.minY) * this.yScale), 0, this.rows - 1);
  }
}

/**
 * Whether segment a–b meets the box, given that their bounding boxes overlap: the box's corners
 * are not all strictly on one side of the segment's line (separating axis theorem).
 */
function segmentTouchesBox(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): boolean {
  const dx = bx - ax;
  const dy = by - ay;
  const s00 = dx * (y0 - ay) - dy * (x0 - ax);
  const s10 = dx * (y0 - ay) - dy * (x1 - ax);
  const s01 = dx * (y1 - ay) - dy * (x0 - ax);
  const s11 = dx * (y1 - ay) - dy * (x1 - ax);
  return !(
    (s00 > 0 && s10 > 0 && s01 > 0 && s11 > 0) ||
    (s00 < 0 && s10 < 0 && s01 < 0 && s11 < 0)
  );
}

/** Distance from (x, y) to the nearest of the edges `edges[from..to)`. */
function clearance(edges: Float64Array, from: number, to: number, x: number, y: number): number {
  let best = Infinity;
  for (let e = from; e < to; e += 4) {
    const ax = edges[e]!;
    const ay = edges[e + 1]!;
    const dx = edges[e + 2]! - ax;
    const dy = edges[e + 3]! - ay;
    const length2 = dx * dx + dy * dy;
    let t = length2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / length2 : 0;
    t = Math.max(0, Math.min(1, t));
    const ex = ax + t * dx - x;
    const ey = ay + t * dy - y;
    const d = Math.sqrt(ex * ex + ey * ey);
    if (d < best) best = d;
  }
  return best;
}
