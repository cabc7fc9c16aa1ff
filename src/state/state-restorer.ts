import { columnValue } from './column.js';
import { stateClassPrototype } from './state-classes.js';
import {
  checkedFields,
  classNameOf,
  ESCAPED_ARRAY,
  ESCAPED_STRING,
  EXTERNAL,
  MARK,
  type Shape,
  StateError,
  scratchAt,
  type Table,
  WIRED,
} from './state-format.js';

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
export class Restorer {
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

function isAccessor(object: object, key: string): boolean {
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  return descriptor !== undefined && descriptor.get !== undefined;
}
