import type { z } from 'zod';
import type { Zone, ZonePolygon } from '../zones/zone.js';
import type {
  Coalition,
  CoalitionMember,
  CoalitionModule,
  ContributorRelease,
  PrivateZone,
} from './coalition.js';
import { DEFAULT_MODULE_NAME } from './coalition.js';
import { CoalitionError, type CoalitionErrorCode, type CoalitionIssue } from './coalition-error.js';
import {
  COALITION_FILE_KEYS,
  type MemberEntry,
  type ModuleEntry,
  memberEntrySchema,
  moduleEntrySchema,
  type ReleaseEntry,
  releaseEntrySchema,
} from './coalition-file-schema.js';
import { COALITION_OUTPUTS, type CoalitionOutput, isCoalitionOutput } from './coalition-output.js';
import { memberIdProblem, memberRoleName } from './member-id.js';

export interface ParseCoalitionOptions {
  /** Names the document in errors (the file path). */
  readonly source: string;
  /**
   * The zones the policy will run with. Given, every zone id the file names is checked, private
   * zones (a zone's `members`) are read and their members checked, and the areas of the zones the
   * policy depends on enter its version. Left out, zone ids are taken on trust.
   */
  readonly zones?: readonly Zone[];
  /** Problems found before the document was built (YAML duplicate keys), listed with the rest. */
  readonly issues?: readonly CoalitionIssue[];
}

/**
 * Checks a coalition document (parsed YAML or JSON) and returns it normalised (coalition.ts).
 * Throws one CoalitionError listing every problem: each section and each entry is checked even
 * when another is wrong, and a bad entry still counts as declared, so a mistake in one member
 * does not come back as "unknown member" everywhere it is named.
 */
export function parseCoalition(document: unknown, options: ParseCoalitionOptions): Coalition {
  const issues = new IssueList(options.issues);
  if (!isRecord(document)) {
    issues.add('schema', '(root)', `expected a mapping with "members", got ${describe(document)}`);
    throw new CoalitionError(options.source, issues.all);
  }
  for (const key of Object.keys(document)) {
    if (!(COALITION_FILE_KEYS as readonly string[]).includes(key)) {
      issues.add(
        'schema',
        key,
        `unknown key (expected ${COALITION_FILE_KEYS.join(', ')}; every key but members is optional)`,
      );
    }
  }

  const members = entries(document, 'members', memberEntrySchema, issues);
  if (members === undefined) {
    issues.add('schema', 'members', 'required: a mapping of member id to { name, ... }');
  } else if (members.declared.length === 0) {
    issues.add('schema', 'members', 'at least one member');
  }
  const memberIds = new Set(members?.declared ?? []);
  const modules = entries(document, 'modules', moduleEntrySchema, issues);
  const release = entries(document, 'release', releaseEntrySchema, issues);
  const zones = options.zones === undefined ? undefined : new Map(options.zones.map(byId));

  const check = new References(issues, memberIds, zones);
  checkMembers(members?.valid ?? new Map(), check);
  if (modules !== undefined) checkModules(modules, memberIds, check);
  if (release !== undefined) checkRelease(release.valid, members?.valid ?? new Map(), check);
  for (const zone of options.zones ?? []) {
    if (zone.members !== undefined) check.members(`zones.${zone.id}.members`, zone.members);
  }

  if (issues.all.length > 0 || members === undefined) {
    throw new CoalitionError(options.source, issues.all);
  }
  return normalise(options.source, members.valid, modules?.valid, release?.valid, options.zones);
}

/** Entries of one section that passed their schema, and every key declared in it. */
interface Section<T> {
  readonly declared: readonly string[];
  readonly valid: ReadonlyMap<string, T>;
}

/** Reads one section (`members`, `modules`, `release`) entry by entry; undefined when absent. */
function entries<T>(
  document: Readonly<Record<string, unknown>>,
  key: string,
  schema: z.ZodType<T>,
  issues: IssueList,
): Section<T> | undefined {
  const section = document[key];
  if (section === undefined || section === null) return undefined; // `release:` with nothing under it
  if (!isRecord(section)) {
    issues.add('schema', key, `expected a mapping, got ${describe(section)}`);
    return { declared: [], valid: new Map() };
  }
  const valid = new Map<string, T>();
  for (const [name, value] of Object.entries(section)) {
    const result = schema.safeParse(value);
    if (result.success) {
      valid.set(name, result.data);
      continue;
    }
    for (const issue of result.error.issues) {
      issues.add('schema', [key, name, ...issue.path.map(String)].join('.'), issue.message);
    }
  }
  return { declared: Object.keys(section), valid };
}

