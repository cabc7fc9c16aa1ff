import { deserialize, serialize } from 'node:v8';
import { CodedError } from '../util/coded-error.js';
import { stateClassName, stateClassPrototype } from './state-classes.js';

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
] as const;

export type StateErrorCode = (typeof STATE_ERROR_CODES)[number];

export class StateError extends CodedError<StateErrorCode> {
  override readonly name = 'StateError';
}

/** Version of the mirror layout below. */
const FORMAT = 1;

/*
 * The mirror written with node:v8: node:v8 keeps shared references and cycles, Maps, Sets, typed
 * arrays and Dates, but not classes, and it writes every property name of every object. So an
 * object (class instance or plain) is mirrored as an array: a marker string, then its field
 * values in the order of its shape (its class and field names, written once in a table). Marker
 * strings start with NUL, which no field name or AIS text has; a real array that starts with
 * such a string is escaped.
 */
const MARK = '\u0000';
const EXTERNAL = '\u0000x';
const ESCAPED_ARRAY = '\u0000a';
/** Appended to a shape's class when functions were left out (only a fresh object can keep them). */
const WIRED = '!';
/** A shape: the class name (`~Name` unregistered, `` plain), then the field names. */
type Shape = string[];

interface Written {
  readonly format: number;
  readonly shapes: Shape[];
  readonly root: unknown;
}

/**
 * Writes the object graph under `root` (the fusion core, the worker's decoders and throttle) as
 * bytes. Class instances keep their class by its registered name (`stateClass`); functions
 * (wiring, not state) are left out; objects in `externals` (configuration, zones, output
 * callbacks) are written as their names only.
 */
export function encodeState(root: object, externals: ReadonlyMap<object, string>): Buffer {
  const memo = new Map<object, unknown>();
  const work: [object, unknown][] = [];
  const shapes: Shape[] = [];
  const shapesByPrototype = new Map<object | null, { id: number; keys: string[] }[]>();

  const shapeOf = (value: object, keys: string[], wired: boolean): number => {
    const prototype = Object.getPrototypeOf(value) as object | null;
    let known = shapesByPrototype.get(prototype);
    if (known === undefined) {
      known = [];
      shapesByPrototype.set(prototype, known);
    }
    for (const shape of known) if (sameKeys(shape.keys, keys)) return shape.id;
    const id = shapes.length;
    shapes.push([(classNameOf(value) ?? '') + (wired ? WIRED : ''), ...keys]);
    known.push({ id, keys });
    return id;
  };

  const mirror = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) {
      if (typeof value === 'symbol' || typeof value === 'function') {
        throw new StateError('unsupported_value', `A snapshot cannot hold a ${typeof value}.`);
      }
      return value;
    }
    const known = memo.get(value);
    if (known !== undefined) return known;
    const external = externals.get(value);
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
    memo.set(value, out);
    if (out !== value && external === undefined) work.push([value, out]);
    return out;
  };

  const top = mirror(root);
  for (let next = work.pop(); next !== undefined; next = work.pop()) {
    const [value, out] = next;
    if (Array.isArray(value)) {
      const target = out as unknown[];
      const first = value[0];
      if (typeof first === 'string' && first.startsWith(MARK)) target.push(ESCAPED_ARRAY);
      for (let i = 0; i < value.length; i++) target.push(mirrorElement(value[i], mirror));
    } else if (value instanceof Map) {
      const target = out as Map<unknown, unknown>;
      for (const [k, v] of value) target.set(mirrorElement(k, mirror), mirrorElement(v, mirror));
    } else if (value instanceof Set) {
      const target = out as Set<unknown>;
      for (const v of value) target.add(mirrorElement(v, mirror));
    } else {
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
      const target = out as unknown[];
      target.push(MARK + shapeOf(value, keys, wired));
      for (const v of values) target.push(mirror(v));
    }
  }
  const written: Written = { format: FORMAT, shapes, root: top };
  return serialize(written);
}

function mirrorElement(value: unknown, mirror: (value: unknown) => unknown): unknown {
  if (typeof value === 'function') {
    throw new StateError('unsupported_value', 'A snapshot cannot hold a function in a collection.');
  }
  return mirror(value);
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
 * outside objects by the names the writer used.
 */
export function restoreState(
  bytes: Uint8Array,
  target: object,
  externals: ReadonlyMap<string, object>,
): void {
  let written: Written;
  try {
    written = deserialize(bytes) as Written;
  } catch (error) {
    throw new StateError('corrupt', `The state snapshot cannot be read: ${String(error)}`, {
      cause: error,
    });
  }
  if (written?.format !== FORMAT || !Array.isArray(written.shapes)) {
    throw new StateError('corrupt', `The bytes are not a state snapshot of format ${FORMAT}.`);
  }
  new Restorer(written.shapes, externals).run(written.root, target);
}

/** What a mirror stands for. */
type Decoded =
  | { kind: 'value' } // primitives, typed arrays, Dates: taken as deserialised
  | { kind: 'external'; name: unknown }
  | { kind: 'array'; from: number }
  | { kind: 'map' }
  | { kind: 'set' }
  | { kind: 'record'; shape: Shape };

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

  constructor(
    private readonly shapes: readonly Shape[],
    private readonly externals: ReadonlyMap<string, object>,
  ) {}

  run(root: unknown, target: object): void {
    if (!this.pair(root, target)) {
      throw new StateError('corrupt', 'The state snapshot does not match the object to restore.');
    }
    this.pairBelow(root as object, target);
    for (let next = this.work.pop(); next !== undefined; next = this.work.pop()) this.fill(next);
  }

  private decode(mirror: object): Decoded {
    if (mirror instanceof Map) return { kind: 'map' };
    if (mirror instanceof Set) return { kind: 'set' };
    if (!Array.isArray(mirror)) return { kind: 'value' };
    const first = mirror[0];
    if (typeof first !== 'string' || !first.startsWith(MARK)) return { kind: 'array', from: 0 };
    if (first === ESCAPED_ARRAY) return { kind: 'array', from: 1 };
    if (first === EXTERNAL) return { kind: 'external', name: mirror[1] };
    const shape = this.shapes[Number(first.slice(1))];
    if (shape === undefined) throw new StateError('corrupt', `Unknown shape ${first.slice(1)}.`);
    return { kind: 'record', shape };
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
    if (typeof mirror !== 'object' || mirror === null) return mirror;
    const known = this.memo.get(mirror);
    if (known !== undefined) return known;
    const decoded = this.decode(mirror);
    let real: object;
    switch (decoded.kind) {
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
