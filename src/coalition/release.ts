import type { Coalition, CoalitionModule } from './coalition.js';

/**
 * Whether audience A sees contributor C's contributions in module M (DESIGN.md §6), and where
 * not. This is the rule as written, walked per question: the reference the precomputed tables
 * (picture-classes.ts, release-table.ts) are built from and tested against.
 *
 * - Both must be members of M, else nothing is visible.
 * - A member always sees its own contributions, everywhere.
 * - A sub-national member's contributions are released to its parent, everywhere: the parent
 *   answers for it (only the direct parent: a grandparent gets them through its own release).
 * - Otherwise C releases to A when C has no `to` (to the whole module) or `to` names A; then each
 *   of C's `inside` rules whose list leaves A out withholds the reports positioned inside its
 *   zone. Several zones containing a position combine by intersection: A sees the report only if
 *   every such zone's list names A — the most restrictive rule wins, so a member's territorial
 *   sea stays closed even where another rule's zone overlaps it.
 */
export type Release =
  | {
      readonly released: true;
      readonly reason: 'own' | 'parent' | 'released';
      /** Zone ids, sorted: reports positioned inside any of them are not visible. */
      readonly withheldInside: readonly string[];
    }
  | { readonly released: false; readonly reason: 'not_released' | 'not_in_module' };

const NOT_IN_MODULE: Release = { released: false, reason: 'not_in_module' };
const NOT_RELEASED: Release = { released: false, reason: 'not_released' };
const OWN: Release = { released: true, reason: 'own', withheldInside: [] };
const PARENT: Release = { released: true, reason: 'parent', withheldInside: [] };

export function releaseBetween(
  coalition: Coalition,
  module: CoalitionModule,
  contributor: string,
  audience: string,
): Release {
  if (!module.members.includes(contributor) || !module.members.includes(audience)) {
    return NOT_IN_MODULE;
  }
  if (contributor === audience) return OWN;
  if (coalition.members.find((m) => m.id === contributor)?.parent === audience) return PARENT;
  const rule = coalition.release.find((r) => r.contributor === contributor);
  if (rule === undefined) return { released: true, reason: 'released', withheldInside: [] };
  if (rule.to !== undefined && !rule.to.includes(audience)) return NOT_RELEASED;
  const withheldInside = rule.inside
    .filter((inside) => !inside.releasedTo.includes(audience))
    .map((inside) => inside.zoneId);
  return { released: true, reason: 'released', withheldInside };
}

/** Whether a released contribution positioned inside `zoneIds` (and no other zone) is visible. */
export function visibleAt(release: Release, zoneIds: ReadonlySet<string>): boolean {
  return release.released && !release.withheldInside.some((zoneId) => zoneIds.has(zoneId));
}
