import { describe, expect, it } from 'vitest';
import { MemberRegistry, NO_SOURCES, type SourceSet } from '../../src/fusion/member-registry.js';
import { encodeState, restoreState } from '../../src/state/state-graph.js';
import { seededRandom } from '../support/seeded-random.js';

/** `m000` … `m199`, registered in a shuffled order so that index order is not id order. */
function shuffledIds(count: number, random: () => number): string[] {
  const ids = Array.from({ length: count }, (_, i) => `m${String(i).padStart(3, '0')}`);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return ids;
}

/** A set as the plain model writes it: its ids, sorted, joined. */
const key = (ids: Iterable<string>): string => [...ids].sort().join(',');

describe('MemberRegistry (issue 13: provenance beyond 32 members)', () => {
  it('registers 200 members, each with a set of its own', () => {
    const registry = new MemberRegistry();
    const ids = shuffledIds(200, seededRandom(1));
    const sets = ids.map((id) => registry.setOf(id));
    expect(registry.size).toBe(200);
    expect(new Set(sets).size).toBe(200);
    expect(sets).not.toContain(NO_SOURCES);
    for (let i = 0; i < ids.length; i++) {
      expect(registry.setOf(ids[i]!)).toBe(sets[i]);
      expect(registry.index(ids[i]!)).toBe(i);
      expect(registry.idsOf(sets[i]!)).toEqual([ids[i]]);
    }
    expect(registry.idsOf(NO_SOURCES)).toEqual([]);
  });

  it('lists a set sorted by id, whatever order its members appeared in', () => {
    const registry = new MemberRegistry();
    const no = registry.setOf('no');
    const ca = registry.setOf('ca');
    const au = registry.setOf('au');
    expect(registry.idsOf(registry.union(registry.union(no, ca), au))).toEqual(['au', 'ca', 'no']);
  });

  it('answers equal and empty operands without a new set', () => {
    const registry = new MemberRegistry();
    const a = registry.setOf('a');
    const b = registry.setOf('b');
    const count = registry.setCount;
    expect(registry.union(a, a)).toBe(a);
    expect(registry.union(a, NO_SOURCES)).toBe(a);
    expect(registry.union(NO_SOURCES, b)).toBe(b);
    expect(registry.union(NO_SOURCES, NO_SOURCES)).toBe(NO_SOURCES);
    expect(registry.setCount).toBe(count);
    const ab = registry.union(a, b);
    expect(registry.setCount).toBe(count + 1);
    // A union that equals an operand is that operand, not a copy of it.
    expect(registry.union(ab, a)).toBe(ab);
    expect(registry.union(b, ab)).toBe(ab);
    expect(registry.setCount).toBe(count + 1);
  });

  it('agrees with a plain Set model over 20 000 seeded unions of 200 members', () => {
    const random = seededRandom(13);
    const registry = new MemberRegistry();
    const ids = shuffledIds(200, random);
    // Every set made so far with its model; sets are drawn from it, so unions build on unions.
    const pool: { set: SourceSet; model: Set<string> }[] = [{ set: NO_SOURCES, model: new Set() }];
    for (const id of ids) pool.push({ set: registry.setOf(id), model: new Set([id]) });
    /** The id given to each distinct member set: one id per set, one set per id. */
    const idByKey = new Map<string, SourceSet>();
    const keyById = new Map<SourceSet, string>();
    const pick = () => {
      // Mostly recent sets (they grow), sometimes a single member or the empty set.
      const r = random();
      const index =
        r < 0.3
          ? 1 + Math.floor(random() * ids.length)
          : r < 0.32
            ? 0
            : pool.length - 1 - Math.floor(random() * Math.min(pool.length, 500));
      return pool[index]!;
    };
    for (let n = 0; n < 20_000; n++) {
      const a = pick();
      const b = pick();
      const union = registry.union(a.set, b.set);
      const model = new Set([...a.model, ...b.model]);
      const modelKey = key(model);
      expect(registry.idsOf(union).join(','), `union #${n}`).toBe(modelKey);
      // Memo consistent: either order, asked again, the same set.
      expect(registry.union(b.set, a.set)).toBe(union);
      expect(registry.union(a.set, b.set)).toBe(union);
      // Interned: the same members always have the same id, and an id one set of members.
      const known = idByKey.get(modelKey);
      if (known === undefined) idByKey.set(modelKey, union);
      else expect(union).toBe(known);
      const knownKey = keyById.get(union);
      if (knownKey === undefined) keyById.set(union, modelKey);
      else expect(knownKey).toBe(modelKey);
      if (random() < 0.5 && model.size < 200) pool.push({ set: union, model });
    }
    expect(registry.setCount).toBe(new Set([...keyById.values(), '', ...ids]).size);
    expect(Math.max(...[...idByKey.keys()].map((k) => k.split(',').length))).toBeGreaterThan(100);
  });

  it('refuses a set id it never made', () => {
    const registry = new MemberRegistry();
    registry.setOf('a');
    expect(() => registry.idsOf(7 as SourceSet)).toThrow(/Unknown member set 7/);
    expect(() => registry.union(registry.setOf('a'), 7 as SourceSet)).toThrow(RangeError);
  });

  it('keeps its sets through a state snapshot: ids restored mean the same members', () => {
    const random = seededRandom(5);
    const registry = new MemberRegistry();
    const ids = shuffledIds(60, random);
    const sets: SourceSet[] = ids.map((id) => registry.setOf(id));
    for (let n = 0; n < 500; n++) {
      const a = sets[Math.floor(random() * sets.length)]!;
      const b = sets[Math.floor(random() * sets.length)]!;
      sets.push(registry.union(a, b));
    }
    const restored = new MemberRegistry();
    restoreState(encodeState(registry, new Map()), restored, new Map());
    expect(restored.size).toBe(registry.size);
    expect(restored.setCount).toBe(registry.setCount);
    for (const set of sets) expect(restored.idsOf(set)).toEqual(registry.idsOf(set));
    // Both go on alike: known unions, new unions and new members get the same ids.
    for (let n = 0; n < 500; n++) {
      const a = sets[Math.floor(random() * sets.length)]!;
      const b = sets[Math.floor(random() * sets.length)]!;
      expect(restored.union(a, b)).toBe(registry.union(a, b));
    }
    expect(restored.setOf('m-new')).toBe(registry.setOf('m-new'));
    expect(restored.union(sets[3]!, restored.setOf('m-new'))).toBe(
      registry.union(sets[3]!, registry.setOf('m-new')),
    );
  });
});
