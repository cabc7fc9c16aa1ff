import type RBush from 'rbush';
import type { BBox } from 'rbush';
import { GridFrame } from './grid-frame.js';

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
export class LookupGrid<T extends BBox> extends GridFrame {
  /** Per cell: its first item in `items`; `start[cell + 1]` is the end. */
  readonly start: Uint32Array;
  /** 1 for a crowded cell (no list: ask the tree). */
  readonly crowded: Uint8Array;
  readonly items: readonly T[];

  constructor(tree: RBush<T>, options: LookupGridOptions<T>) {
    const root = tree.toJSON() as BBox;
    const all = tree.all();
    const empty = all.length === 0;
    const target = Math.max(1, Math.floor(options.cells));
    // An empty grid contains no point: its box is empty (max < min).
    super(
      empty ? 0 : root.minX,
      empty ? 0 : root.minY,
      empty ? -1 : root.maxX,
      empty ? -1 : root.maxY,
      target,
      target, // as many cells as asked along a box with no height (or width)
    );
    const { columns, rows, cellWidth: cellW, cellHeight: cellH, marginX, marginY } = this;

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
}
