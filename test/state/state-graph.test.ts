import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { stateClass } from '../../src/state/state-classes.js';
import { StateExternals } from '../../src/state/state-externals.js';
import { encodeState, restoreState, StateError, stateLayout } from '../../src/state/state-graph.js';

class Node {
  next: Node | undefined = undefined;
  constructor(public value: number) {}
  doubled(): number {
    return this.value * 2;
  }
}
stateClass('test.Node', Node);

/** Many small instances, written as columns. */
class Row {
  constructor(
    public time: number,
    public readonly tags: string[],
    public extra: { note: string } | undefined,
    public owner: Node | undefined,
  ) {}
}
stateClass('test.Row', Row, { columnar: true, lists: ['tags'] });

/** A columnar row whose field is a row of another columnar class (a report and its fields). */
class Outer {
  constructor(
    public time: number,
    public readonly inner: Row,
    public readonly stations: string[],
    public after: number,
  ) {}
}
stateClass('test.Outer', Outer, { columnar: true, lists: ['stations'] });

class Unregistered {
  value = 1;
}

/** Built once, like the core: holds a function and a counter; restored in place. */
class Owner {
  readonly nodes = new Map<number, Node>();
  readonly list: Node[] = [];
  counter = 0;
  readonly onEvent: () => number;
  readonly bytes = new Float64Array(4);
  constructor(readonly config: { limit: number }) {
    this.onEvent = () => this.counter;
  }
}

function roundTrip<T extends object>(root: T, fresh: T, externals = new StateExternals()): T {
  restoreState(encodeState(root, externals.byObject), fresh, externals.byName);
  return fresh;
}

