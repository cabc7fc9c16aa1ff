import { CodedError } from '../util/coded-error.js';
import type { ColumnWriter, WrittenColumn } from './column.js';
import { stateClassName } from './state-classes.js';

/*
 * The state snapshot format shared by its writer (state-encoder.ts) and reader
 * (state-restorer.ts); state-graph.ts is the entry: encodeState, restoreState, stateLayout.
 */

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
export const FORMAT = 2;

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
export const MARK = '\u0000';
export const EXTERNAL = '\u0000x';
export const ESCAPED_ARRAY = '\u0000a';
export const ESCAPED_STRING = '\u0000s';
/** Appended to a shape's class when functions were left out (only a fresh object can keep them). */
export const WIRED = '!';
/** A shape: the class name (`~Name` unregistered, `` plain), then the field names. */
export type Shape = string[];

/** The instances of one columnar class, as written. */
export interface Table {
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
export interface TableWriter extends Omit<Table, 'columns' | 'rows'> {
  readonly columns: ColumnWriter[];
  rows: number;
}

export interface Written {
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

// A columnar class has hundreds of thousands of instances: a field read or written by a computed
// key is a slow keyed access each time, so each table gets a function with one named access per
// field. Field names come from the objects (checked to be plain identifiers), never from input.
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function checkedFields(keys: readonly string[]): readonly string[] {
  for (const key of keys) {
    if (!IDENTIFIER.test(key)) {
      throw new StateError('unsupported_value', `A columnar field is not an identifier: ${key}.`);
    }
  }
  return keys;
}

export function fieldReader(keys: readonly string[]): (object: object, out: unknown[]) => void {
  const body = checkedFields(keys)
    .map((key, i) => `out[${i}] = o.${key};`)
    .join('\n');
  return new Function('o', 'out', body) as (object: object, out: unknown[]) => void;
}

/** The shape name of an object's class: registered name, `~Name` unregistered, undefined plain. */
export function classNameOf(value: object): string | undefined {
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype === null || prototype === Object.prototype) return undefined;
  return stateClassName(prototype) ?? `~${prototype.constructor?.name ?? '?'}`;
}

/** The scratch array of nesting depth `depth` (state rows within rows), made on first use. */
export function scratchAt(scratch: unknown[][], depth: number): unknown[] {
  let values = scratch[depth];
  if (values === undefined) {
    values = [];
    scratch[depth] = values;
  }
  return values;
}
