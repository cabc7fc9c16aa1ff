import { describe, expect, it } from 'vitest';
import { nextBit } from '../../src/coalition/bitset.js';
import type { Coalition } from '../../src/coalition/coalition.js';
import { parseCoalition } from '../../src/coalition/parse-coalition.js';
import { pictureClasses } from '../../src/coalition/picture-classes.js';
import { releaseBetween, visibleAt } from '../../src/coalition/release.js';
import { ReleaseTable } from '../../src/coalition/release-table.js';
import { createRandom } from '../../src/util/random.js';
import { randomCoalitionDocument, subset } from '../support/random-coalition.js';

/**
 * The table against the rules it is built from: for every contributor, random sets of zones
 * around a position, and every audience, the audience's picture is in the mask exactly when
 * release.ts says the audience sees the contribution there.
 */
function checkAgainstRules(coalition: Coalition, seed: number, positions: number): void {
  const classes = pictureClasses(coalition);
  const table = new ReleaseTable(coalition, classes);
  const random = createRandom(seed);
  const zonePool = [...table.releaseZoneIds, 'elsewhere'];
  const mask = table.newMask();
  const inside = new Int32Array(zonePool.length);
  for (const { id: contributor } of coalition.members) {
    const c = table.contributorIndex(contributor);
    for (let p = 0; p < positions; p++) {
      const zoneIds = subset(random, zonePool, 0);
      zoneIds.forEach((zoneId, i) => {
        inside[i] = table.releaseZoneIndex(zoneId);
      });
      table.picturesFor(c, inside, zoneIds.length, mask);
      for (const audience of classes.audiences) {
        const module = coalition.modules.find((m) => m.name === audience.module)!;
        const rule = visibleAt(
          releaseBetween(coalition, module, contributor, audience.member),
          new Set(zoneIds),
        );
        if (table.feeds(mask, audience.picture) !== rule) {
          throw new Error(
            `${contributor} → ${audience.module}/${audience.member} at [${zoneIds}]: table ${!rule}, rules ${rule}`,
          );
        }
      }
    }
  }
}

describe('ReleaseTable: which pictures a contribution feeds, by lookup', () => {
  const coalition = parseCoalition(
    {
      members: {
        ca: { name: 'C' },
        'ca-ns': { name: 'NS', parent: 'ca' },
        uk: { name: 'U' },
        no: { name: 'N' },
      },
      release: {
        uk: { to: ['ca'] },
        no: { to: ['uk', 'ca'], inside: { 'no-eez': ['uk'], 'no-ts': [] } },
        'ca-ns': { to: [] },
      },
    },
    { source: 'x' },
  );
  const classes = pictureClasses(coalition);
  const table = new ReleaseTable(coalition, classes);
  const pictureOf = (member: string) => classes.audiences.find((a) => a.member === member)!.picture;
  const fed = (contributor: string, ...zoneIds: string[]) => {
    const mask = table.picturesFor(
      table.contributorIndex(contributor),
      zoneIds.map((z) => table.releaseZoneIndex(z)),
      zoneIds.length,
      table.newMask(),
    );
    const members: string[] = [];
    for (let b = nextBit(mask, 0); b >= 0; b = nextBit(mask, b + 1)) {
      members.push(...classes.classes[b]!.audiences.map((a) => a.member));
    }
    return members.sort();
  };

  it('lists the release zones and gives each member its own picture here', () => {
    expect(table.releaseZoneIds).toEqual(['no-eez', 'no-ts']);
    expect(new Set(['ca', 'ca-ns', 'uk', 'no'].map(pictureOf)).size).toBe(4);
  });

  it('own, parent, `to`, and the inside zones the position lies in', () => {
    expect(fed('ca')).toEqual(['ca', 'ca-ns', 'no', 'uk']);
    expect(fed('ca-ns')).toEqual(['ca', 'ca-ns']);
    expect(fed('uk')).toEqual(['ca', 'uk']);
    expect(fed('no')).toEqual(['ca', 'no', 'uk']);
    expect(fed('no', 'no-eez')).toEqual(['no', 'uk']);
    expect(fed('no', 'no-eez', 'no-ts')).toEqual(['no']);
    expect(fed('no', 'nowhere')).toEqual(['ca', 'no', 'uk']); // -1: not a release zone
  });

  it('an unknown contributor feeds nothing; a short mask is refused', () => {
    expect(fed('xx')).toEqual([]);
    expect(() => table.picturesFor(0, [], 0, new Uint32Array(0))).toThrow(
      'ReleaseTable.picturesFor: out has 0 words, needs 1.',
    );
  });

  it('maps a zone list (ZoneIndex.zones order) to release zone indices', () => {
    expect([...table.zoneLookup([{ id: 'port' }, { id: 'no-ts' }, { id: 'no-eez' }])]).toEqual([
      -1, 1, 0,
    ]);
  });

  it('agrees with the rules on seeded random coalitions', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const document = randomCoalitionDocument(seed, { members: 12, modules: 3, zones: 4 });
      checkAgainstRules(parseCoalition(document, { source: `seed ${seed}` }), seed, 6);
    }
  });

  it('holds 150 members and more than 128 pictures (masks of several words)', () => {
    const document = randomCoalitionDocument(2024, { members: 150, modules: 3, zones: 6 });
    const coalition = parseCoalition(document, { source: 'big' });
    const classes = pictureClasses(coalition);
    expect(coalition.members).toHaveLength(150);
    expect(classes.classes.length).toBeGreaterThan(128);
    expect(new ReleaseTable(coalition, classes).wordsPerMask).toBeGreaterThan(4);
    checkAgainstRules(coalition, 2024, 2);
  });
});
