import { describe, expect, it } from 'vitest';
import { type GridEntry, PositionGrid } from '../../src/picture/position-grid.js';

function entry(value: number): GridEntry<number> {
  return { lon: 0, lat: 0, cell: -1, value };
}

function found(grid: PositionGrid<number>, w: number, s: number, e: number, n: number): number[] {
  const values: number[] = [];
  grid.search(w, s, e, n, (x) => values.push(x.value));
  return values.sort((a, b) => a - b);
}

describe('PositionGrid', () => {
  it('finds entries in a box, edges included, after moves within and across cells', () => {
    const grid = new PositionGrid<number>();
    const a = entry(1);
    const b = entry(2);
    const c = entry(3);
    grid.place(a, 3.5, 51.5);
    grid.place(b, 4, 52);
    grid.place(c, 180, 90);
    expect(found(grid, 3, 51, 4, 52)).toEqual([1, 2]);
    expect(found(grid, 3.6, 51, 4, 52)).toEqual([2]);
    grid.place(a, 3.7, 51.2); // same cell
    expect(found(grid, 3.6, 51, 4, 52)).toEqual([1, 2]);
    grid.place(a, -70, -33); // another cell
    expect(found(grid, 3, 51, 4, 52)).toEqual([2]);
    expect(found(grid, -71, -34, -69, -32)).toEqual([1]);
    expect(found(grid, 179, 89, 180, 90)).toEqual([3]);
    grid.remove(b);
    grid.remove(b);
    expect(found(grid, -180, -90, 180, 90)).toEqual([1, 3]);
    expect(() => new PositionGrid(7)).toThrow(RangeError);
  });
});
