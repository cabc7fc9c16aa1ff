import type RBush from 'rbush';
import type { BBox } from 'rbush';

export interface LookupGridOptions<T> {
  /** About how many cells: the grid covers the tree's bounding box with near-square cells. */
  readonly cells: number;
  /** A cell met by more boxes than this keeps no list: its points go through the tree. */
  readonly maxPerCell: number;
  /** Order of the items in a cell's list. */
  readonly compare: (a: T, b: T) => number;
}

/**
 * A coarse uniform grid in front of an rbush: each cell lists, in a fixed order, the items whose
 * bounding box meets the cell, so a point query reads one short list where the tree would walk
 * two or three levels of nodes (about 60–130 ns saved per query on the zone sets of
 * bench/zones.bench.ts). The lists are filled by rbush searches, once. A cell met by more than
 * `maxPerCell` boxes (a harbour full of berth polygons) is marked crowded and keeps no list:
 * queries there walk the tree, so the worst case stays logarithmic.
 */
export class LookupGrid<T extends BBox> {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  readonly columns: number;
  readonly rows: number;
  /** Cells per degree of longitude and of latitude. */
  private readonly xScale: number;
  private readonly yScale: number;
  /** Per cell: its first item in `items`; `start[cell + 1]` is the end. */
  readonly start: Uint32Array;
  /** 1 for a crowded cell (no list: ask the tree). */
  readonly crowded: Uint8Array;
  readonly items: readonly T[];

  constructor(tree: RBush<T>, options: LookupGridOptions<T>) {
    const root = tree.toJSON() as BBox;
    const all = tree.all();
    const empty = all.length === 0;
    this.minX = empty ? 0 : root.minX;
    this.minY = empty ? 0 : root.minY;
    this.maxX = empty ? -1 : root.maxX; // an empty grid contains no point
    this.maxY = empty ? -1 : root.maxY;
    const width = Math.max(0, this.maxX - this.minX);
    const height = Math.max(0, this.maxY - this.minY);
    const target = Math.max(1, Math.floor(options.cells));
    let columns = 1;
    let rows = 1;
    if (width > 0 && height > 0) {
      columns = Math.max(1, Math.min(target, Math.round(Math.sqrt((target * width) / height))));
      rows = Math.max(1, Math.round(target / columns));
    } else if (width > 0) {
      columns = target;
    } else if (height > 0) {
      rows = target;
    }
    this.columns = columns;
    this.rows = rows;
    this.xScale = width > 0 ? columns / width : 0;
    this.yScale = height > 0 ? rows / height : 0;
    const cellW = width / columns;
    const cellH = height / rows;
    const marginX = cellW * 1e-6 + Math.max(Math.abs(this.minX), Math.abs(this.maxX)) * 1e-13;
    const marginY = cellH * 1e-6 + Math.max(Math.abs(this.minY), Math.abs(this.maxY)) * 1e-13;

    const start = new Uint32Array(columns * rows + 1);
    const crowded = new Uint8Array(columns * rows);
    const items: T[] = [];
    for (let j = 0; j < rows; j++) {
      for (let i = 0; i < columns; i++) {
        const cell = j * columns + i;
        // The search box is the cell grown by a margin far above the rounding of `cellOf`, so
        // a point that rounds into a neighbouring cell still finds every box it is in.
        const found = empty
          ? []
          : tree.search({
              minX: this.minX + i * cellW - marginX,
              minY: this.minY + j * cellH - marginY,
              maxX: this.minX + (i + 1) * cellW + marginX,
              maxY: this.minY + (j + 1) * cellH + marginY,
            });
        if (found.length > options.maxPerCell) {
          crowded[cell] = 1;
        } else {
          found.sort(options.compare);
          for (const item of found) items.push(item);
        }
        start[cell + 1] = items.length;
      }
    }
    this.start = start;
    this.crowded = crowded;
    this.items = items;
  }

  /** The cell of (x, y), or -1 when the point is outside every item's box (or NaN). */
  cellOf(x: number, y: number): number {
    if (!(x >= this.minX && x <= this.maxX && y >= this.minY && y <= this.maxY)) return -1;
    let i = ((x - this.minX) * this.xScale) | 0;
    if (i >= this.columns) i = this.columns - 1;
    let j = ((y - this.minY) * this.yScale) | 0;
    if (j >= this.rows) j = this.rows - 1;
    return j * this.columns + i;
  }
}