describe('encodeState / restoreState', () => {
  it('restores state into the fresh object, keeping its functions, sharing and cycles', () => {
    const config = { limit: 5 };
    const externals = new StateExternals().add('config', config, { deep: true });
    const owner = new Owner(config);
    const a = new Node(1);
    const b = new Node(2);
    a.next = b;
    b.next = a; // a cycle
    owner.nodes.set(1, a).set(2, b);
    owner.list.push(b, a, b); // shared references
    owner.counter = 42;
    owner.bytes.set([1.5, Number.NaN, Number.NEGATIVE_INFINITY, -0]);

    const fresh = new Owner(config);
    const wiring = fresh.onEvent;
    roundTrip(owner, fresh, externals);

    expect(fresh.onEvent).toBe(wiring);
    expect(fresh.onEvent()).toBe(42);
    expect(fresh.config).toBe(config);
    const ra = fresh.nodes.get(1)!;
    const rb = fresh.nodes.get(2)!;
    expect(ra).toBeInstanceOf(Node);
    expect(ra.doubled()).toBe(2);
    expect(ra.next).toBe(rb);
    expect(rb.next).toBe(ra);
    expect(fresh.list[0]).toBe(rb);
    expect(fresh.list[1]).toBe(ra);
    expect(fresh.list[2]).toBe(rb);
    expect([...fresh.bytes]).toEqual([1.5, Number.NaN, Number.NEGATIVE_INFINITY, -0]);
    expect(ra).not.toBe(a); // a copy, not the original
  });

  it('keeps undefined, NaN, arrays with holes, Sets and nested plain objects', () => {
    const holes: (number | undefined)[] = [1];
    holes[2] = 3;
    const root = {
      a: undefined as number | undefined,
      b: Number.NaN,
      c: holes,
      d: new Set(['x', 'y']),
      e: { f: { g: 'h' } },
    };
    const fresh = {
      a: 1 as number | undefined,
      b: 0,
      c: [] as (number | undefined)[],
      d: new Set<string>(),
      e: { f: { g: '' } },
    };
    const freshSet = fresh.d;
    roundTrip(root, fresh);
    expect(fresh.a).toBeUndefined();
    expect(fresh.b).toBeNaN();
    expect(fresh.c).toHaveLength(3);
    expect(fresh.c[2]).toBe(3);
    expect(fresh.d).toBe(freshSet);
    expect([...fresh.d]).toEqual(['x', 'y']);
    expect(fresh.e.f.g).toBe('h');
  });

  it('writes outside objects as names and restores them from the restoring side', () => {
    const zonesA = { name: 'zones of the writer' };
    const zonesB = { name: 'zones of the reader' };
    const root = { zones: zonesA, other: zonesA };
    const fresh = {
      zones: undefined as object | undefined,
      other: undefined as object | undefined,
    };
    restoreState(
      encodeState(root, new StateExternals().add('zones', zonesA).byObject),
      fresh,
      new StateExternals().add('zones', zonesB).byName,
    );
    expect(fresh.zones).toBe(zonesB);
    expect(fresh.other).toBe(zonesB);
    expect(zonesB.name).toBe('zones of the reader');
    expect(() =>
      restoreState(
        encodeState(root, new StateExternals().add('zones', zonesA).byObject),
        { zones: undefined },
        new Map(),
      ),
    ).toThrow(expect.objectContaining({ code: 'unknown_external' }));
  });

  it('refuses a class that is not registered, unless the fresh graph has one in place', () => {
    const root = { item: new Unregistered() };
    const bytes = encodeState(root, new Map());
    expect(() => restoreState(bytes, { item: undefined }, new Map())).toThrow(StateError);
    expect(() => restoreState(bytes, { item: undefined }, new Map())).toThrow(/Unregistered/);
    const fresh = { item: new Unregistered() };
    const inPlace = fresh.item;
    root.item.value = 7;
    restoreState(encodeState(root, new Map()), fresh, new Map());
    expect(fresh.item).toBe(inPlace);
    expect(fresh.item.value).toBe(7);
  });

  it('refuses to create an object whose functions only its constructor could wire', () => {
    const config = { limit: 1 };
    const externals = new StateExternals().add('config', config);
    const root = { owners: [new Owner(config)] };
    const bytes = encodeState(root, externals.byObject);
    expect(() => restoreState(bytes, { owners: [] }, externals.byName)).toThrow(
      expect.objectContaining({ code: 'wired_object' }),
    );
  });

  it('keeps arrays that start with a marker-like string apart from objects', () => {
    const root = { lines: ['\u00000', 'x'], external: ['\u0000x', 'config'] };
    const fresh = { lines: [] as string[], external: [] as string[] };
    roundTrip(root, fresh);
    expect(fresh.lines).toEqual(['\u00000', 'x']);
    expect(fresh.external).toEqual(['\u0000x', 'config']);
  });

  it('writes columnar classes as rows: shared rows stay shared, lists and fields intact', () => {
    const node = new Node(5);
    const a = new Row(1.5, ['s1', '\u0000odd'], undefined, node);
    const b = new Row(Number.NaN, [], { note: '\u0000also odd' }, undefined);
    const root = { queue: [a, b, a], byTime: new Map([[1, a]]), node, label: '\u0000x' };
    const fresh = {
      queue: [] as Row[],
      byTime: new Map<number, Row>(),
      node: undefined as Node | undefined,
      label: '',
    };
    roundTrip(root, fresh);
    const [ra, rb, again] = fresh.queue;
    expect(ra).toBeInstanceOf(Row);
    expect(again).toBe(ra);
    expect(fresh.byTime.get(1)).toBe(ra);
    expect(ra!.time).toBe(1.5);
    expect(ra!.tags).toEqual(['s1', '\u0000odd']);
    expect(ra!.owner).toBe(fresh.node);
    expect(fresh.node!.value).toBe(5);
    expect(rb!.time).toBeNaN();
    expect(rb!.tags).toEqual([]);
    expect(rb!.extra).toEqual({ note: '\u0000also odd' });
    expect(fresh.label).toBe('\u0000x');
  });

  it('writes a columnar row whose field is a row of another columnar class, every field intact', () => {
    // The inner row is written and read in the middle of the outer one: the fields after it
    // must still be the outer row's own.
    const inner = new Row(7, ['a', 'b'], { note: 'n' }, undefined);
    const rows = [new Outer(1, inner, ['s1'], 10), new Outer(2, inner, ['s2', 's3'], 20)];
    rows.push(new Outer(3, new Row(8, ['c'], undefined, undefined), [], 30));
    const fresh = { rows: [] as Outer[] };
    roundTrip({ rows }, fresh);
    expect(
      fresh.rows.map((r) => [r.time, r.inner.time, r.inner.tags, r.stations, r.after]),
    ).toEqual([
      [1, 7, ['a', 'b'], ['s1'], 10],
      [2, 7, ['a', 'b'], ['s2', 's3'], 20],
      [3, 8, ['c'], [], 30],
    ]);
    expect(fresh.rows[1]!.inner).toBe(fresh.rows[0]!.inner);
    expect(fresh.rows[0]!.inner.extra).toEqual({ note: 'n' });
  });

  it('refuses values a snapshot cannot hold and bytes that are not a snapshot', () => {
    expect(() => encodeState({ s: Symbol('x') }, new Map())).toThrow(
      expect.objectContaining({ code: 'unsupported_value' }),
    );
    expect(() => encodeState({ m: new Map([[1, () => 1]]) }, new Map())).toThrow(
      expect.objectContaining({ code: 'unsupported_value' }),
    );
    expect(() => restoreState(Buffer.from('not a snapshot'), {}, new Map())).toThrow(
      expect.objectContaining({ code: 'corrupt' }),
    );
  });

  it('refuses a snapshot of another version, before writing anything, saying which', () => {
    const root = { counter: 5, nodes: [new Node(1)] };
    const fresh = { counter: 0, nodes: [] as Node[] };
    expect(() => restoreState(encodeState(root, new Map(), 3), fresh, new Map(), 4)).toThrow(
      expect.objectContaining({
        code: 'older_version',
        message: expect.stringMatching(/version 3, older than this code's 4/),
      }),
    );
    expect(() => restoreState(encodeState(root, new Map(), 5), fresh, new Map(), 4)).toThrow(
      expect.objectContaining({ code: 'newer_version', message: expect.stringMatching(/5.*4/) }),
    );
    expect(fresh).toEqual({ counter: 0, nodes: [] });
    restoreState(encodeState(root, new Map(), 4), fresh, new Map(), 4);
    expect(fresh.counter).toBe(5);
  });

  it('reads a snapshot written before the header had a version as version 0', () => {
    const written = { format: 2, shapes: [['', 'counter']], tables: [], root: ['\u00000', 9] };
    const fresh = { counter: 0 };
    expect(() => restoreState(serialize(written), fresh, new Map(), 1)).toThrow(
      expect.objectContaining({ code: 'older_version' }),
    );
    restoreState(serialize(written), fresh, new Map());
    expect(fresh.counter).toBe(9);
  });

  it('lists the classes and fields a snapshot holds, whatever their values', () => {
    const layoutOf = (value: number) =>
      stateLayout(
        encodeState(
          {
            plain: { any: value },
            node: new Node(value),
            rows: [new Row(value, [], undefined, undefined)],
          },
          new Map(),
          2,
        ),
      );
    expect(layoutOf(1)).toEqual({
      version: 2,
      classes: ['test.Node: next, value', 'test.Row [columnar]: extra, owner, tags, time'],
    });
    expect(layoutOf(2)).toEqual(layoutOf(1));
    // A renamed field is another format.
    const renamed = new Node(1) as unknown as Record<string, unknown>;
    renamed.label = renamed.value;
    delete renamed.value;
    expect(stateLayout(encodeState({ node: renamed }, new Map())).classes).toEqual([
      'test.Node: label, next',
    ]);
  });
});
