/**
 * The outside objects of a state snapshot (src/state/state-graph.ts): configuration, zones, output
 * callbacks. A snapshot refers to them by name instead of holding them; the restoring side names
 * its own (the same configuration, the same zones, its own outputs).
 */
export class StateExternals {
  readonly byObject = new Map<object, string>();
  readonly byName = new Map<string, object>();

  /**
   * Adds `value` under `name`. With `deep`, every plain object and array inside it too (a
   * configuration's sections, which detectors keep a reference to), named by path.
   */
  add(name: string, value: object | undefined, options: { deep?: boolean } = {}): this {
    if (value === undefined) return this;
    const stack: [string, object][] = [[name, value]];
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      const [path, object] = next;
      if (this.byObject.has(object)) continue;
      if (this.byName.has(path)) throw new Error(`State external ${path} is named twice.`);
      this.byObject.set(object, path);
      this.byName.set(path, object);
      if (!options.deep) continue;
      for (const [key, child] of Object.entries(object)) {
        if (typeof child !== 'object' || child === null) continue;
        const prototype = Object.getPrototypeOf(child) as object | null;
        if (Array.isArray(child) || prototype === Object.prototype) {
          stack.push([`${path}.${key}`, child]);
        }
      }
    }
    return this;
  }
}
