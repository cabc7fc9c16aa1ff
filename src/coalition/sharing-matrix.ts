import type { Coalition, PrivateZone } from './coalition.js';
import type { CoalitionOutput } from './coalition-output.js';
import { memberRoleName } from './member-id.js';
import { pictureClasses } from './picture-classes.js';
import { policyVersion } from './policy-version.js';
import { releaseBetween } from './release.js';

/**
 * The effective sharing of a coalition policy, as a data-sharing officer signs it off
 * (`tidewatch coalition explain`, docs/coalition.md): for every module and audience whose
 * contributions it sees and where not, its area, the private zones, which audiences share one
 * picture, and the policy version. Plain JSON (`--json`); sharing-matrix-text.ts prints it.
 */
export interface SharingMatrix {
  readonly source: string;
  readonly version: string;
  /** False when the policy was loaded without zones: zone ids unchecked, private zones unknown. */
  readonly zonesChecked: boolean;
  readonly members: readonly MemberRow[];
  readonly modules: readonly ModuleMatrix[];
  readonly privateZones: readonly PrivateZone[];
  readonly pictures: readonly PictureRow[];
}

export interface MemberRow {
  readonly id: string;
  readonly name: string;
  readonly parent: string | null;
  readonly voting: boolean;
  /** Zone ids its outputs are limited to; null = no limit. */
  readonly area: readonly string[] | null;
  /** Its Postgres group role (DESIGN.md §6). */
  readonly role: string;
}

export interface ModuleMatrix {
  readonly name: string;
  readonly members: readonly string[];
  readonly outputs: readonly CoalitionOutput[];
  /** One row per member of the module, by id. */
  readonly audiences: readonly AudienceRow[];
}

export interface AudienceRow {
  readonly member: string;
  /** Id of its picture class (`pictures`). */
  readonly picture: string;
  readonly area: readonly string[] | null;
  /** One cell per member of the module (as contributor), by id. */
  readonly contributions: readonly ContributionCell[];
}

export interface ContributionCell {
  readonly contributor: string;
  /** own: its own; parent: from its sub-national member; released: by the contributor's rule. */
  readonly sees: 'own' | 'parent' | 'released' | 'not_released';
  /** Zone ids where the contributions are not visible (inside rules). */
  readonly withheldInside: readonly string[];
}

export interface PictureRow {
  readonly id: string;
  readonly audiences: readonly { readonly module: string; readonly member: string }[];
  readonly outputs: readonly CoalitionOutput[];
}

export function sharingMatrix(coalition: Coalition): SharingMatrix {
  const pictures = pictureClasses(coalition);
  const memberById = new Map(coalition.members.map((m) => [m.id, m]));
  const modules = coalition.modules.map((module) => ({
    name: module.name,
    members: module.members,
    outputs: module.outputs,
    audiences: module.members.map((member) => {
      const classed = pictures.audiences.find(
        (a) => a.module === module.name && a.member === member,
      )!;
      return {
        member,
        picture: pictures.classes[classed.picture]!.id,
        area: memberById.get(member)!.area ?? null,
        contributions: module.members.map((contributor) => {
          const release = releaseBetween(coalition, module, contributor, member);
          // Both are members of the module, so "not_in_module" cannot occur here.
          return release.released
            ? { contributor, sees: release.reason, withheldInside: release.withheldInside }
            : { contributor, sees: 'not_released' as const, withheldInside: [] };
        }),
      };
    }),
  }));
  return {
    source: coalition.source,
    version: policyVersion(coalition, pictures),
    zonesChecked: coalition.zoneAreas !== undefined,
    members: coalition.members.map((m) => ({
      id: m.id,
      name: m.name,
      parent: m.parent ?? null,
      voting: m.voting,
      area: m.area ?? null,
      role: memberRoleName(m.id),
    })),
    modules,
    privateZones: coalition.privateZones,
    pictures: pictures.classes.map((p) => ({
      id: p.id,
      audiences: p.audiences.map(({ module, member }) => ({ module, member })),
      outputs: p.outputs,
    })),
  };
}
