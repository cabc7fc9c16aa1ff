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
  return new LookupGrid(items, {
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

  it('lists each cell exactly as a check of every box against the cell and its margins', () => {
    // The plain model: a cell lists the boxes meeting it grown by the margins, in id order,
    // unless more than maxPerCell do (crowded). Boxes of every size, some on cell lines.
    // Over 100 × 50 in 200 cells, the cells are 5 × 5: boxes on the 2.5 lattice, some nudged
    // by less than the margins (5e-6), often end on or just past a cell line.
    const random = seededRandom(31);
    const items: Item[] = [
      { minX: 0, minY: 0, maxX: 0, maxY: 0, id: 0 },
      { minX: 100, minY: 50, maxX: 100, maxY: 50, id: 1 },
    ];
    for (let id = 2; id < 300; id++) {
      const nudge = random() < 0.5 ? (random() - 0.5) * 4e-6 : 0;
      const x = Math.floor(random() * 36) * 2.5 + nudge;
      const y = Math.floor(random() * 16) * 2.5 - nudge;
      const size = id % 50 === 0 ? 10 : Math.floor(random() * 4) * 2.5;
      items.push({ minX: x, minY: y, maxX: x + size, maxY: y + size / 2, id });
    }
    const g = grid(items, 200, 12);
    expect([g.columns, g.rows]).toEqual([20, 10]);
    const wrong: number[] = [];
    let crowdedCells = 0;
    for (let j = 0; j < g.rows; j++) {
      for (let i = 0; i < g.columns; i++) {
        const cell = j * g.columns + i;
        const x0 = g.minX + i * g.cellWidth - g.marginX;
        const x1 = g.minX + (i + 1) * g.cellWidth + g.marginX;
        const y0 = g.minY + j * g.cellHeight - g.marginY;
        const y1 = g.minY + (j + 1) * g.cellHeight + g.marginY;
        const meeting = items
          .filter((b) => b.minX <= x1 && b.maxX >= x0 && b.minY <= y1 && b.maxY >= y0)
          .map((b) => b.id);
        const crowded = meeting.length > 12;
        if (crowded) crowdedCells++;
        const list = g.items.slice(g.start[cell]!, g.start[cell + 1]!).map((b) => b.id);
        if ((g.crowded[cell] === 1) !== crowded) wrong.push(cell);
        else if (list.join() !== (crowded ? '' : meeting.join())) wrong.push(cell);
      }
    }
    expect(wrong).toEqual([]);
    expect(crowdedCells).toBeGreaterThan(0);
    expect(crowdedCells).toBeLessThan(g.rows * g.columns);
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
