import { describe, expect, it } from 'vitest';
import { parseCoalition } from '../../src/coalition/parse-coalition.js';
import { pictureClasses } from '../../src/coalition/picture-classes.js';
import { picturesForFeeds } from '../../src/pipeline/pictures-for-feeds.js';

describe('picturesForFeeds', () => {
  const coalition = parseCoalition(
    {
      members: {
        ca: { name: 'Canada' },
        'ca-kb': { name: 'Port', parent: 'ca', voting: false },
        no: { name: 'Norway' },
      },
      modules: {
        picture: { members: ['ca', 'ca-kb', 'no'], outputs: ['tracks'] },
        border: { members: ['ca', 'no'], outputs: ['dark_gap'] },
      },
      release: { 'ca-kb': { to: [] } },
    },
    { source: 'test' },
  );
  const classes = pictureClasses(coalition);

  it('merges the classes that differ only in members without a feed', () => {
    // picture/ca sees ca-kb (its parent); border/ca does not: two classes, one input without ca-kb.
    const ca = classes.audiences.filter((a) => a.member === 'ca').map((a) => a.picture);
    expect(new Set(ca).size).toBe(2);
    const merged = picturesForFeeds(classes, new Set(['ca', 'no']));
    const mergedCa = merged.audiences.filter((a) => a.member === 'ca').map((a) => a.picture);
    expect(new Set(mergedCa).size).toBe(1);
    const picture = merged.classes[mergedCa[0]!]!;
    expect(picture.outputs).toEqual(['tracks', 'dark_gap']);
    expect(picture.visible.map((v) => v.contributor)).toEqual(['ca', 'no']);
    expect(picture.id).toContain('+');
    // Every audience keeps its place; every merged class lists exactly its audiences.
    expect(merged.audiences.map(({ module, member }) => ({ module, member }))).toEqual(
      classes.audiences.map(({ module, member }) => ({ module, member })),
    );
    for (const c of merged.classes) {
      expect(c.audiences.length).toBe(merged.audiences.filter((a) => a.picture === c.index).length);
    }
  });

  it('keeps every class when every member sends', () => {
    const all = picturesForFeeds(classes, new Set(['ca', 'ca-kb', 'no']));
    expect(all.classes.map((c) => c.key)).toEqual(classes.classes.map((c) => c.key));
    expect(all.audiences).toEqual(classes.audiences);
  });
});
