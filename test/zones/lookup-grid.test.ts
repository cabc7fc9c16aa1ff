import RBush from 'rbush';
import { describe, expect, it } from 'vitest';
import { LookupGrid } from '../../src/zones/lookup-grid.js';
import { seededRandom } from '../support/seeded-random.js';

interface Item {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  id: number;
}

function grid(items: Item[], cells: number, maxPerCell = 32): LookupGrid<Item> {
  return new LookupGrid(new RBush<Item>().load(items), {
    cells,
    maxPerCell,
    compare: (a, b) => a.id - b.id,
  });
}

/** The items listed in the cell of (x, y). */
function listed(g: LookupGrid<Item>, x: number, y: number): number[] {
  const cell = g.cellOf(x, y);
  if (cell < 0) return [];
  return g.items.slice(g.start[cell]!, g.start[cell + 1]!).map((item) => item.id);
}

describe('LookupGrid', () => {
  it('lists, in order, every item whose box holds the point, wherever it falls', () => {
    const random = seededRandom(8);
    const items: Item[] = [];
    for (let id = 0; id < 200; id++) {
      const x = random() * 100;
      const y = random() * 50;
      items.push({ minX: x, minY: y, maxX: x + random() * 10, maxY: y + random() * 5, id });
    }
    const g = grid(items, 500);
    let checked = 0;
    let unordered = 0;
    const missed: [number, number][] = [];
    for (let k = 0; k < 5_000; k++) {
      // Half the points on box sides, where rounding into the next cell would lose them.
      const item = items[k % items.length]!;
      const [x, y] =
        k % 2 === 0
          ? [random() * 110, random() * 55]
          : [item.maxX, item.minY + random() * (item.maxY - item.minY)];
      const cell = g.cellOf(x, y);
      if (cell >= 0 && g.crowded[cell] === 1) continue;
      const inBox = items
        .filter((i) => x >= i.minX && x <= i.maxX && y >= i.minY && y <= i.maxY)
        .map((i) => i.id);
      const list = listed(g, x, y);
      if (!inBox.every((id) => list.includes(id))) missed.push([x, y]);
      if ([...list].sort((a, b) => a - b).join() !== list.join()) unordered++;
      checked++;
    }
    expect(missed).toEqual([]);
    expect(unordered).toBe(0);
    expect(checked).toBeGreaterThan(4_000);
  });

  it('marks crowded cells and keeps no list for them', () => {
    const items = Array.from({ length: 5 }, (_, id) => ({
      minX: 0,
      minY: 0,
      maxX: 1,
      maxY: 1,
      id,
    }));
    const g = grid(items, 4, 3);
    const cell = g.cellOf(0.5, 0.5);
    expect(g.crowded[cell]).toBe(1);
    expect(listed(g, 0.5, 0.5)).toEqual([]);
  });

  it('answers -1 outside the boxes, for NaN and when empty', () => {
    const g = grid([{ minX: 0, minY: 0, maxX: 1, maxY: 1, id: 0 }], 16);
    expect(g.cellOf(1.5, 0.5)).toBe(-1);
    expect(g.cellOf(Number.NaN, 0.5)).toBe(-1);
    expect(listed(g, 1, 1)).toEqual([0]);
    expect(grid([], 16).cellOf(0, 0)).toBe(-1);
  });

  it('copes with boxes that are points or lines', () => {
    const g = grid([{ minX: 2, minY: 3, maxX: 2, maxY: 3, id: 7 }], 16);
    expect(listed(g, 2, 3)).toEqual([7]);
    const line = grid([{ minX: 0, minY: 3, maxX: 4, maxY: 3, id: 1 }], 16);
    expect(listed(line, 4, 3)).toEqual([1]);
  });
});
