import { describe, expect, it } from 'vitest';
import { insideArea, outputReaches, zoneSharedWith } from '../../src/coalition/audience-filter.js';
import type { Coalition } from '../../src/coalition/coalition.js';
import { parseCoalition } from '../../src/coalition/parse-coalition.js';
import { releaseBetween, visibleAt } from '../../src/coalition/release.js';
import { boxZones } from '../support/box-zones.js';

const ZONES = boxZones(
  { id: 'no-ts', name: 'NO territorial sea', kind: 'territorial_sea', box: [4, 58, 8, 62] },
  { id: 'no-eez', name: 'NO EEZ', kind: 'eez', box: [0, 55, 12, 65] },
  { id: 'ns-waters', name: 'NS', kind: 'custom', box: [-66, 43, -60, 47] },
  {
    id: 'ca-only',
    name: 'CA exercise area',
    kind: 'restricted',
    members: ['ca'],
    box: [0, 0, 1, 1],
  },
).zones;

/** DESIGN.md §6's example, with an overlapping pair of inside zones for Norway. */
const COALITION: Coalition = parseCoalition(
  {
    members: {
      ca: { name: 'Canada' },
      'ca-ns': { name: 'Nova Scotia', parent: 'ca', voting: false, area: ['ns-waters'] },
      uk: { name: 'United Kingdom' },
      no: { name: 'Norway' },
      fr: { name: 'France' },
    },
    modules: {
      picture: { members: ['ca', 'ca-ns', 'uk', 'no', 'fr'], outputs: ['tracks'] },
      border: { members: ['ca', 'ca-ns', 'uk'], outputs: ['dark_gap', 'zone_entry'] },
      north: { members: ['no', 'fr'], outputs: ['rendezvous'] },
    },
    release: {
      uk: { to: ['ca'] },
      'ca-ns': { to: [], inside: { 'ns-waters': [] } },
      // Inside the EEZ: uk and fr; inside the territorial sea (within the EEZ): nobody else.
      no: { to: ['uk', 'fr', 'ca'], inside: { 'no-eez': ['uk', 'fr'], 'no-ts': [] } },
    },
  },
  { source: 'test', zones: ZONES },
);

const module = (name: string) => COALITION.modules.find((m) => m.name === name)!;
const at = (...zoneIds: string[]) => new Set(zoneIds);
const sees = (mod: string, contributor: string, audience: string, ...zoneIds: string[]) =>
  visibleAt(releaseBetween(COALITION, module(mod), contributor, audience), at(...zoneIds));

