import { UnionMemo } from './union-memo.js';

/**
 * Provenance on the hot path (DESIGN.md §1): the id of a set of members interned in the core's
 * `MemberRegistry`, meaningful only there. Branded, so that a bitwise OR of two sets — what
 * provenance was while it was a 32-bit mask — no longer type-checks: merge with `union`.
 */
export type SourceSet = number & { readonly __brand: 'SourceSet' };

/** The set of no member (a track before its first report, evidence not yet gathered). */
export const NO_SOURCES = 0 as SourceSet;

/**
 * Member feeds known to this core, and the sets of them that provenance takes (issue 13: a
 * coalition of more than 32 members; MSSIS counts more than 75 nations). Members are registered
 * on first use, with no limit: a new raw topic is one more member, never an error. Every report,
 * track and open alert carries its members as a `SourceSet`, a small integer: 0 is the empty set,
 * each member alone is a set, and a union is interned the first time it occurs, so the sets grow
 * with the combinations of members that hear the same vessels, not with 2^members. A merge is a
 * `union`: equal or empty operands answer at once, anything else with one look-up in a memo
 * (`UnionMemo`); only a pair never merged before builds a set. The sets become member ids at the
 * edge (`idsOf`, made once per set).
 *
 * The registry is part of the core's state snapshot (src/state/): restored with the tracks and
 * alerts whose set ids refer to it.
 */
export class MemberRegistry {
  private readonly ids: string[] = [];
  private readonly byId = new Map<string, number>();
  /** Per member index, the set of that member alone. */
  private readonly singles: SourceSet[] = [];
  /** Per set id, its members as member indexes, ascending; set 0 is the empty set. */
  private readonly sets: (readonly number[])[] = [[]];
  /** Set ids by their members (`sets[id].join(',')`): each combination is interned once. */
  private readonly setByKey = new Map<string, SourceSet>([['', NO_SOURCES]]);
  private readonly memo = new UnionMemo();
  /** Per set id, `idsOf` once asked for. */
  private readonly names: (readonly string[] | undefined)[] = [];

  /** Members registered. */
  get size(): number {
    return this.ids.length;
  }

  /** Distinct member sets interned, the empty set included. */
  get setCount(): number {
    return this.sets.length;
  }

  /** The index of member `id` (order of first use), registering it on first use. */
  index(id: string): number {
    const known = this.byId.get(id);
    if (known !== undefined) return known;
    const index = this.ids.length;
    this.ids.push(id);
    this.byId.set(id, index);
    this.singles.push(this.intern([index]));
    return index;
  }

  /** The set of member `id` alone, registering the member on first use. */
  setOf(id: string): SourceSet {
    return this.singles[this.index(id)]!;
  }

  /** The set of the members of `a` and of `b`. */
  union(a: SourceSet, b: SourceSet): SourceSet {
    if (a === b || b === NO_SOURCES) return a;
    if (a === NO_SOURCES) return b;
    const lower = a < b ? a : b;
    const higher = a < b ? b : a;
    const known = this.memo.get(lower, higher);
    if (known >= 0) return known as SourceSet;
    const union = this.intern(mergeAscending(this.membersOf(lower), this.membersOf(higher)));
    this.memo.set(lower, higher, union);
    return union;
  }

  /** Member ids of a set, sorted, so output does not depend on the order members appeared. */
  idsOf(set: SourceSet): readonly string[] {
    const known = this.names[set];
    if (known !== undefined) return known;
    const members = this.membersOf(set);
    const out: string[] = [];
    for (const index of members) out.push(this.ids[index]!);
    out.sort();
    this.names[set] = out;
    return out;
  }

  /** Member indexes of a set, ascending. */
  private membersOf(set: number): readonly number[] {
    const members = this.sets[set];
    if (members === undefined) {
      throw new RangeError(`Unknown member set ${set}: this registry has ${this.sets.length}.`);
    }
    return members;
  }

  /** The id of the set of `members` (ascending member indexes), interning it when new. */
  private intern(members: readonly number[]): SourceSet {
    const key = members.join(',');
    const known = this.setByKey.get(key);
    if (known !== undefined) return known;
    const set = this.sets.length as SourceSet;
    this.sets.push(members);
    this.setByKey.set(key, set);
    return set;
  }
}

/** What turns provenance into member ids (the history writers need no more). */
export type MemberNames = Pick<MemberRegistry, 'idsOf'>;

/** What merges provenance (a report merging a duplicate needs no more). */
export type SourceUnion = Pick<MemberRegistry, 'union'>;

/** The union of two ascending lists of distinct numbers, ascending. */
function mergeAscending(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x <= y) {
      out.push(x);
      i++;
      if (x === y) j++;
    } else {
      out.push(y);
      j++;
    }
  }
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}
