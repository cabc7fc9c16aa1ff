import { describe, expect, it } from 'vitest';
import type { Coalition } from '../../src/coalition/coalition.js';
import { parseCoalition } from '../../src/coalition/parse-coalition.js';
import { pictureClasses } from '../../src/coalition/picture-classes.js';
import {
  currentAudiences,
  type PictureGrant,
  pictureGrants,
  type StoredPicture,
} from '../../src/coalition/picture-grants.js';
import { storedVisibility, visibilityCovers } from '../../src/coalition/stored-picture.js';
import { boxZones } from '../support/box-zones.js';

const ZONES = boxZones(
  { id: 'ts', name: 'TS', kind: 'territorial_sea', box: [0, 0, 1, 1] },
  { id: 'far', name: 'Far', kind: 'custom', box: [5, 5, 6, 6] },
).zones;

function coalition(release: Record<string, unknown>, zones = ZONES): Coalition {
  return parseCoalition(
    { members: { a: { name: 'A' }, b: { name: 'B' }, c: { name: 'C' } }, release },
    { source: 'test', zones },
  );
}

interface Applied {
  stored: StoredPicture[];
  /** Every audience ever current (what `picture_audiences` keeps). */
  audiences: PictureGrant[];
  ids: number[];
  grants: PictureGrant[];
}

/** Stores the policy's pictures as ids 1, 2, ... (after `stored`) and grants them. */
function apply(policy: Coalition, before: Omit<Applied, 'ids' | 'grants'> = NOTHING): Applied {
  const { stored } = before;
  const classes = pictureClasses(policy);
  const all = [...stored];
  const ids = classes.classes.map((picture) => {
    const visibility = storedVisibility(policy, picture);
    let found = all.find((s) => s.key === visibility.key);
    if (found === undefined) {
      found = { id: all.length + 1, ...visibility };
      all.push(found);
    }
    return found.id;
  });
  const audiences = [...before.audiences, ...currentAudiences(policy, classes, ids)];
  return { stored: all, audiences, ids, grants: pictureGrants(policy, classes, all, audiences) };
}

const NOTHING = { stored: [], audiences: [] };

const readers = (grants: readonly PictureGrant[], id: number) =>
  grants.filter((g) => g.pictureId === id).map((g) => g.member);

describe('storedVisibility and visibilityCovers', () => {
  it('keys a withheld zone by its geometry, so a moved boundary is another picture', () => {
    const policy = coalition({ c: { inside: { ts: [] } } });
    const moved = coalition(
      { c: { inside: { ts: [] } } },
      boxZones(
        { id: 'ts', name: 'TS', kind: 'territorial_sea', box: [0, 0, 2, 2] },
        { id: 'far', name: 'Far', kind: 'custom', box: [5, 5, 6, 6] },
      ).zones,
    );
    const [a] = pictureClasses(policy).classes;
    const [b] = pictureClasses(moved).classes;
    expect(a!.key).toBe(b!.key); // the same ids...
    expect(storedVisibility(policy, a!).key).not.toBe(storedVisibility(moved, b!).key); // ...not the same zones
  });

  it('covers a picture only when every contribution it rests on is visible', () => {
    const wide = {
      key: 'w',
      visible: [
        ['a', []],
        ['b', []],
        ['c', ['ts@1']],
      ],
    } as const;
    const narrow = {
      key: 'n',
      visible: [
        ['a', []],
        ['c', ['ts@1', 'far@2']],
      ],
    } as const;
    expect(visibilityCovers(wide, narrow)).toBe(true); // withheld in more places: fine
    expect(visibilityCovers(narrow, wide)).toBe(false); // b is not visible
    const cEverywhere = {
      key: 'e',
      visible: [
        ['a', []],
        ['c', []],
      ],
    } as const;
    expect(visibilityCovers(narrow, cEverywhere)).toBe(false); // c inside ts is not visible
    expect(visibilityCovers(cEverywhere, narrow)).toBe(true);
  });
});

describe('pictureGrants: who reads each stored picture', () => {
  it('gives each member its own picture only, with its module outputs', () => {
    // c releases to a only: a sees a, b, c; b and c see a, b and a, c.
    const { ids, grants } = apply(coalition({ c: { to: ['a'] }, b: { to: ['a'] } }));
    expect(new Set(ids).size).toBe(3);
    // b's picture (a, b) is covered by a's visibility, yet a does not read it: a member reads
    // exactly its replay picture.
    for (const [i, member] of ['a', 'b', 'c'].entries()) {
      expect(readers(grants, ids[i]!)).toEqual([member]);
    }
    expect(grants.every((g) => g.outputs.length === 9)).toBe(true);
  });

  it('hides history a narrowed release no longer allows, keeps what it still does, idempotently', () => {
    const before = apply(coalition({}));
    expect(before.ids).toEqual([1]); // everybody sees everything: one picture
    expect(readers(before.grants, 1)).toEqual(['a', 'b', 'c']);
    // c now keeps its reports from b: b's new picture lacks c, so picture 1 rests on
    // contributions b may no longer see. a keeps picture 1 (it is still a's), c too.
    const narrowed = apply(coalition({ c: { to: ['a'] } }), before);
    expect(narrowed.ids[0]).toBe(1);
    expect(readers(narrowed.grants, 1)).toEqual(['a', 'c']);
    const again = apply(coalition({ c: { to: ['a'] } }), narrowed);
    expect(again.grants).toEqual(narrowed.grants);
    expect(again.stored).toEqual(narrowed.stored);
  });

  it('keeps an earlier picture for whoever still sees all it rests on, and gives it back', () => {
    // Policy 1: c withholds inside ts from everybody: one picture for a, b (c sees its own).
    const first = apply(coalition({ c: { inside: { ts: [] } } }));
    const [pa, pc] = first.ids;
    expect(readers(first.grants, pa!)).toEqual(['a', 'b']);
    expect(readers(first.grants, pc!)).toEqual(['c']);
    // Policy 2 widens: c releases everywhere. a's and b's new picture is c's: the old picture
    // (c withheld in ts) rests only on what they see now, so they keep reading its history.
    const second = apply(coalition({}), first);
    expect(second.ids).toEqual([pc]);
    expect(readers(second.grants, pa!)).toEqual(['a', 'b']);
    // Policy 3: c releases to a only. b cannot see c at all and loses the old picture; c never
    // read it, so it does not gain it now.
    const third = apply(coalition({ c: { to: ['a'] } }), second);
    expect(readers(third.grants, pa!)).toEqual(['a']);
    expect(readers(third.grants, pc!)).toEqual(['a', 'c']);
    // Widened again: nothing was deleted, b reads both again.
    const fourth = apply(coalition({}), third);
    expect(readers(fourth.grants, pa!)).toEqual(['a', 'b']);
    expect(readers(fourth.grants, pc!)).toEqual(['a', 'b', 'c']);
  });
});
