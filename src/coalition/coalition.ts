import type { ZonePolygon } from '../zones/zone.js';
import type { CoalitionOutput } from './coalition-output.js';

/**
 * A coalition policy as the loader leaves it (DESIGN.md §6): defaults applied, every list sorted,
 * every reference checked. Plain data, so it prints as JSON and hashes (policy-version.ts).
 */
export interface Coalition {
  /** The file (or the name the caller gave the document). */
  readonly source: string;
  /** Sorted by id. */
  readonly members: readonly CoalitionMember[];
  /** Sorted by name. The file's `modules`, or DEFAULT_MODULE_NAME holding every member and output. */
  readonly modules: readonly CoalitionModule[];
  /** Release rules of the contributors that have one, sorted by contributor. */
  readonly release: readonly ContributorRelease[];
  /** Zones with `members` in the zones given (DESIGN.md §3), sorted by id; empty without zones. */
  readonly privateZones: readonly PrivateZone[];
  /**
   * The areas of the zones the policy releases or limits by (`inside`, `area`), by id: moving such
   * a boundary changes who sees what, so the policy version covers it. Undefined when the policy
   * was loaded without zones (their ids were then not checked either).
   */
  readonly zoneAreas: ReadonlyMap<string, readonly ZonePolygon[]> | undefined;
}

export interface CoalitionMember {
  /** See member-id.ts. */
  readonly id: string;
  readonly name: string;
  /** The sovereign member a sub-national or agency member belongs to. */
  readonly parent: string | undefined;
  /** Governance only: release and visibility never depend on it. */
  readonly voting: boolean;
  /** Zone ids, sorted: the member's outputs are limited to positions inside them; undefined = no limit. */
  readonly area: readonly string[] | undefined;
}

export interface CoalitionModule {
  readonly name: string;
  /** Member ids, sorted. */
  readonly members: readonly string[];
  /** In COALITION_OUTPUTS order. */
  readonly outputs: readonly CoalitionOutput[];
}

/** The module a coalition without `modules` has: every member, every output. */
export const DEFAULT_MODULE_NAME = 'all';

/** One contributor's release rule (`release.<contributor>`). */
export interface ContributorRelease {
  readonly contributor: string;
  /** Member ids, sorted; undefined = every member of the module. */
  readonly to: readonly string[] | undefined;
  /** Sorted by zone id. */
  readonly inside: readonly InsideRule[];
}

/** Reports positioned inside `zoneId` are released only to `releasedTo` (`[]`: to nobody else). */
export interface InsideRule {
  readonly zoneId: string;
  /** Member ids, sorted. */
  readonly releasedTo: readonly string[];
}

/** A zone whose alerts reach only its members (DESIGN.md §3, §6). */
export interface PrivateZone {
  readonly id: string;
  /** Member ids, sorted. */
  readonly members: readonly string[];
}
