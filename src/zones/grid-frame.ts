/**
 * A uniform grid over a bounding box: about `targetCells` cells, as square as the box allows and
 * at most `maxSide` a side, and the lookup of a point's cell. The layout `LookupGrid` and
 * `PolygonGrid` share.
 */
export class GridFrame {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  readonly columns: number;
  readonly rows: number;
  /** Size of a cell (0 along an axis the box has no extent in). */
  readonly cellWidth: number;
  readonly cellHeight: number;
  /**
   * Far above the rounding of a cell lookup (a few ulps of the coordinates), far below a cell:
   * a cell grown by these margins holds every point `cellOf` can put in it.
   */
  readonly marginX: number;
  readonly marginY: number;
  /** Cells per unit of x and of y. */
  protected readonly xScale: number;
  protected readonly yScale: number;

  constructor(
    minX: number,
    minY: number,
    maxX: number,
    maxY: number,
    targetCells: number,
    maxSide: number,
  ) {
    this.minX = minX;
    this.minY = minY;
    this.maxX = maxX;
    this.maxY = maxY;
    const width = Math.max(0, maxX - minX);
    const height = Math.max(0, maxY - minY);
    let columns = 1;
    let rows = 1;
    if (width > 0 && height > 0) {
      columns = clamp(Math.round(Math.sqrt((targetCells * width) / height)), 1, maxSide);
      rows = clamp(Math.round(targetCells / columns), 1, maxSide);
    } else if (width > 0) {
      columns = Math.min(maxSide, targetCells);
    } else if (height > 0) {
      rows = Math.min(maxSide, targetCells);
    }
    this.columns = columns;
    this.rows = rows;
    this.cellWidth = width / columns;
    this.cellHeight = height / rows;
    this.xScale = width > 0 ? columns / width : 0;
    this.yScale = height > 0 ? rows / height : 0;
    this.marginX = this.cellWidth * 1e-6 + Math.max(Math.abs(minX), Math.abs(maxX)) * 1e-13;
    this.marginY = this.cellHeight * 1e-6 + Math.max(Math.abs(minY), Math.abs(maxY)) * 1e-13;
  }

  /** The cell of (x, y), or -1 when the point is outside the box (or NaN). */
  cellOf(x: number, y: number): number {
    if (!(x >= this.minX && x <= this.maxX && y >= this.minY && y <= this.maxY)) return -1;
    let i = ((x - this.minX) * this.xScale) | 0;
    if (i >= this.columns) i = this.columns - 1;
    let j = ((y - this.minY) * this.yScale) | 0;
    if (j >= this.rows) j = this.rows - 1;
    return j * this.columns + i;
  }
}

export function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}
