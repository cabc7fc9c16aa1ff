import { COALITION_OUTPUTS } from '../../src/coalition/coalition-output.js';
import { createRandom, type Random } from '../../src/util/random.js';

export interface RandomCoalitionOptions {
  readonly members: number;
  readonly modules: number;
  /** Zone ids inside rules and areas draw from (`z0`, `z1`, ...). */
  readonly zones: number;
}

/**
 * A valid coalition document drawn from a seed: members with parents (always an earlier member,
 * so no cycle), modules with disjoint outputs (no overlap), every member in a module, release
 * rules with and without `to`, inside rules naming only members of `to`, areas. For differential
 * tests of the precomputed tables against the rules (release.ts).
 */
export function randomCoalitionDocument(seed: number, options: RandomCoalitionOptions): unknown {
  const random = createRandom(seed);
  const ids = Array.from({ length: options.members }, (_, i) => `m${i}`);
  const zoneIds = Array.from({ length: options.zones }, (_, i) => `z${i}`);

  const members: Record<string, unknown> = {};
  ids.forEach((id, i) => {
    const hasParent = i > 0 && random.chance(0.25);
    members[id] = {
      name: `Member ${i}`,
      ...(hasParent ? { parent: ids[random.int(0, i - 1)], voting: false } : {}),
      ...(random.chance(0.15) ? { area: subset(random, zoneIds, 1) } : {}),
    };
  });

  const outputsOf: string[][] = Array.from({ length: options.modules }, () => []);
  COALITION_OUTPUTS.forEach((output, i) => {
    // The first outputs go one to each module, so every module has one; the rest anywhere.
    outputsOf[i < options.modules ? i : random.int(0, options.modules - 1)]!.push(output);
  });
  const membersOf: Set<string>[] = outputsOf.map(() => new Set());
  for (const id of ids) {
    membersOf[random.int(0, options.modules - 1)]!.add(id);
    for (const set of membersOf) if (random.chance(0.4)) set.add(id);
  }
  const modules: Record<string, unknown> = {};
  outputsOf.forEach((outputs, i) => {
    if (membersOf[i]!.size === 0) membersOf[i]!.add(random.pick(ids));
    modules[`module-${i}`] = { members: shuffle(random, [...membersOf[i]!]), outputs };
  });

  const release: Record<string, unknown> = {};
  for (const id of ids) {
    if (random.chance(0.3)) continue; // no rule: to the whole module
    const to = random.chance(0.7) ? subset(random, ids, 0) : undefined;
    const inside: Record<string, string[]> = {};
    if (zoneIds.length > 0) {
      for (let k = random.int(0, 3); k > 0; k--) {
        inside[random.pick(zoneIds)] = subset(random, to ?? ids, 0);
      }
    }
    release[id] = { ...(to === undefined ? {} : { to }), inside };
  }
  return { members, modules, release };
}

/**
 * A random coalition document over a simulated scenario's members (`m0`..`m<members-1>`) and its
 * zone ids (the generator's `z<i>` mapped onto them), always with a sub-national member (`m1`
 * under `m0` when the draw gave none): the random coalitions of issue 13's equivalence tests,
 * for `replay --coalition` (test/pipeline/coalition-replay.test.ts) and the worker
 * (test/integration/worker/worker-coalition-property.test.ts).
 */
export function randomScenarioCoalitionDocument(
  seed: number,
  members: number,
  zoneIds: readonly string[],
): Record<string, unknown> {
  const random = createRandom(seed * 7919);
  const document = randomCoalitionDocument(seed, {
    members,
    modules: random.int(1, 3),
    zones: zoneIds.length,
  }) as {
    members: Record<string, { parent?: string; voting?: boolean; area?: string[] }>;
    release: Record<string, { inside?: Record<string, string[]> }>;
  };
  const real = (zoneId: string): string => zoneIds[Number(zoneId.slice(1))]!;
  for (const member of Object.values(document.members)) {
    if (member.area !== undefined) member.area = member.area.map(real);
  }
  for (const rule of Object.values(document.release)) {
    if (rule.inside === undefined) continue;
    rule.inside = Object.fromEntries(
      Object.entries(rule.inside).map(([zoneId, to]) => [real(zoneId), to]),
    );
  }
  if (!Object.values(document.members).some((m) => m.parent !== undefined)) {
    Object.assign(document.members.m1!, { parent: 'm0', voting: false });
  }
  return document;
}

/** A random subset of `items`, at least `min` of them, in random order. */
export function subset<T>(random: Random, items: readonly T[], min: number): T[] {
  const chosen = items.filter(() => random.chance(random.next()));
  while (chosen.length < min && items.length > 0) chosen.push(random.pick(items));
  return shuffle(random, [...new Set(chosen)]);
}

/** Fisher–Yates, in place. */
function shuffle<T>(random: Random, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
