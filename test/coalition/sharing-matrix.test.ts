import { describe, expect, it } from 'vitest';
import { parseCoalitionText } from '../../src/coalition/coalition-text.js';
import { policyVersion } from '../../src/coalition/policy-version.js';
import { sharingMatrix } from '../../src/coalition/sharing-matrix.js';
import { formatSharingMatrix } from '../../src/coalition/sharing-matrix-text.js';
import { DESIGN_EXAMPLE, DESIGN_ZONES } from './design-example.js';

const ZONES = DESIGN_ZONES;

/** DESIGN.md §6's example. */
const COALITION = parseCoalitionText(DESIGN_EXAMPLE, { source: 'design.yaml', zones: ZONES });

describe('sharingMatrix (DESIGN.md §6 example)', () => {
  const matrix = sharingMatrix(COALITION);
  const row = (module: string, member: string) =>
    matrix.modules.find((m) => m.name === module)!.audiences.find((a) => a.member === member)!;
  const cells = (module: string, member: string) =>
    Object.fromEntries(
      row(module, member).contributions.map((c) => [
        c.contributor,
        c.withheldInside.length === 0 ? c.sees : `${c.sees} except ${c.withheldInside}`,
      ]),
    );

  it('gives per module and audience whose contributions it sees, and where not', () => {
    expect(cells('picture', 'ca')).toEqual({
      ca: 'own',
      'ca-ns': 'parent',
      no: 'not_released',
      uk: 'released',
    });
    expect(cells('picture', 'uk')).toEqual({
      ca: 'released',
      'ca-ns': 'released',
      no: 'released except no-territorial-sea',
      uk: 'own',
    });
    expect(cells('border', 'ca-ns')).toEqual({
      ca: 'released',
      'ca-ns': 'own',
      uk: 'not_released',
    });
    expect(row('border', 'ca-ns').area).toEqual(['ns-waters']);
    expect(row('border', 'uk').area).toBeNull();
  });

  it('groups the audiences into pictures, names the private zones and the version', () => {
    expect(
      matrix.pictures.map((p) => [p.id, p.audiences.map((a) => `${a.module}/${a.member}`)]),
    ).toEqual([
      ['p1', ['border/ca', 'border/uk', 'picture/ca']],
      ['p2', ['border/ca-ns', 'picture/ca-ns']],
      ['p3', ['picture/no']],
      ['p4', ['picture/uk']],
    ]);
    expect(row('picture', 'ca').picture).toBe('p1');
    expect(matrix.privateZones).toEqual([{ id: 'joint-box', members: ['ca', 'uk'] }]);
    expect(matrix.version).toBe(policyVersion(COALITION));
    expect(matrix.zonesChecked).toBe(true);
    expect(matrix.members.find((m) => m.id === 'ca-ns')).toEqual({
      id: 'ca-ns',
      name: 'Nova Scotia',
      parent: 'ca',
      voting: false,
      area: ['ns-waters'],
      role: 'member_ca_ns',
    });
    // Plain JSON: what --json prints reads back the same.
    expect(JSON.parse(JSON.stringify(matrix))).toEqual(matrix);
  });

  it('prints as tables for the officer who signs it off', () => {
    expect(formatSharingMatrix(matrix)).toBe(`Coalition policy design.yaml

Members
  id     name            parent  voting  Postgres role  area
  ca     Canada          -       yes     member_ca      everywhere
  ca-ns  Nova Scotia     ca      no      member_ca_ns   ns-waters
  no     Norway          -       yes     member_no      everywhere
  uk     United Kingdom  -       yes     member_uk      everywhere

Module border (outputs: dark_gap, rendezvous, zone_entry, zone_exit)
  audience \\ from  ca   ca-ns   uk   picture  area
  ca               own  parent  yes  p1       everywhere
  ca-ns            yes  own     -    p2       ns-waters
  uk               yes  yes     own  p1       everywhere

Module picture (outputs: tracks)
  audience \\ from  ca   ca-ns   no      uk   picture  area
  ca               own  parent  -       yes  p1       everywhere
  ca-ns            yes  own     -       -    p2       ns-waters
  no               yes  yes     own     -    p3       everywhere
  uk               yes  yes     yes[1]  own  p4       everywhere
  [1] withheld inside no-territorial-sea

Cells: own = its own contributions; parent = released to it as the
contributor's parent; yes = released; yes[n] = released except as note n says;
- = not released. Area: outputs only at positions inside those zones.

Private zones (their alerts reach only their members)
  joint-box  ca, uk

Pictures: 4 distinct for 7 audiences (module/member);
audiences that see the same contributions share one computation
  p1  border/ca, border/uk, picture/ca  tracks, dark_gap, rendezvous, zone_entry, zone_exit
  p2  border/ca-ns, picture/ca-ns       tracks, dark_gap, rendezvous, zone_entry, zone_exit
  p3  picture/no                        tracks
  p4  picture/uk                        tracks

Policy version ${matrix.version}
`);
  });

  it('says when no zones were given', () => {
    const text = formatSharingMatrix(
      sharingMatrix(parseCoalitionText('members: { a: { name: A } }', { source: 'a.yaml' })),
    );
    expect(text).toContain(
      'Private zones (their alerts reach only their members)\n  unknown: no zones given (--zones)',
    );
    expect(text).toContain(
      '(without zones: the pipeline, which loads them, stamps another version)',
    );
  });
});