function checkMembers(members: ReadonlyMap<string, MemberEntry>, check: References): void {
  const byRole = new Map<string, string[]>();
  for (const id of check.memberIds) {
    const problem = memberIdProblem(id);
    if (problem !== undefined) {
      check.issues.add('member_id', `members.${id}`, problem);
      continue; // its role name means nothing: no collision reported on top
    }
    const role = memberRoleName(id);
    byRole.set(role, [...(byRole.get(role) ?? []), id]);
  }
  for (const [role, ids] of byRole) {
    if (ids.length > 1) {
      check.issues.add(
        'id_collision',
        `members.${ids[0]}`,
        `members ${ids.join(', ')} would all be the Postgres role ${role} (names are cut at 63 bytes)`,
      );
    }
  }
  for (const [id, member] of members) {
    if (member.parent !== undefined) check.member(`members.${id}.parent`, member.parent);
    if (member.area !== undefined) check.zones(`members.${id}.area`, member.area);
  }
  for (const cycle of parentCycles(members)) {
    check.issues.add(
      'parent_cycle',
      `members.${cycle[0]}.parent`,
      `parents go round in a circle: ${[...cycle, cycle[0]].join(' → ')}`,
    );
  }
}

/** Every cycle of `parent` links, each once, starting at its smallest id. */
function parentCycles(members: ReadonlyMap<string, MemberEntry>): string[][] {
  const cycles: string[][] = [];
  const settled = new Set<string>();
  for (const start of [...members.keys()].sort()) {
    const path: string[] = [];
    let id: string | undefined = start;
    while (id !== undefined && !settled.has(id) && !path.includes(id)) {
      path.push(id);
      id = members.get(id)?.parent;
    }
    if (id !== undefined && path.includes(id)) {
      const cycle = path.slice(path.indexOf(id));
      const first = cycle.indexOf([...cycle].sort()[0]!);
      cycles.push([...cycle.slice(first), ...cycle.slice(0, first)]);
    }
    for (const seen of path) settled.add(seen);
  }
  return cycles;
}

function checkModules(
  modules: Section<ModuleEntry>,
  memberIds: ReadonlySet<string>,
  check: References,
): void {
  if (modules.declared.length === 0) {
    check.issues.add('schema', 'modules', 'no module: leave "modules" out for one module of all');
  }
  const inModule = new Set<string>();
  for (const [name, module] of modules.valid) {
    check.members(`modules.${name}.members`, module.members);
    for (const id of module.members) inModule.add(id);
    if (module.outputs !== undefined) {
      check.duplicates(`modules.${name}.outputs`, module.outputs);
      module.outputs.forEach((output, i) => {
        if (!isCoalitionOutput(output)) {
          check.issues.add(
            'unknown_output',
            `modules.${name}.outputs.${i}`,
            `${JSON.stringify(output)} is not an output (${COALITION_OUTPUTS.join(', ')})`,
          );
        }
      });
    }
  }
  // Only when every module could be read: a module with a typo may hold the missing member.
  if (modules.valid.size === modules.declared.length && modules.declared.length > 0) {
    for (const id of memberIds) {
      if (!inModule.has(id)) {
        check.issues.add(
          'no_module',
          `members.${id}`,
          'in no module: it would share and see nothing',
        );
      }
    }
  }
  checkOutputOverlap(modules.valid, check.issues);
}

/**
 * A member's outputs go to one topic per output (`tracks.fused.<id>`, `alerts.<id>`): receiving
 * one output from two modules would put two different pictures on it, so it is refused.
 */
function checkOutputOverlap(modules: ReadonlyMap<string, ModuleEntry>, issues: IssueList): void {
  const names = [...modules.keys()].sort();
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const a = modules.get(names[i]!)!;
      const b = modules.get(names[j]!)!;
      const outputsA: readonly string[] = a.outputs ?? COALITION_OUTPUTS;
      const shared = (b.outputs ?? [...COALITION_OUTPUTS]).filter((o) => outputsA.includes(o));
      if (shared.length === 0) continue;
      for (const member of new Set(a.members.filter((m) => b.members.includes(m)))) {
        issues.add(
          'output_overlap',
          `modules.${names[j]}.members`,
          `${member} would receive ${shared.join(', ')} from both modules ${names[i]} and ${names[j]}: a member gets each output from one module`,
        );
      }
    }
  }
}

function checkRelease(
  release: ReadonlyMap<string, ReleaseEntry>,
  members: ReadonlyMap<string, MemberEntry>,
  check: References,
): void {
  for (const [contributor, rule] of release) {
    // The contributor and its parent see its reports anyway (release.ts): naming them is no widening.
    const alwaysSees = [contributor, members.get(contributor)?.parent];
    check.member(`release.${contributor}`, contributor);
    if (rule.to !== undefined) check.members(`release.${contributor}.to`, rule.to);
    for (const [zoneId, releasedTo] of Object.entries(rule.inside ?? {})) {
      const path = `release.${contributor}.inside.${zoneId}`;
      check.zones(`release.${contributor}.inside`, [zoneId]);
      check.members(path, releasedTo);
      releasedTo.forEach((id, i) => {
        if (rule.to !== undefined && !alwaysSees.includes(id) && !rule.to.includes(id)) {
          check.issues.add(
            'inside_widens',
            `${path}.${i}`,
            `${id} is not in release.${contributor}.to: an inside rule only narrows who sees a report there`,
          );
        }
      });
    }
  }
}

