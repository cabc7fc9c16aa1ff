import { describe, expect, it } from 'vitest';
import { parseCoalition } from '../../src/coalition/parse-coalition.js';
import { pictureClasses } from '../../src/coalition/picture-classes.js';

const pictureOf = (classes: ReturnType<typeof pictureClasses>, module: string, member: string) =>
  classes.audiences.find((a) => a.module === module && a.member === member)!.picture;

describe('pictureClasses: audiences with the same visibility share one picture', () => {
  it('no release rules: every audience of a module sees everything, one picture', () => {
    const coalition = parseCoalition(
      { members: { a: { name: 'A' }, b: { name: 'B' }, c: { name: 'C', area: ['z'] } } },
      { source: 'x' },
    );
    const { classes, audiences } = pictureClasses(coalition);
    expect(classes).toHaveLength(1);
    expect(classes[0]!.id).toBe('p1');
    expect(classes[0]!.visible).toEqual([
      { contributor: 'a', withheldInside: [] },
      { contributor: 'b', withheldInside: [] },
      { contributor: 'c', withheldInside: [] },
    ]);
    // An area filters outputs, it does not change what is fused: c shares the picture.
    expect(audiences.map((a) => a.picture)).toEqual([0, 0, 0]);
  });

  it('equal visibility shares a class, across modules too; any difference splits', () => {
    const coalition = parseCoalition(
      {
        members: { a: { name: 'A' }, b: { name: 'B' }, c: { name: 'C' }, d: { name: 'D' } },
        modules: {
          tracks: { members: ['a', 'b', 'c', 'd'], outputs: ['tracks'] },
          alerts: { members: ['a', 'b', 'c', 'd'], outputs: ['dark_gap', 'rendezvous'] },
          pairs: { members: ['a', 'b'], outputs: ['loitering'] },
        },
        release: { c: { to: ['a', 'b'] }, d: { inside: { z: ['a', 'b'] } } },
      },
      { source: 'x' },
    );
    const classes = pictureClasses(coalition);
    // a and b see a, b, c, d everywhere; c sees a, b, c, d but d withheld inside z; d does not
    // see c. In `pairs`, a and b see only a and b.
    expect(pictureOf(classes, 'tracks', 'a')).toBe(pictureOf(classes, 'tracks', 'b'));
    expect(pictureOf(classes, 'tracks', 'a')).toBe(pictureOf(classes, 'alerts', 'a'));
    expect(pictureOf(classes, 'tracks', 'c')).toBe(pictureOf(classes, 'alerts', 'c'));
    expect(pictureOf(classes, 'tracks', 'a')).not.toBe(pictureOf(classes, 'tracks', 'c'));
    expect(pictureOf(classes, 'tracks', 'c')).not.toBe(pictureOf(classes, 'tracks', 'd'));
    expect(pictureOf(classes, 'pairs', 'a')).toBe(pictureOf(classes, 'pairs', 'b'));
    expect(pictureOf(classes, 'pairs', 'a')).not.toBe(pictureOf(classes, 'tracks', 'a'));
    expect(classes.classes).toHaveLength(4);

    const first = classes.classes[pictureOf(classes, 'tracks', 'a')]!;
    expect(first.audiences).toEqual([
      { module: 'alerts', member: 'a' },
      { module: 'alerts', member: 'b' },
      { module: 'tracks', member: 'a' },
      { module: 'tracks', member: 'b' },
    ]);
    expect(first.outputs).toEqual(['tracks', 'dark_gap', 'rendezvous']);
    const forC = classes.classes[pictureOf(classes, 'tracks', 'c')]!;
    expect(forC.visible).toContainEqual({ contributor: 'd', withheldInside: ['z'] });
  });

  it('classes are numbered in the order of their first audience', () => {
    const coalition = parseCoalition(
      {
        members: { a: { name: 'A' }, b: { name: 'B' } },
        release: { a: { to: [] }, b: { to: [] } },
      },
      { source: 'x' },
    );
    const { classes } = pictureClasses(coalition);
    expect(classes.map((c) => [c.id, c.index, c.audiences[0]!.member])).toEqual([
      ['p1', 0, 'a'],
      ['p2', 1, 'b'],
    ]);
  });
});
