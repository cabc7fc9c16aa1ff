import { serialize } from 'node:v8';
import { ColumnWriter } from './column.js';
import { stateClassLayout, stateClassName } from './state-classes.js';
import {
  classNameOf,
  ESCAPED_ARRAY,
  ESCAPED_STRING,
  EXTERNAL,
  FORMAT,
  fieldReader,
  MARK,
  type Shape,
  StateError,
  scratchAt,
  type Table,
  type TableWriter,
  WIRED,
  type Written,
} from './state-format.js';

/** One `encodeState`: the mirror of each object, the shapes and the columnar tables. */
export class Encoder {
  private readonly memo = new Map<object, unknown>();
  private readonly work: [object, unknown][] = [];
  private readonly shapes: Shape[] = [];
  private readonly shapesByPrototype = new Map<object | null, { id: number; keys: string[] }[]>();
  private readonly tables: TableWriter[] = [];
  private readonly tablesByPrototype = new Map<object | null, number>();
  /** Per table: reads a row's fields into `scratch` (compiled: one named load per field). */
  private readonly readers: ((object: object, out: unknown[]) => void)[] = [];
  /**
   * Field values of the rows being written or read, by nesting depth: a row's field may be a row
   * of another columnar class, written or read in the middle of it.
   */
  private readonly scratch: unknown[][] = [];
  private depth = 0;

  constructor(private readonly externals: ReadonlyMap<object, string>) {}

  run(root: object, version: number): Buffer {
    const top = this.mirror(root);
    const work = this.work;
    for (let next = work.pop(); next !== undefined; next = work.pop()) {
      const [value, out] = next;
      if (Array.isArray(value)) this.fillArray(value, out as unknown[]);
      else if (value instanceof Map) {
        const target = out as Map<unknown, unknown>;
        for (const [k, v] of value) target.set(this.element(k), this.element(v));
      } else if (value instanceof Set) {
        const target = out as Set<unknown>;
        for (const v of value) target.add(this.element(v));
      } else this.fillRecord(value, out as unknown[]);
    }
    const tables = this.tables.map(
      (table): Table => ({
        ...table,
        columns: table.columns.map((column, k) => (table.lists[k] ? undefined : column.written())),
      }),
    );
    const written: Written = { format: FORMAT, version, shapes: this.shapes, tables, root: top };
    return serialize(written);
  }

  private mirror(value: unknown): unknown {
    if (typeof value !== 'object' || value === null) return mirrorPrimitive(value);
    const known = this.memo.get(value);
    if (known !== undefined) return known;
    const table = this.tableOf(value);
    if (table >= 0) {
      // Set before the row is written: a field pointing back at the object gets its token.
      const token = `${MARK}${table}.${this.tables[table]!.rows}`;
      this.memo.set(value, token);
      this.row(table, value);
      return token;
    }
    const external = this.externals.get(value);
    let out: unknown;
    if (external !== undefined) out = [EXTERNAL, external];
    else if (Array.isArray(value)) out = [];
    else if (value instanceof Map) out = new Map();
    else if (value instanceof Set) out = new Set();
    else if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof Date) {
      out = value; // node:v8 writes these itself
    } else if (value instanceof WeakMap || value instanceof WeakSet || value instanceof Promise) {
      throw new StateError('unsupported_value', `A snapshot cannot hold a ${kindName(value)}.`);
    } else out = [];
    this.memo.set(value, out);
    if (out !== value && external === undefined) this.work.push([value, out]);
    return out;
  }

  /** An element of an array, Map or Set (no functions there: they are wiring only in fields). */
  private element(value: unknown): unknown {
    if (typeof value === 'function') {
      throw new StateError(
        'unsupported_value',
        'A snapshot cannot hold a function in a collection.',
      );
    }
    return this.mirror(value);
  }

  private fillArray(value: readonly unknown[], target: unknown[]): void {
    if (value.length === 0) return;
    const first = this.element(value[0]);
    if (typeof first === 'string' && first.startsWith(MARK)) target.push(ESCAPED_ARRAY);
    target.push(first);
    for (let i = 1; i < value.length; i++) target.push(this.element(value[i]));
  }

  private fillRecord(value: object, target: unknown[]): void {
    const record = value as Record<string, unknown>;
    const keys: string[] = [];
    const values: unknown[] = [];
    let wired = false;
    for (const key of Object.keys(record)) {
      const v = record[key];
      if (typeof v === 'function') wired = true;
      else {
        keys.push(key);
        values.push(v);
      }
    }
    target.push(MARK + this.shapeOf(value, keys, wired));
    for (const v of values) target.push(this.mirror(v));
  }

  private shapeOf(value: object, keys: string[], wired: boolean): number {
    const prototype = Object.getPrototypeOf(value) as object | null;
    let known = this.shapesByPrototype.get(prototype);
    if (known === undefined) {
      known = [];
      this.shapesByPrototype.set(prototype, known);
    }
    for (const shape of known) if (sameKeys(shape.keys, keys)) return shape.id;
    const id = this.shapes.length;
    this.shapes.push([(classNameOf(value) ?? '') + (wired ? WIRED : ''), ...keys]);
    known.push({ id, keys });
    return id;
  }

  /** The table of `value`'s class when it is columnar, else -1. */
  private tableOf(value: object): number {
    const prototype = Object.getPrototypeOf(value) as object | null;
    let id = this.tablesByPrototype.get(prototype);
    if (id === undefined) {
      const name = prototype === null ? undefined : stateClassName(prototype);
      const layout = name === undefined ? undefined : stateClassLayout(name);
      id = -1;
      if (name !== undefined && layout?.columnar === true) {
        const keys = Object.keys(value);
        id = this.tables.length;
        this.readers.push(fieldReader(keys));
        this.tables.push({
          name,
          keys,
          lists: keys.map((key) => layout.lists?.includes(key) ?? false),
          columns: keys.map(() => new ColumnWriter()),
          counts: keys.map(() => []),
          items: keys.map(() => []),
          rows: 0,
        });
      }
      this.tablesByPrototype.set(prototype, id);
    }
    return id;
  }

  /** Writes `value` as the next row of table `id`. */
  private row(id: number, value: object): void {
    const table = this.tables[id]!;
    const keys = table.keys;
    const values = scratchAt(this.scratch, this.depth++);
    this.readers[id]!(value, values);
    for (let k = 0; k < keys.length; k++) {
      const v = values[k];
      if (table.lists[k]) {
        if (!Array.isArray(v)) {
          throw new StateError('unsupported_value', `${table.name}.${keys[k]} is not a list.`);
        }
        table.counts[k]!.push(v.length);
        const items = table.items[k]!;
        for (const item of v) {
          if (typeof item === 'object' && item !== null) {
            throw new StateError('unsupported_value', `${table.name}.${keys[k]} holds an object.`);
          }
          items.push(mirrorPrimitive(item));
        }
      } else {
        if (typeof v === 'function') {
          throw new StateError('unsupported_value', `${table.name}.${keys[k]} is a function.`);
        }
        table.columns[k]!.push(this.mirror(v));
      }
    }
    this.depth--;
    table.rows++;
  }
}

/** A primitive as written: a string that starts with NUL is escaped (NUL starts markers). */
function mirrorPrimitive(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.charCodeAt(0) === 0 ? [ESCAPED_STRING, value] : value;
  }
  if (typeof value === 'symbol' || typeof value === 'function') {
    throw new StateError('unsupported_value', `A snapshot cannot hold a ${typeof value}.`);
  }
  return value;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function kindName(value: object): string {
  return (Object.getPrototypeOf(value) as object | null)?.constructor?.name ?? 'object';
}
