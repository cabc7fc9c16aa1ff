import { deserialize, serialize } from 'node:v8';
import { CodedError } from '../util/coded-error.js';
import { ColumnWriter, columnValue, type WrittenColumn } from './column.js';
import { stateClassLayout, stateClassName, stateClassPrototype } from './state-classes.js';

/** Why a state snapshot could not be written or restored. */
export const STATE_ERROR_CODES = [
  /** An object whose class is not registered (`stateClass`) and has no counterpart to restore into. */
  'unregistered_class',
  /** An object holding functions with no counterpart in the fresh graph to keep them from. */
  'wired_object',
  /** A value a snapshot cannot hold (a symbol, a function in a collection, a WeakMap, ...). */
  'unsupported_value',
  /** A reference to an outside object the restoring side does not provide. */
  'unknown_external',
  /** The bytes are not a snapshot of this format (corrupt, or written by another version). */
  'corrupt',
  /**
   * Written at an older version of what the caller stores (its classes' fields may not be
   * today's): not migrated, refused before anything is restored.
   */
  'older_version',
  /** Written at a newer version than the restoring code knows (a downgrade). */
  'newer_version',
] as const;

export type StateErrorCode = (typeof STATE_ERROR_CODES)[number];

export class StateError extends CodedError<StateErrorCode> {
  override readonly name = 'StateError';
}

/** Version of the mirror layout below. */
const FORMAT = 2;

/*
 * The mirror written with node:v8: node:v8 keeps shared references and cycles, Maps, Sets, typed
 * arrays and Dates, but not classes, and it writes every property name of every object. So an
 * object (class instance or plain) is mirrored as an array: a marker string, then its field
 * values in the order of its shape (its class and field names, written once in a table).
 * Instances of a columnar class (`StateLayout`: the hundreds of thousands of reports waiting for
 * the watermark) are rows of one table per class, a column per field, and are referred to by a
 * token string `NUL table.row`. Markers and tokens start with NUL; a real string that does is
 * escaped, and so is a real array whose mirror starts with one.
 */
const MARK = '\u0000';
const EXTERNAL = '\u0000x';
const ESCAPED_ARRAY = '\u0000a';
const ESCAPED_STRING = '\u0000s';
/** Appended to a shape's class when functions were left out (only a fresh object can keep them). */
const WIRED = '!';
/** A shape: the class name (`~Name` unregistered, `` plain), then the field names. */
type Shape = string[];

/** The instances of one columnar class, as written. */
interface Table {
  readonly name: string;
  readonly keys: string[];
  /** Per key: an owned array of primitives, written flat into `items` with `counts`. */
  readonly lists: boolean[];
  /** Per key that is not a list: the values of every row. */
  readonly columns: (WrittenColumn | undefined)[];
  readonly counts: number[][];
  readonly items: unknown[][];
  readonly rows: number;
}

/** A table while it is written. */
interface TableWriter extends Omit<Table, 'columns' | 'rows'> {
  readonly columns: ColumnWriter[];
  rows: number;
}

interface Written {
  readonly format: number;
  /**
   * The caller's version of what it stores (`WORKER_STATE_VERSION`); 0 when it keeps none.
   * Absent from snapshots written before it was added (read as 0).
   */
  readonly version: number;
  readonly shapes: Shape[];
  readonly tables: Table[];
  readonly root: unknown;
}

/**
 * Writes the object graph under `root` (the fusion core, the worker's decoders and throttle) as
 * bytes. Class instances keep their class by its registered name (`stateClass`); functions
 * (wiring, not state) are left out; objects in `externals` (configuration, zones, output
 * callbacks) are written as their names only. `version` is the caller's version of what it
 * stores, written in the header: the field names below are its classes' own, so a renamed
 * field changes what the bytes mean, and `restoreState` refuses any other version.
 */
export function encodeState(
  root: object,
  externals: ReadonlyMap<object, string>,
  version = 0,
): Buffer {
  return new Encoder(externals).run(root, version);
}

