/**
 * The classes whose instances a state snapshot may create (src/state/state-graph.ts). A snapshot
 * stores an object's class by the name registered here and restores it with that prototype, so
 * every class the core creates while it runs (a vessel's track, a detector's per-vessel state, a
 * queued report) registers itself next to its definition. Objects built once with the core (the
 * core, its detectors, its queues) need no entry: they are restored in place, into a freshly
 * built core, and keep the functions their constructors wired.
 */

// biome-ignore lint/suspicious/noExplicitAny: any constructor, whatever its parameters
type Constructor = abstract new (...args: any[]) => unknown;

/**
 * How a class's instances are written. Columnar classes (many small instances, never shared
 * state with functions: a queued report) are written as one column per field instead of one
 * record each; `lists` names fields holding an array of primitives owned by the instance (a
 * report's stations), written flat.
 */
export interface StateLayout {
  readonly columnar?: boolean;
  readonly lists?: readonly string[];
}

interface Registered {
  readonly prototype: object;
  readonly layout: StateLayout;
}

const byName = new Map<string, Registered>();
const names = new Map<object, string>();

/** Registers `type`'s instances under `name` (unique, stable across versions). */
export function stateClass(name: string, type: Constructor, layout: StateLayout = {}): void {
  const prototype = type.prototype as object;
  const known = byName.get(name);
  if (known !== undefined && known.prototype !== prototype) {
    throw new Error(`State class name ${name} is registered twice.`);
  }
  byName.set(name, { prototype, layout });
  names.set(prototype, name);
}

/** The registered name of an object's class, or undefined. */
export function stateClassName(prototype: object): string | undefined {
  return names.get(prototype);
}

/** The prototype registered under `name`, or undefined. */
export function stateClassPrototype(name: string): object | undefined {
  return byName.get(name)?.prototype;
}

/** How instances of the class registered under `name` are written. */
export function stateClassLayout(name: string): StateLayout | undefined {
  return byName.get(name)?.layout;
}
