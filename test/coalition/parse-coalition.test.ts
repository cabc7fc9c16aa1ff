import { describe, expect, it } from 'vitest';
import { CoalitionError, type CoalitionIssue } from '../../src/coalition/coalition-error.js';
import { COALITION_OUTPUTS } from '../../src/coalition/coalition-output.js';
import { parseCoalitionText } from '../../src/coalition/coalition-text.js';
import { memberRoleName } from '../../src/coalition/member-id.js';
import { parseCoalition } from '../../src/coalition/parse-coalition.js';
import type { Zone } from '../../src/zones/zone.js';
import { DESIGN_EXAMPLE, DESIGN_ZONES } from './design-example.js';

const ZONES = DESIGN_ZONES;
/** Without the private zone, whose members the documents below do not all declare. */
const PUBLIC_ZONES = ZONES.filter((zone) => zone.members === undefined);

/** The issues a document is refused with. */
function issuesOf(document: unknown, zones: readonly Zone[] = PUBLIC_ZONES): CoalitionIssue[] {
  try {
    parseCoalition(document, { source: 'test.yaml', zones });
  } catch (error) {
    expect(error).toBeInstanceOf(CoalitionError);
    return [...(error as CoalitionError).issues];
  }
  throw new Error('accepted');
}

const codesOf = (document: unknown, zones: readonly Zone[] = PUBLIC_ZONES) =>
  issuesOf(document, zones).map((i) => [i.code, i.path]);

describe('parseCoalition: a valid file', () => {
  it('reads the DESIGN.md §6 example, sorted and with defaults applied', () => {
    const coalition = parseCoalitionText(DESIGN_EXAMPLE, { source: 'x.yaml', zones: ZONES });
    expect(coalition.members.map((m) => [m.id, m.parent, m.voting, m.area])).toEqual([
      ['ca', undefined, true, undefined],
      ['ca-ns', 'ca', false, ['ns-waters']],
      ['no', undefined, true, undefined],
      ['uk', undefined, true, undefined],
    ]);
    expect(coalition.modules).toEqual([
      {
        name: 'border',
        members: ['ca', 'ca-ns', 'uk'],
        outputs: ['dark_gap', 'rendezvous', 'zone_entry', 'zone_exit'],
      },
      { name: 'picture', members: ['ca', 'ca-ns', 'no', 'uk'], outputs: ['tracks'] },
    ]);
    expect(coalition.release).toEqual([
      {
        contributor: 'no',
        to: ['uk'],
        inside: [{ zoneId: 'no-territorial-sea', releasedTo: [] }],
      },
      { contributor: 'uk', to: ['ca'], inside: [] },
    ]);
    expect(coalition.privateZones).toEqual([{ id: 'joint-box', members: ['ca', 'uk'] }]);
    expect([...(coalition.zoneAreas?.keys() ?? [])].sort()).toEqual([
      'no-territorial-sea',
      'ns-waters',
    ]);
  });

  it('without modules: one module of every member and every output; empty sections are absent', () => {
    const coalition = parseCoalition(
      { members: { b: { name: 'B' }, a: { name: 'A' } }, release: null },
      { source: 'x' },
    );
    expect(coalition.modules).toEqual([
      { name: 'all', members: ['a', 'b'], outputs: [...COALITION_OUTPUTS] },
    ]);
    expect(coalition.release).toEqual([]);
    expect(coalition.zoneAreas).toBeUndefined();
    expect(coalition.privateZones).toEqual([]);
  });

  it('takes zone ids on trust without zones, and numeric zone ids as strings', () => {
    const coalition = parseCoalition(
      { members: { a: { name: 'A', area: [12, 'elsewhere'] } } },
      { source: 'x' },
    );
    expect(coalition.members[0]!.area).toEqual(['12', 'elsewhere']);
  });
});