/** One `encodeState`: the mirror of each object, the shapes and the columnar tables. */
class Encoder {
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

/**
 * Restores a graph written by `encodeState` into `target`, a freshly built counterpart of the
 * root (a new core with the same configuration). Objects are matched by path: where the fresh
 * graph has an object of the same class at the same place, the snapshot's state is written into
 * it (it keeps its functions and its identity, so other fresh objects that point at it stay
 * connected); elsewhere an instance of the registered class is created. `externals` gives the
 * outside objects by the names the writer used. A snapshot of another `version` than the
 * caller's is refused before anything is written into `target`.
 */
export function restoreState(
  bytes: Uint8Array,
  target: object,
  externals: ReadonlyMap<string, object>,
  version = 0,
): void {
  const written = readWritten(bytes);
  checkVersion(written.version, version);
  new Restorer(written.shapes, written.tables, externals).run(written.root, target);
}

/**
 * What a snapshot holds, without restoring it: the version it was written at, and the classes
 * of its objects with their fields, one line each (`Name: field, field`; `~Name` for a class not
 * registered, restored in place; `Name [columnar]` for rows), sorted (fields are restored by
 * name: their order is not part of the format). Plain objects are left out, their keys vary with
 * the data. Two snapshots with the same lines have the same format.
 */
export function stateLayout(bytes: Uint8Array): { version: number; classes: string[] } {
  const written = readWritten(bytes);
  const classes = new Set<string>();
  for (const [tag, ...keys] of written.shapes) {
    const name = tag!.endsWith(WIRED) ? tag!.slice(0, -1) : tag!;
    if (name !== '') classes.add(`${name}: ${keys.sort().join(', ')}`);
  }
  for (const table of written.tables) {
    classes.add(`${table.name} [columnar]: ${[...table.keys].sort().join(', ')}`);
  }
  return { version: written.version, classes: [...classes].sort() };
}

function readWritten(bytes: Uint8Array): Written {
  let written: Written;
  try {
    written = deserialize(bytes) as Written;
  } catch (error) {
    throw new StateError('corrupt', `The state snapshot cannot be read: ${String(error)}`, {
      cause: error,
    });
  }
  if (
    written?.format !== FORMAT ||
    !Array.isArray(written.shapes) ||
    !Array.isArray(written.tables) ||
    !(written.version === undefined || Number.isInteger(written.version))
  ) {
    throw new StateError('corrupt', `The bytes are not a state snapshot of format ${FORMAT}.`);
  }
  // Snapshots written before the header had a version: version 0.
  return written.version === undefined ? { ...written, version: 0 } : written;
}

function checkVersion(written: number, expected: number): void {
  if (written < expected) {
    throw new StateError(
      'older_version',
      `The state snapshot is of version ${written}, older than this code's ${expected}: its classes' fields may not be today's, and snapshots are not migrated.`,
    );
  }
  if (written > expected) {
    throw new StateError(
      'newer_version',
      `The state snapshot is of version ${written}, newer than this code's ${expected} (written by a later Tidewatch): it cannot be read here.`,
    );
  }
}

/** What a mirror stands for. */
type Decoded =
  | { kind: 'value' } // typed arrays, Dates: taken as deserialised
  | { kind: 'string'; value: unknown } // an escaped string
  | { kind: 'external'; name: unknown }
  | { kind: 'array'; from: number }
  | { kind: 'map' }
  | { kind: 'set' }
  | { kind: 'record'; shape: Shape };

const MAP: Decoded = { kind: 'map' };
const SET: Decoded = { kind: 'set' };
const VALUE: Decoded = { kind: 'value' };
const ARRAY: Decoded = { kind: 'array', from: 0 };
const ESCAPED: Decoded = { kind: 'array', from: 1 };

/** A paired or created object still to be filled from its mirror. */
interface Fill {
  readonly mirror: object;
  readonly real: object;
}

/**
 * One restore, in two passes. First the mirrors are paired with the fresh graph's objects by
 * path (fields, array indexes, map keys): the fresh graph is small, and pairing it first means a
 * core object (a detector, the track map) is found in place however the snapshot reaches it.
 * Then every mirror becomes a real object: its paired fresh object, written into, or a new
 * instance of its registered class.
 */
class Restorer {
  private readonly memo = new Map<object, unknown>();
  /** Fresh objects paired with a mirror (each with one at most). */
  private readonly paired = new Set<object>();
  private readonly work: Fill[] = [];
  private readonly tables: RestoredTable[];
  /**
   * Field values of the rows being written or read, by nesting depth: a row's field may be a row
   * of another columnar class, written or read in the middle of it.
   */
  private readonly scratch: unknown[][] = [];
  private depth = 0;
  /** The decoded form of each shape's records. */
  private readonly records: Decoded[];

