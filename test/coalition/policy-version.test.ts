import { describe, expect, it } from 'vitest';
import { parseCoalitionText } from '../../src/coalition/coalition-text.js';
import { parseCoalition } from '../../src/coalition/parse-coalition.js';
import { policyVersion } from '../../src/coalition/policy-version.js';
import type { Zone } from '../../src/zones/zone.js';
import { boxZones } from '../support/box-zones.js';
import { randomCoalitionDocument } from '../support/random-coalition.js';

const ZONES = boxZones(
  { id: 'no-ts', name: 'NO TS', kind: 'territorial_sea', box: [4, 58, 8, 62] },
  { id: 'ns-waters', name: 'NS', kind: 'custom', box: [-66, 43, -60, 47] },
  { id: 'joint', name: 'Joint', kind: 'restricted', members: ['ca', 'uk'], box: [0, 0, 1, 1] },
).zones;

const BASE = {
  members: {
    ca: { name: 'Canada' },
    'ca-ns': { name: 'Nova Scotia', parent: 'ca', voting: false, area: ['ns-waters'] },
    uk: { name: 'United Kingdom' },
    no: { name: 'Norway' },
  },
  modules: {
    picture: { members: ['ca', 'ca-ns', 'uk', 'no'], outputs: ['tracks'] },
    border: { members: ['ca', 'ca-ns', 'uk'], outputs: ['dark_gap', 'rendezvous'] },
  },
  release: {
    uk: { to: ['ca'] },
    no: { to: ['uk', 'ca'], inside: { 'no-ts': [] as string[] } },
  },
};

type Document = typeof BASE;
/** `zones` null: loaded without zones. */
const versionOf = (document: unknown, zones: readonly Zone[] | null = ZONES) =>
  policyVersion(parseCoalition(document, { source: 'x', zones: zones ?? undefined }));
/** A deep copy of BASE changed by `edit`. */
const edited = (edit: (d: Document) => void): Document => {
  const copy = structuredClone(BASE);
  edit(copy);
  return copy;
};

/** Every mapping's keys and every list in reverse order. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return [...value].reverse().map(reversed);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reversed(v)]),
  );
}

describe('policyVersion', () => {
  it('is a 16-digit hex hash, pinned: a change of the hashing restamps every history', () => {
    // If this changes, every stored alert and track looks computed under another policy.
    expect(versionOf(BASE)).toBe(versionOf(BASE));
    expect(versionOf(BASE)).toMatch(/^[0-9a-f]{16}$/);
    expect(versionOf(BASE)).toBe('79c7e636ae883ec7');
  });

  it('same policy, reordered keys and lists (YAML text too): same version', () => {
    expect(versionOf(reversed(BASE))).toBe(versionOf(BASE));
    const a = parseCoalitionText(
      'members: { a: { name: A }, b: { name: B } }\nrelease: { a: { to: [b] } }\n',
      { source: 'a' },
    );
    const b = parseCoalitionText(
      'release:\n  a:\n    to: [b]\nmembers:\n  b: { name: B }\n  a: { name: A }\n',
      { source: 'b' },
    );
    expect(policyVersion(a)).toBe(policyVersion(b));
  });

  it('other spellings of the same sharing: same version', () => {
    const base = versionOf(BASE);
    // `to` spelled out as the whole of each module the contributor is in.
    expect(
      versionOf(edited((d) => Object.assign(d.release, { ca: { to: ['ca-ns', 'uk', 'no'] } }))),
    ).toBe(base);
    // An inside rule that withholds from nobody in `to`.
    expect(
      versionOf(edited((d) => Object.assign(d.release.uk, { inside: { 'no-ts': ['ca'] } }))),
    ).toBe(base);
    // Names, voting and module names decide nothing anyone receives.
    expect(
      versionOf(
        edited((d) => {
          d.members.ca.name = 'Kanada';
        }),
      ),
    ).toBe(base);
    expect(
      versionOf(
        edited((d) => {
          d.members['ca-ns'].voting = true;
        }),
      ),
    ).toBe(base);
    expect(
      versionOf(
        edited((d) => {
          const { picture, border } = d.modules;
          d.modules = { tracks: picture, alerts: border } as unknown as Document['modules'];
        }),
      ),
    ).toBe(base);
  });

  it('any change to what a member receives: a new version', () => {
    const changes: [string, Document][] = [
      [
        'a `to` narrowed',
        edited((d) => {
          d.release.no.to = ['uk'];
        }),
      ],
      [
        'a `to` widened',
        edited((d) => {
          d.release.uk.to = ['ca', 'no'];
        }),
      ],
      [
        'an inside rule added',
        edited((d) => Object.assign(d.release.uk, { inside: { 'no-ts': [] } })),
      ],
      [
        'an inside rule opened',
        edited((d) => {
          d.release.no.inside = { 'no-ts': ['uk'] };
        }),
      ],
      ['an area added', edited((d) => Object.assign(d.members.uk, { area: ['no-ts'] }))],
      [
        'an area removed',
        edited((d) => {
          delete (d.members['ca-ns'] as { area?: string[] }).area;
        }),
      ],
      ['a parent added', edited((d) => Object.assign(d.members.uk, { parent: 'ca-ns' }))],
      [
        'a module member added',
        edited((d) => {
          d.modules.border.members.push('no');
        }),
      ],
      [
        'an output moved',
        edited((d) => {
          d.modules.border.outputs = ['dark_gap'];
        }),
      ],
    ];
    const base = versionOf(BASE);
    const seen = new Map<string, string>([[base, 'the base']]);
    for (const [change, document] of changes) {
      const version = versionOf(document);
      expect(seen.get(version), change).toBeUndefined();
      seen.set(version, change);
    }
  });

  it('covers the private zones and the areas of the zones it releases or limits by', () => {
    const base = versionOf(BASE);
    const joint = ZONES.find((z) => z.id === 'joint')!;
    expect(
      versionOf(BASE, [...ZONES.filter((z) => z !== joint), { ...joint, members: ['ca'] }]),
    ).not.toBe(base);
    const ts = ZONES.find((z) => z.id === 'no-ts')!;
    const moved = boxZones({
      id: 'no-ts',
      name: 'NO TS',
      kind: 'territorial_sea',
      box: [4, 58, 8, 63],
    }).zones[0]!;
    expect(
      versionOf(
        BASE,
        ZONES.map((z) => (z === ts ? { ...moved, index: z.index } : z)),
      ),
    ).not.toBe(base);
    // A zone the policy does not depend on may move freely.
    const far = boxZones({ id: 'elsewhere', name: 'E', kind: 'custom', box: [50, 0, 51, 1] })
      .zones[0]!;
    expect(versionOf(BASE, [...ZONES, { ...far, index: 3 }])).toBe(base);
    // Without zones, the version of the file alone, which differs.
    expect(versionOf(BASE, null)).not.toBe(base);
  });

  it('stable under reordering for seeded random coalitions of up to 140 members', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const document = randomCoalitionDocument(seed, {
        members: seed === 8 ? 140 : 10 + seed,
        modules: 3,
        zones: 3,
      });
      expect(versionOf(reversed(document), null)).toBe(versionOf(document, null));
    }
  });
});