/** Checks names against the members declared and the zones given. */
class References {
  constructor(
    readonly issues: IssueList,
    readonly memberIds: ReadonlySet<string>,
    private readonly zoneById: ReadonlyMap<string, Zone> | undefined,
  ) {}

  member(path: string, id: string): void {
    if (!this.memberIds.has(id)) {
      this.issues.add('unknown_member', path, `${JSON.stringify(id)} is not in members`);
    }
  }

  members(path: string, ids: readonly string[]): void {
    this.duplicates(path, ids);
    ids.forEach((id, i) => {
      this.member(`${path}.${i}`, id);
    });
  }

  zones(path: string, ids: readonly string[]): void {
    this.duplicates(path, ids);
    if (this.zoneById === undefined) return;
    for (const id of ids) {
      if (!this.zoneById.has(id)) {
        this.issues.add(
          'unknown_zone',
          path,
          `zone ${JSON.stringify(id)} is not in the zones given`,
        );
      }
    }
  }

  duplicates(path: string, values: readonly string[]): void {
    const seen = new Set<string>();
    for (const value of values) {
      if (seen.has(value)) this.issues.add('duplicate', path, `${JSON.stringify(value)} twice`);
      seen.add(value);
    }
  }
}

class IssueList {
  readonly all: CoalitionIssue[];

  constructor(initial: readonly CoalitionIssue[] = []) {
    this.all = [...initial];
  }

  add(code: CoalitionErrorCode, path: string, message: string): void {
    this.all.push({ code, path, message });
  }
}

/** The checked document with defaults applied and every list sorted. */
function normalise(
  source: string,
  members: ReadonlyMap<string, MemberEntry>,
  modules: ReadonlyMap<string, ModuleEntry> | undefined,
  release: ReadonlyMap<string, ReleaseEntry> | undefined,
  zones: readonly Zone[] | undefined,
): Coalition {
  const normalMembers: CoalitionMember[] = [...members]
    .map(([id, m]) => ({
      id,
      name: m.name,
      parent: m.parent,
      voting: m.voting ?? true,
      area: m.area === undefined ? undefined : sorted(m.area),
    }))
    .sort(byKey((m) => m.id));
  const normalModules: CoalitionModule[] =
    modules === undefined
      ? [
          {
            name: DEFAULT_MODULE_NAME,
            members: normalMembers.map((m) => m.id),
            outputs: COALITION_OUTPUTS,
          },
        ]
      : [...modules]
          .map(([name, m]) => ({
            name,
            members: sorted(m.members),
            outputs: inOutputOrder(m.outputs ?? COALITION_OUTPUTS),
          }))
          .sort(byKey((m) => m.name));
  const normalRelease: ContributorRelease[] = [...(release ?? [])]
    .map(([contributor, r]) => ({
      contributor,
      to: r.to === undefined ? undefined : sorted(r.to),
      inside: Object.entries(r.inside ?? {})
        .map(([zoneId, releasedTo]) => ({ zoneId, releasedTo: sorted(releasedTo) }))
        .sort(byKey((rule) => rule.zoneId)),
    }))
    .sort(byKey((r) => r.contributor));
  const privateZones: PrivateZone[] = (zones ?? [])
    .filter((zone) => zone.members !== undefined)
    .map((zone) => ({ id: zone.id, members: sorted(zone.members ?? []) }))
    .sort(byKey((zone) => zone.id));
  let zoneAreas: Map<string, readonly ZonePolygon[]> | undefined;
  if (zones !== undefined) {
    const named = new Set([
      ...normalMembers.flatMap((m) => m.area ?? []),
      ...normalRelease.flatMap((r) => r.inside.map((rule) => rule.zoneId)),
    ]);
    zoneAreas = new Map(zones.filter((z) => named.has(z.id)).map((z) => [z.id, z.polygons]));
  }
  return {
    source,
    members: normalMembers,
    modules: normalModules,
    release: normalRelease,
    privateZones,
    zoneAreas,
  };
}

function inOutputOrder(outputs: readonly string[]): CoalitionOutput[] {
  return COALITION_OUTPUTS.filter((output) => outputs.includes(output));
}

function sorted(values: readonly string[]): string[] {
  return [...values].sort();
}

function byKey<T>(key: (value: T) => string): (a: T, b: T) => number {
  return (a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

function byId(zone: Zone): [string, Zone] {
  return [zone.id, zone];
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value)}`;
}
