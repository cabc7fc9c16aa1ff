import { describe, expect, it } from 'vitest';
import { ColumnWriter, columnValue } from '../../src/state/column.js';

function written(values: readonly unknown[]) {
  const column = new ColumnWriter();
  for (const value of values) column.push(value);
  return column.written();
}

describe('ColumnWriter', () => {
  it('keeps numbers and absent values in a typed array, exactly', () => {
    const values = [1.5, undefined, -0, Number.NaN, 1.7e12, Number.NEGATIVE_INFINITY];
    const column = written(values);
    expect('numbers' in column).toBe(true);
    const back = values.map((_, i) => columnValue(column, i));
    expect(back).toEqual(values);
    expect(Object.is(back[2], -0)).toBe(true);
  });

  it('grows past its first capacity', () => {
    const values = Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? undefined : i * 0.5));
    const column = written(values);
    expect(values.map((_, i) => columnValue(column, i))).toEqual(values);
  });

  it('moves every row to a plain array when another kind of value comes', () => {
    const values = [1, undefined, 'station', 2, ['mirror']];
    const column = written(values);
    expect('values' in column).toBe(true);
    expect(values.map((_, i) => columnValue(column, i))).toEqual(values);
  });
});