describe('parseCoalition: every problem, each named', () => {
  it('refuses what is not a mapping, and a file without members', () => {
    expect(codesOf([])).toEqual([['schema', '(root)']]);
    expect(codesOf({ modules: {} })).toEqual([
      ['schema', 'members'],
      ['schema', 'modules'],
    ]);
    expect(codesOf({ members: {} })).toEqual([['schema', 'members']]);
  });

  it('names unknown keys and bad values by their path', () => {
    expect(
      codesOf({
        members: { ca: { name: 'C', colour: 'red' }, uk: { name: 3 }, no: { name: 'N', area: [] } },
        modules: { m: { members: ['ca', 'uk', 'no'], extra: 1 } },
        release: { ca: { too: ['uk'] } },
        realese: {},
      }),
    ).toEqual([
      ['schema', 'realese'],
      ['schema', 'members.ca'],
      ['schema', 'members.uk.name'],
      ['schema', 'members.no.area'],
      ['schema', 'modules.m'],
      ['schema', 'release.ca'],
    ]);
  });

  it('member ids: the character set, and Postgres role names that would collide', () => {
    const long = 'a'.repeat(56);
    expect(memberRoleName(`${long}-x`)).toBe(memberRoleName(`${long}-y`));
    expect(
      codesOf({
        members: {
          Ca: { name: 'upper' },
          '1st': { name: 'digit first' },
          ca_ns: { name: 'underscore' },
          'ca-': { name: 'dash last' },
          [`${long}-x`]: { name: 'long x' },
          [`${long}-y`]: { name: 'long y' },
          [`x${'a'.repeat(240)}`]: { name: 'longer than a Kafka topic' },
          'ca-ns': { name: 'fine' },
        },
      }),
    ).toEqual([
      ['member_id', 'members.Ca'],
      ['member_id', 'members.1st'],
      ['member_id', 'members.ca_ns'],
      ['member_id', 'members.ca-'],
      ['member_id', `members.x${'a'.repeat(240)}`],
      ['id_collision', `members.${long}-x`],
    ]);
  });

  it('unknown members wherever they are named, a zone naming one included', () => {
    const issues = issuesOf(
      {
        members: { ca: { name: 'C', parent: 'us' }, no: { name: 'N' } },
        modules: { m: { members: ['ca', 'no', 'de'] } },
        release: {
          fr: { to: [] },
          no: { to: ['ca', 'xx'], inside: { 'no-territorial-sea': ['yy'] } },
        },
      },
      ZONES,
    );
    expect(issues.filter((i) => i.code === 'unknown_member').map((i) => i.path)).toEqual([
      'members.ca.parent',
      'modules.m.members.2',
      'release.fr',
      'release.no.to.1',
      'release.no.inside.no-territorial-sea.0',
      'zones.joint-box.members.1', // uk
    ]);
    expect(issues.find((i) => i.path === 'release.no.to.1')?.message).toBe(
      '"xx" is not in members',
    );
  });

  it('unknown zones only when zones are given', () => {
    const document = {
      members: { ca: { name: 'C', area: ['nowhere'] }, no: { name: 'N' } },
      release: { no: { inside: { 'no-territorial-sea': [], atlantis: [] } } },
    };
    expect(codesOf(document, [])).toEqual([
      ['unknown_zone', 'members.ca.area'],
      ['unknown_zone', 'release.no.inside'],
      ['unknown_zone', 'release.no.inside'],
    ]);
    expect(codesOf(document, PUBLIC_ZONES)).toEqual([
      ['unknown_zone', 'members.ca.area'],
      ['unknown_zone', 'release.no.inside'],
    ]);
    expect(() => parseCoalition(document, { source: 'x' })).not.toThrow();
  });

  it('parent cycles, each once, from its smallest id', () => {
    const issues = issuesOf({
      members: {
        c: { name: 'C', parent: 'a' },
        a: { name: 'A', parent: 'b' },
        b: { name: 'B', parent: 'c' },
        self: { name: 'S', parent: 'self' },
        leaf: { name: 'L', parent: 'a' },
      },
    });
    expect(issues.map((i) => [i.code, i.message])).toEqual([
      ['parent_cycle', 'parents go round in a circle: a → b → c → a'],
      ['parent_cycle', 'parents go round in a circle: self → self'],
    ]);
  });

  it('outputs that are no alert kind, duplicates in every list', () => {
    expect(
      codesOf({
        members: { ca: { name: 'C', area: ['ns-waters', 'ns-waters'] }, uk: { name: 'U' } },
        modules: { m: { members: ['ca', 'uk', 'ca'], outputs: ['tracks', 'dark_gaps', 'tracks'] } },
        release: { uk: { to: ['ca', 'ca'], inside: { 'ns-waters': ['ca', 'ca'] } } },
      }),
    ).toEqual([
      ['duplicate', 'members.ca.area'],
      ['duplicate', 'modules.m.members'],
      ['duplicate', 'modules.m.outputs'],
      ['unknown_output', 'modules.m.outputs.1'],
      ['duplicate', 'release.uk.to'],
      ['duplicate', 'release.uk.inside.ns-waters'],
    ]);
  });

  it('a YAML key given twice is a duplicate, listed with the other problems', () => {
    const text =
      'members:\n  ca: { name: A }\n  ca: { name: B }\nmodules:\n  m: { members: [ca, de] }\n';
    expect(() => parseCoalitionText(text, { source: 'dup.yaml' })).toThrow(CoalitionError);
    try {
      parseCoalitionText(text, { source: 'dup.yaml' });
    } catch (error) {
      expect((error as CoalitionError).issues).toEqual([
        { code: 'duplicate', path: 'line 3, column 3', message: 'key ca given twice' },
        { code: 'unknown_member', path: 'modules.m.members.1', message: '"de" is not in members' },
      ]);
      expect((error as CoalitionError).code).toBe('duplicate');
    }
  });

  it('a YAML syntax error stops there, with its line', () => {
    try {
      parseCoalitionText('members:\n  ca: { name: A\n', { source: 'bad.yaml' });
      expect.unreachable();
    } catch (error) {
      expect((error as CoalitionError).code).toBe('yaml');
      expect((error as CoalitionError).message).toMatch(/^bad\.yaml: 1 problem:\n {2}line 3/);
    }
  });

  it('a member in no module (only when every module could be read)', () => {
    const members = { ca: { name: 'C' }, uk: { name: 'U' }, no: { name: 'N' } };
    expect(codesOf({ members, modules: { m: { members: ['ca'] } } })).toEqual([
      ['no_module', 'members.uk'],
      ['no_module', 'members.no'],
    ]);
    // The broken module might hold uk and no: only its own error.
    expect(
      codesOf({ members, modules: { m: { members: ['ca'] }, n: { members: ['uk', 'no'], x: 1 } } }),
    ).toEqual([['schema', 'modules.n']]);
  });

  it('one output from two modules for one member', () => {
    const issues = issuesOf({
      members: { ca: { name: 'C' }, uk: { name: 'U' }, no: { name: 'N' } },
      modules: {
        a: { members: ['ca', 'uk'], outputs: ['tracks', 'dark_gap'] },
        b: { members: ['ca', 'no'], outputs: ['dark_gap', 'rendezvous'] },
        c: { members: ['uk', 'no'] },
      },
    });
    expect(issues.map((i) => i.message)).toEqual([
      'ca would receive dark_gap from both modules a and b: a member gets each output from one module',
      'uk would receive tracks, dark_gap from both modules a and c: a member gets each output from one module',
      'no would receive dark_gap, rendezvous from both modules b and c: a member gets each output from one module',
    ]);
    expect(issues.every((i) => i.code === 'output_overlap')).toBe(true);
  });

  it('an inside rule cannot release to a member `to` leaves out (it only narrows)', () => {
    const issues = issuesOf({
      members: { ca: { name: 'C' }, 'ca-ns': { name: 'NS', parent: 'ca' }, uk: { name: 'U' } },
      release: {
        'ca-ns': { to: ['uk'], inside: { 'ns-waters': ['uk', 'ca', 'ca-ns'] } }, // parent and self: fine
        uk: { to: ['ca'], inside: { 'ns-waters': ['ca-ns'] } },
      },
    });
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['inside_widens', 'release.uk.inside.ns-waters.0'],
    ]);
  });

  it('lists every problem of a file in one error, the message naming each', () => {
    try {
      parseCoalition(
        {
          members: { ca: { name: 'C', parent: 'ca' }, UK: { name: 'U' } },
          modules: { m: { members: ['ca', 'xx'], outputs: ['nope'] } },
        },
        { source: 'many.yaml' },
      );
      expect.unreachable();
    } catch (error) {
      const e = error as CoalitionError;
      expect(e.issues.map((i) => i.code)).toEqual([
        'member_id',
        'parent_cycle',
        'unknown_member',
        'unknown_output',
        'no_module',
      ]);
      expect(e.message.split('\n')).toEqual([
        'many.yaml: 5 problems:',
        '  members.UK: member id "UK": use lowercase letters, digits and "-", starting with a letter [member_id]',
        '  members.ca.parent: parents go round in a circle: ca → ca [parent_cycle]',
        '  modules.m.members.1: "xx" is not in members [unknown_member]',
        '  modules.m.outputs.0: "nope" is not an output (tracks, dark_gap, rendezvous, zone_entry, zone_exit, loitering, position_jump, identity_conflict, invalid_identity) [unknown_output]',
        '  members.UK: in no module: it would share and see nothing [no_module]',
      ]);
    }
  });
});