  constructor(
    shapes: readonly Shape[],
    tables: readonly Table[],
    private readonly externals: ReadonlyMap<string, object>,
  ) {
    this.tables = tables.map((table) => restoredTable(table));
    this.records = shapes.map((shape) => ({ kind: 'record', shape }));
  }

  run(root: unknown, target: object): void {
    if (!this.pair(root, target)) {
      throw new StateError('corrupt', 'The state snapshot does not match the object to restore.');
    }
    this.pairBelow(root as object, target);
    for (let next = this.work.pop(); next !== undefined; next = this.work.pop()) this.fill(next);
  }

  /** What a mirror stands for (shared answers for the common kinds: no garbage per object). */
  private decode(mirror: object): Decoded {
    if (mirror instanceof Map) return MAP;
    if (mirror instanceof Set) return SET;
    if (!Array.isArray(mirror)) return VALUE;
    const first = mirror[0];
    if (typeof first !== 'string' || !first.startsWith(MARK)) return ARRAY;
    if (first === ESCAPED_ARRAY) return ESCAPED;
    if (first === ESCAPED_STRING) return { kind: 'string', value: mirror[1] };
    if (first === EXTERNAL) return { kind: 'external', name: mirror[1] };
    const decoded = this.records[Number(first.slice(1))];
    if (decoded === undefined) throw new StateError('corrupt', `Unknown shape ${first.slice(1)}.`);
    return decoded;
  }

  /** Pass 1: below a paired pair, pairs every mirror with the fresh object at its path. */
  private pairBelow(root: object, target: object): void {
    const stack: Fill[] = [{ mirror: root, real: target }];
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      const { mirror, real } = next;
      const visit = (m: unknown, fresh: unknown): void => {
        if (this.pair(m, fresh)) stack.push({ mirror: m as object, real: fresh as object });
      };
      const decoded = this.decode(mirror);
      if (decoded.kind === 'array') {
        const fresh = real as unknown[];
        const items = mirror as unknown[];
        for (let i = decoded.from; i < items.length && i - decoded.from < fresh.length; i++) {
          visit(items[i], fresh[i - decoded.from]);
        }
      } else if (decoded.kind === 'map') {
        const fresh = real as Map<unknown, unknown>;
        for (const [k, v] of mirror as Map<unknown, unknown>) {
          if (typeof k !== 'object') visit(v, fresh.get(k));
        }
      } else if (decoded.kind === 'record') {
        const fresh = real as Record<string, unknown>;
        const values = mirror as unknown[];
        const shape = decoded.shape;
        for (let i = 1; i < shape.length; i++) {
          const key = shape[i]!;
          if (key in fresh && !isAccessor(fresh, key)) visit(values[i], fresh[key]);
        }
      }
    }
  }

  /** Pairs a mirror with a fresh object when they are of the same kind (and class). */
  private pair(mirror: unknown, fresh: unknown): boolean {
    if (typeof mirror !== 'object' || mirror === null) return false;
    if (typeof fresh !== 'object' || fresh === null) return false;
    if (this.memo.has(mirror) || this.paired.has(fresh) || Object.isFrozen(fresh)) return false;
    const decoded = this.decode(mirror);
    let same: boolean;
    if (decoded.kind === 'array') same = Array.isArray(fresh);
    else if (decoded.kind === 'map') same = fresh instanceof Map;
    else if (decoded.kind === 'set') same = fresh instanceof Set;
    else if (decoded.kind === 'record') {
      const className = decoded.shape[0]!.replace(/!$/, '');
      const freshName = classNameOf(fresh) ?? '';
      same = !Array.isArray(fresh) && className === freshName;
    } else same = false;
    if (!same) return false;
    this.memo.set(mirror, fresh);
    this.paired.add(fresh);
    this.work.push({ mirror, real: fresh });
    return true;
  }

