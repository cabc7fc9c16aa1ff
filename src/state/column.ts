/**
 * One field of a columnar state table (src/state/state-graph.ts), as written: numbers (and
 * absent values) in a Float64Array with a presence byte per row — node:v8 writes typed arrays as
 * raw bytes, while an array of doubles costs a heap number per value — and anything else as a
 * plain array of mirrored values.
 */
export type WrittenColumn =
  | { readonly numbers: Float64Array; readonly present: Uint8Array }
  | { readonly values: unknown[] };

/** Collects one field's values, row by row. */
export class ColumnWriter {
  private numbers = new Float64Array(1024);
  private present = new Uint8Array(1024);
  /** Set once a value is neither a number nor undefined: every row then lives here. */
  private values: unknown[] | undefined = undefined;
  private rows = 0;

  push(value: unknown): void {
    const values = this.values;
    if (values !== undefined) {
      values.push(value);
      return;
    }
    if (typeof value === 'number' || value === undefined) {
      const row = this.rows++;
      if (row === this.numbers.length) this.grow();
      if (value !== undefined) {
        this.numbers[row] = value;
        this.present[row] = 1;
      }
      return;
    }
    // Another kind of value: the rows so far move to a plain array.
    const moved: unknown[] = new Array(this.rows);
    for (let i = 0; i < this.rows; i++) moved[i] = this.present[i] ? this.numbers[i] : undefined;
    moved.push(value);
    this.values = moved;
  }

  written(): WrittenColumn {
    if (this.values !== undefined) return { values: this.values };
    return { numbers: this.numbers.slice(0, this.rows), present: this.present.slice(0, this.rows) };
  }

  private grow(): void {
    const numbers = new Float64Array(this.numbers.length * 2);
    numbers.set(this.numbers);
    const present = new Uint8Array(this.present.length * 2);
    present.set(this.present);
    this.numbers = numbers;
    this.present = present;
  }
}

/** Row `i` of a written column (a mirror, for anything but numbers and absent values). */
export function columnValue(column: WrittenColumn, i: number): unknown {
  if ('values' in column) return column.values[i];
  return column.present[i] ? column.numbers[i] : undefined;
}
