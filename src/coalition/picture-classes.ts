import { type Audience, audiencesOf } from './audience.js';
import type { Coalition } from './coalition.js';
import { COALITION_OUTPUTS, type CoalitionOutput } from './coalition-output.js';
import { releaseBetween } from './release.js';

/** A contributor whose contributions a picture is computed from, and where they are withheld. */
export interface VisibleContributor {
  readonly contributor: string;
  /** Zone ids, sorted: its reports positioned inside any of them stay out of the picture. */
  readonly withheldInside: readonly string[];
}

/**
 * Audiences whose visibility is the same (DESIGN.md §6): they see the same contributions,
 * withheld in the same zones, so one fused picture serves them all. Their outputs may differ
 * (modules, `area`, private zones) — those are filters on the picture (audience-filter.ts).
 */
export interface PictureClass {
  /** Position in PictureClasses.classes; the bit of this picture in release-table.ts masks. */
  readonly index: number;
  /** `p1`, `p2`, ...: numbered in the order of their first audience (module, then member). */
  readonly id: string;
  /** Canonical text of `visible`: equal keys, equal pictures. */
  readonly key: string;
  /** Sorted by contributor id. */
  readonly visible: readonly VisibleContributor[];
  readonly audiences: readonly Audience[];
  /** Everything any of its audiences receives, in COALITION_OUTPUTS order. */
  readonly outputs: readonly CoalitionOutput[];
}

export interface PictureClasses {
  readonly classes: readonly PictureClass[];
  /** Every audience (audiencesOf order) with the index of its picture class. */
  readonly audiences: readonly (Audience & { readonly picture: number })[];
}

/** Groups the coalition's audiences into the distinct pictures the core has to compute. */
export function pictureClasses(coalition: Coalition): PictureClasses {
  const byKey = new Map<
    string,
    { index: number; visible: VisibleContributor[]; audiences: Audience[] }
  >();
  const audiences: (Audience & { picture: number })[] = [];
  for (const audience of audiencesOf(coalition)) {
    const module = coalition.modules.find((m) => m.name === audience.module)!;
    const visible: VisibleContributor[] = [];
    for (const { id } of coalition.members) {
      const release = releaseBetween(coalition, module, id, audience.member);
      if (release.released) {
        visible.push({ contributor: id, withheldInside: release.withheldInside });
      }
    }
    const key = JSON.stringify(visible.map((v) => [v.contributor, v.withheldInside]));
    let group = byKey.get(key);
    if (group === undefined) {
      group = { index: byKey.size, visible, audiences: [] };
      byKey.set(key, group);
    }
    group.audiences.push(audience);
    audiences.push({ ...audience, picture: group.index });
  }
  const classes = [...byKey].map(([key, group]) => {
    const outputs = new Set(
      group.audiences.flatMap((a) => coalition.modules.find((m) => m.name === a.module)!.outputs),
    );
    return {
      index: group.index,
      id: `p${group.index + 1}`,
      key,
      visible: group.visible,
      audiences: group.audiences,
      outputs: COALITION_OUTPUTS.filter((output) => outputs.has(output)),
    };
  });
  return { classes, audiences };
}