  /** Pass 2: the real object for `mirror` (paired, created, or an outside object). */
  private real(mirror: unknown): unknown {
    if (typeof mirror !== 'object' || mirror === null) {
      if (typeof mirror === 'string' && mirror.charCodeAt(0) === 0) return this.row(mirror);
      return mirror;
    }
    const known = this.memo.get(mirror);
    if (known !== undefined) return known;
    const decoded = this.decode(mirror);
    let real: object;
    switch (decoded.kind) {
      case 'string':
        return decoded.value;
      case 'value':
        this.memo.set(mirror, mirror);
        return mirror;
      case 'external': {
        const name = decoded.name;
        const object = typeof name === 'string' ? this.externals.get(name) : undefined;
        if (object === undefined) {
          throw new StateError('unknown_external', `The snapshot refers to ${String(name)}.`);
        }
        this.memo.set(mirror, object);
        return object;
      }
      case 'array':
        real = [];
        break;
      case 'map':
        real = new Map();
        break;
      case 'set':
        real = new Set();
        break;
      case 'record':
        real = create(decoded.shape[0]!);
        break;
    }
    this.memo.set(mirror, real);
    this.work.push({ mirror, real });
    return real;
  }

  /** The object of a columnar row token (`NUL table.row`), created on first use. */
  private row(token: string): object {
    const dot = token.indexOf('.');
    const table = this.tables[Number(token.slice(1, dot))];
    const index = Number(token.slice(dot + 1));
    if (table === undefined || !(index >= 0 && index < table.rows)) {
      throw new StateError('corrupt', `Unknown row ${JSON.stringify(token)}.`);
    }
    const known = table.objects[index];
    if (known !== undefined) return known;
    const object = Object.create(table.prototype) as object;
    table.objects[index] = object;
    const keys = table.keys;
    const values = scratchAt(this.scratch, this.depth++);
    for (let k = 0; k < keys.length; k++) {
      if (table.lists[k]) {
        const start = table.starts[k]![index]!;
        const end = start + table.counts[k]![index]!;
        const items = table.items[k]!;
        const list: unknown[] = [];
        for (let i = start; i < end; i++) list.push(this.real(items[i]));
        values[k] = list;
      } else values[k] = this.real(columnValue(table.columns[k]!, index));
    }
    this.depth--;
    table.write(object, values);
    return object;
  }

  private fill({ mirror, real }: Fill): void {
    const decoded = this.decode(mirror);
    if (decoded.kind === 'array') {
      const target = real as unknown[];
      const items = mirror as unknown[];
      target.length = items.length - decoded.from;
      for (let i = decoded.from; i < items.length; i++) {
        target[i - decoded.from] = this.real(items[i]);
      }
    } else if (decoded.kind === 'map') {
      const target = real as Map<unknown, unknown>;
      target.clear();
      for (const [k, v] of mirror as Map<unknown, unknown>) target.set(this.real(k), this.real(v));
    } else if (decoded.kind === 'set') {
      const target = real as Set<unknown>;
      target.clear();
      for (const v of mirror as Set<unknown>) target.add(this.real(v));
    } else if (decoded.kind === 'record') {
      const shape = decoded.shape;
      const values = mirror as unknown[];
      const target = real as Record<string, unknown>;
      const inPlace = this.paired.has(real);
      if (inPlace) {
        // Fields the snapshot does not have: data goes, wiring (functions, getters) stays.
        for (const key of Object.keys(target)) {
          if (shape.includes(key) || isAccessor(target, key)) continue;
          if (typeof target[key] !== 'function') delete target[key];
        }
      }
      for (let i = 1; i < shape.length; i++) {
        const key = shape[i]!;
        if (inPlace && isAccessor(target, key)) continue; // a getter of the fresh object
        target[key] = this.real(values[i]);
      }
    }
  }
}

