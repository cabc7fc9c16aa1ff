/** An entry of the grid: where it is, and the cell it is filed under (-1: not in the grid). */
export interface GridEntry<T> {
  lon: number;
  lat: number;
  cell: number;
  value: T;
}

/**
 * Entries by position in cells of whole degrees (issue 15: the picture's vessels). Moving an entry
 * costs two set operations at most — none when it stays in its cell — where an R-tree removes and
 * re-inserts (bench:picture: the model applies several times more tracks per second). A box query
 * visits the cells it overlaps and checks each entry's position.
 */
export class PositionGrid<T> {
  private readonly cells = new Map<number, Set<GridEntry<T>>>();
  private readonly columns: number;
  private readonly rows: number;

  constructor(private readonly cellDegrees = 1) {
    if (!(cellDegrees > 0 && 360 % cellDegrees === 0 && 180 % cellDegrees === 0)) {
      throw new RangeError(`cellDegrees: ${cellDegrees} does not divide 360 and 180.`);
    }
    this.columns = 360 / cellDegrees;
    this.rows = 180 / cellDegrees;
  }

  /** Files the entry at the position (moving it when it is filed elsewhere). */
  place(entry: GridEntry<T>, lon: number, lat: number): void {
    entry.lon = lon;
    entry.lat = lat;
    const cell = this.row(lat) * this.columns + this.column(lon);
    if (cell === entry.cell) return;
    this.remove(entry);
    let set = this.cells.get(cell);
    if (set === undefined) {
      set = new Set();
      this.cells.set(cell, set);
    }
    set.add(entry);
    entry.cell = cell;
  }

  remove(entry: GridEntry<T>): void {
    if (entry.cell < 0) return;
    const set = this.cells.get(entry.cell);
    set?.delete(entry);
    if (set?.size === 0) this.cells.delete(entry.cell);
    entry.cell = -1;
  }

  /** Calls `visit` for every entry in the box (edges included; west ≤ east). */
  search(
    west: number,
    south: number,
    east: number,
    north: number,
    visit: (entry: GridEntry<T>) => void,
  ): void {
    const [c0, c1, r0, r1] = [
      this.column(west),
      this.column(east),
      this.row(south),
      this.row(north),
    ];
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const set = this.cells.get(r * this.columns + c);
        if (set === undefined) continue;
        for (const entry of set) {
          if (entry.lon >= west && entry.lon <= east && entry.lat >= south && entry.lat <= north) {
            visit(entry);
          }
        }
      }
    }
  }

  private column(lon: number): number {
    return Math.min(this.columns - 1, Math.max(0, Math.floor((lon + 180) / this.cellDegrees)));
  }

  private row(lat: number): number {
    return Math.min(this.rows - 1, Math.max(0, Math.floor((lat + 90) / this.cellDegrees)));
  }
}
