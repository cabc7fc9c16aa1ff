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

const prototypes = new Map<string, object>();
const names = new Map<object, string>();

/** Registers `type`'s instances under `name` (unique, stable across versions). */
export function stateClass(name: string, type: Constructor): void {
  const prototype = type.prototype as object;
  const known = prototypes.get(name);
  if (known !== undefined && known !== prototype) {
    throw new Error(`State class name ${name} is registered twice.`);
  }
  prototypes.set(name, prototype);
  names.set(prototype, name);
}

/** The registered name of an object's class, or undefined. */
export function stateClassName(prototype: object): string | undefined {
  return names.get(prototype);
}

/** The prototype registered under `name`, or undefined. */
export function stateClassPrototype(name: string): object | undefined {
  return prototypes.get(name);
}