/** A columnar table as read back: the class's prototype, list offsets, the objects made. */
interface RestoredTable extends Table {
  readonly prototype: object;
  /** Sets a row's fields from `values` (compiled: one named store per field, in order). */
  readonly write: (object: object, values: readonly unknown[]) => void;
  /** Per list key: where each row's items start. */
  readonly starts: (Int32Array | undefined)[];
  readonly objects: (object | undefined)[];
}

function restoredTable(table: Table): RestoredTable {
  const prototype = stateClassPrototype(table.name);
  if (prototype === undefined) {
    throw new StateError(
      'unregistered_class',
      `The snapshot holds ${table.name} rows, a class not registered with stateClass.`,
    );
  }
  const starts = table.lists.map((list, k) => {
    if (!list) return undefined;
    const counts = table.counts[k]!;
    const out = new Int32Array(counts.length);
    let at = 0;
    for (let i = 0; i < counts.length; i++) {
      out[i] = at;
      at += counts[i]!;
    }
    return out;
  });
  const write = fieldWriter(table.keys);
  return { ...table, prototype, write, starts, objects: new Array(table.rows) };
}

// A columnar class has hundreds of thousands of instances: a field read or written by a computed
// key is a slow keyed access each time, so each table gets a function with one named access per
// field. Field names come from the objects (checked to be plain identifiers), never from input.
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function checkedFields(keys: readonly string[]): readonly string[] {
  for (const key of keys) {
    if (!IDENTIFIER.test(key)) {
      throw new StateError('unsupported_value', `A columnar field is not an identifier: ${key}.`);
    }
  }
  return keys;
}

function fieldReader(keys: readonly string[]): (object: object, out: unknown[]) => void {
  const body = checkedFields(keys)
    .map((key, i) => `out[${i}] = o.${key};`)
    .join('\n');
  return new Function('o', 'out', body) as (object: object, out: unknown[]) => void;
}

function fieldWriter(
  keys: readonly string[],
): (object: object, values: readonly unknown[]) => void {
  const body = checkedFields(keys)
    .map((key, i) => `o.${key} = values[${i}];`)
    .join('\n');
  return new Function('o', 'values', body) as (object: object, values: readonly unknown[]) => void;
}

/** A new instance for a record of class `tag` with no fresh counterpart. */
function create(tag: string): object {
  if (tag === '') return {};
  const className = tag.endsWith(WIRED) ? tag.slice(0, -1) : tag;
  if (tag.endsWith(WIRED)) {
    throw new StateError(
      'wired_object',
      `A ${className.replace(/^~/, '') || 'plain object'} in the snapshot holds functions and has no counterpart in the fresh state to keep them from.`,
    );
  }
  const prototype = className.startsWith('~') ? undefined : stateClassPrototype(className);
  if (prototype === undefined) {
    throw new StateError(
      'unregistered_class',
      `The snapshot holds a ${className.replace(/^~/, '')}, a class not registered with stateClass.`,
    );
  }
  return Object.create(prototype) as object;
}

/** The shape name of an object's class: registered name, `~Name` unregistered, undefined plain. */
function classNameOf(value: object): string | undefined {
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype === null || prototype === Object.prototype) return undefined;
  return stateClassName(prototype) ?? `~${prototype.constructor?.name ?? '?'}`;
}

function isAccessor(object: object, key: string): boolean {
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  return descriptor !== undefined && descriptor.get !== undefined;
}

function kindName(value: object): string {
  return (Object.getPrototypeOf(value) as object | null)?.constructor?.name ?? 'object';
}

/** The scratch array of nesting depth `depth` (state rows within rows), made on first use. */
function scratchAt(scratch: unknown[][], depth: number): unknown[] {
  let values = scratch[depth];
  if (values === undefined) {
    values = [];
    scratch[depth] = values;
  }
  return values;
}
