import { deserialize } from 'node:v8';
import { Encoder } from './state-encoder.js';
import { FORMAT, StateError, WIRED, type Written } from './state-format.js';
import { Restorer } from './state-restorer.js';

export { STATE_ERROR_CODES, StateError, type StateErrorCode } from './state-format.js';

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