describe('releaseBetween / visibleAt (DESIGN.md §6)', () => {
  it('a member always sees its own contributions, everywhere', () => {
    expect(releaseBetween(COALITION, module('picture'), 'no', 'no')).toEqual({
      released: true,
      reason: 'own',
      withheldInside: [],
    });
    expect(sees('picture', 'no', 'no', 'no-ts', 'no-eez')).toBe(true);
    expect(sees('picture', 'ca-ns', 'ca-ns')).toBe(true);
  });

  it('nothing crosses a module boundary', () => {
    expect(releaseBetween(COALITION, module('border'), 'no', 'uk')).toEqual({
      released: false,
      reason: 'not_in_module',
    });
    expect(releaseBetween(COALITION, module('north'), 'no', 'ca').released).toBe(false);
    expect(sees('picture', 'no', 'ca')).toBe(true);
  });

  it('no release rule: to every member of the module', () => {
    expect(sees('picture', 'ca', 'uk')).toBe(true);
    expect(sees('picture', 'fr', 'ca-ns')).toBe(true);
    expect(releaseBetween(COALITION, module('border'), 'ca', 'ca-ns').reason).toBe('released');
  });

  it('`to` releases to the members it names and no one else', () => {
    expect(sees('picture', 'uk', 'ca')).toBe(true);
    expect(releaseBetween(COALITION, module('picture'), 'uk', 'no')).toEqual({
      released: false,
      reason: 'not_released',
    });
    expect(sees('picture', 'uk', 'ca-ns')).toBe(false);
  });

  it("a sub-national member's contributions reach its parent whatever its to and inside say", () => {
    expect(releaseBetween(COALITION, module('border'), 'ca-ns', 'ca')).toEqual({
      released: true,
      reason: 'parent',
      withheldInside: [],
    });
    expect(sees('border', 'ca-ns', 'ca', 'ns-waters')).toBe(true); // inside rules neither
    expect(sees('border', 'ca-ns', 'uk')).toBe(false);
    // Not the other way round: the parent's own release rule decides what the child gets.
    expect(releaseBetween(COALITION, module('border'), 'uk', 'ca-ns').released).toBe(false);
  });

  it('inside rules withhold reports positioned in their zone from the members left out', () => {
    expect(releaseBetween(COALITION, module('picture'), 'no', 'ca')).toEqual({
      released: true,
      reason: 'released',
      withheldInside: ['no-eez', 'no-ts'],
    });
    expect(sees('picture', 'no', 'ca')).toBe(true);
    expect(sees('picture', 'no', 'ca', 'no-eez')).toBe(false);
    expect(sees('picture', 'no', 'uk', 'no-eez')).toBe(true);
  });

  it('several inside zones at one position combine by intersection: the most restrictive wins', () => {
    // The territorial sea lies inside the EEZ: a report there is in both; the EEZ would release
    // it to uk and fr, the territorial sea to nobody, so nobody else sees it.
    expect(sees('picture', 'no', 'uk', 'no-eez', 'no-ts')).toBe(false);
    expect(sees('picture', 'no', 'fr', 'no-eez', 'no-ts')).toBe(false);
    expect(sees('north', 'no', 'fr', 'no-eez')).toBe(true);
    expect(sees('north', 'no', 'fr', 'no-ts', 'ns-waters')).toBe(false);
    // A zone no rule names changes nothing.
    expect(sees('picture', 'no', 'uk', 'ns-waters')).toBe(true);
  });
});

describe('outputReaches: module outputs, area, private zones', () => {
  const track = (...zoneIds: string[]) => ({
    kind: 'tracks' as const,
    zoneId: undefined,
    zonesAtPosition: at(...zoneIds),
  });

  it('only the outputs of the audience module', () => {
    expect(outputReaches(COALITION, { module: 'picture', member: 'uk' }, track())).toBe(true);
    expect(outputReaches(COALITION, { module: 'border', member: 'uk' }, track())).toBe(false);
    const gap = { kind: 'dark_gap' as const, zoneId: undefined, zonesAtPosition: at() };
    expect(outputReaches(COALITION, { module: 'border', member: 'uk' }, gap)).toBe(true);
    expect(outputReaches(COALITION, { module: 'nowhere', member: 'uk' }, gap)).toBe(false);
  });

  it('`area` limits a member to positions inside its area zones', () => {
    expect(insideArea(COALITION, 'ca-ns', at('ns-waters'))).toBe(true);
    expect(insideArea(COALITION, 'ca-ns', at('no-eez'))).toBe(false);
    expect(insideArea(COALITION, 'ca', at())).toBe(true);
    const audience = { module: 'picture', member: 'ca-ns' };
    expect(outputReaches(COALITION, audience, track('ns-waters'))).toBe(true);
    expect(outputReaches(COALITION, audience, track())).toBe(false);
  });

  it("a private zone's alerts reach only its members", () => {
    expect(zoneSharedWith(COALITION, 'ca-only', 'ca')).toBe(true);
    expect(zoneSharedWith(COALITION, 'ca-only', 'uk')).toBe(false);
    expect(zoneSharedWith(COALITION, 'no-ts', 'uk')).toBe(true);
    const entry = {
      kind: 'zone_entry' as const,
      zoneId: 'ca-only',
      zonesAtPosition: at('ca-only'),
    };
    expect(outputReaches(COALITION, { module: 'border', member: 'ca' }, entry)).toBe(true);
    expect(outputReaches(COALITION, { module: 'border', member: 'uk' }, entry)).toBe(false);
  });
});
