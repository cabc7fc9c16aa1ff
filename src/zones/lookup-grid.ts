import { clamp, GridFrame } from './grid-frame.js';

/** An axis-aligned bounding box, the part of an item a LookupGrid reads. */
export interface Box {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
}

export interface LookupGridOptions<T> {
  /** About how many cells: the grid covers the items' bounding box with near-square cells. */
  readonly cells: number;
  /** A cell met by more boxes than this keeps no list: its points go to a tree instead. */
  readonly maxPerCell: number;
  /** Order of the items in a cell's list. */
  readonly compare: (a: T, b: T) => number;
}

/**
 * A coarse uniform grid in front of a spatial tree: each cell lists, in a fixed order, the items
 * whose bounding box meets the cell, so a point query reads one short list where the tree would
 * walk two or three levels of nodes (about 60–130 ns saved per query on the zone sets of
 * bench/zones.bench.ts). The lists are filled once, item by item over the cells its box covers.
 * A cell met by more than `maxPerCell` boxes (a harbour full of berth polygons) is marked crowded
 * and keeps no list: queries there go to the caller's tree, so the worst case stays logarithmic.
 */
export class LookupGrid<T extends Box> extends GridFrame {
  /** Per cell: its first item in `items`; `start[cell + 1]` is the end. */
  readonly start: Uint32Array;
  /** 1 for a crowded cell (no list: ask the tree). */
  readonly crowded: Uint8Array;
  readonly items: readonly T[];

  constructor(items: readonly T[], options: LookupGridOptions<T>) {
    let minX = Number.POSITIVE_INFINITY;
    let minY = Number.POSITIVE_INFINITY;
    let maxX = Number.NEGATIVE_INFINITY;
    let maxY = Number.NEGATIVE_INFINITY;
    for (const item of items) {
      minX = Math.min(minX, item.minX);
      minY = Math.min(minY, item.minY);
      maxX = Math.max(maxX, item.maxX);
      maxY = Math.max(maxY, item.maxY);
    }
    const empty = items.length === 0;
    const target = Math.max(1, Math.floor(options.cells));
    // An empty grid contains no point: its box is empty (max < min).
    super(
      empty ? 0 : minX,
      empty ? 0 : minY,
      empty ? -1 : maxX,
      empty ? -1 : maxY,
      target,
      target, // as many cells as asked along a box with no height (or width)
    );
    const cellCount = this.columns * this.rows;
    // Sorted once (stably), then appended in that order: every cell's list comes out sorted.
    const ordered = [...items].sort(options.compare);

    const columns = this.columns;
    const span = new Int32Array(4);
    const counts = new Uint32Array(cellCount);
    for (const item of ordered) {
      this.cellsMet(item, span);
      for (let j = span[2]!; j <= span[3]!; j++) {
        for (let i = span[0]!, cell = j * columns + i; i <= span[1]!; i++, cell++) counts[cell]!++;
      }
    }
    const start = new Uint32Array(cellCount + 1);
    const crowded = new Uint8Array(cellCount);
    for (let cell = 0; cell < cellCount; cell++) {
      let listed = counts[cell]!;
      if (listed > options.maxPerCell) {
        crowded[cell] = 1;
        listed = 0;
      }
      start[cell + 1] = start[cell]! + listed;
    }
    const filled = start.slice(0, cellCount); // next free slot of each cell
    const lists = new Array<T>(start[cellCount]!);
    for (const item of ordered) {
      this.cellsMet(item, span);
      for (let j = span[2]!; j <= span[3]!; j++) {
        for (let i = span[0]!, cell = j * columns + i; i <= span[1]!; i++, cell++) {
          if (crowded[cell] === 0) lists[filled[cell]!++] = item;
        }
      }
    }
    this.start = start;
    this.crowded = crowded;
    this.items = lists;
  }

  /**
   * Writes into `span` the columns and rows of the cells `box` meets: first and last column,
   * first and last row (a first after its last: none). A cell is taken grown by a margin far
   * above the rounding of `cellOf`, so a point that rounds into a neighbouring cell still finds
   * every box it is in. The range scanned is one cell wider each way than the arithmetic says,
   * and each column and row of it is tested exactly, so rounding cannot lose a cell.
   */
  private cellsMet(box: Box, span: Int32Array): void {
    const { minX, minY, cellWidth, cellHeight, marginX, marginY } = this;
    const lastColumn = this.columns - 1;
    const lastRow = this.rows - 1;
    let i0 = clamp(Math.floor((box.minX - marginX - minX) * this.xScale) - 1, 0, lastColumn);
    let i1 = clamp(Math.floor((box.maxX + marginX - minX) * this.xScale) + 1, 0, lastColumn);
    let j0 = clamp(Math.floor((box.minY - marginY - minY) * this.yScale) - 1, 0, lastRow);
    let j1 = clamp(Math.floor((box.maxY + marginY - minY) * this.yScale) + 1, 0, lastRow);
    while (i0 <= i1 && box.minX > minX + (i0 + 1) * cellWidth + marginX) i0++;
    while (i1 >= i0 && box.maxX < minX + i1 * cellWidth - marginX) i1--;
    while (j0 <= j1 && box.minY > minY + (j0 + 1) * cellHeight + marginY) j0++;
    while (j1 >= j0 && box.maxY < minY + j1 * cellHeight - marginY) j1--;
    span[0] = i0;
    span[1] = i1;
    span[2] = j0;
    span[3] = j1;
  }
}
