import type { Coalition } from './coalition.js';
import { COALITION_OUTPUTS, type CoalitionOutput } from './coalition-output.js';
import type { PictureClasses } from './picture-classes.js';
import { type StoredVisibility, storedVisibility, visibilityCovers } from './stored-picture.js';

/** A picture of the history, by its id there. */
export interface StoredPicture extends StoredVisibility {
  readonly id: number;
}

/** Member `member` receives `outputs` of stored picture `pictureId`. */
export interface PictureGrant {
  readonly pictureId: number;
  readonly member: string;
  /** In COALITION_OUTPUTS order. */
  readonly outputs: readonly CoalitionOutput[];
}

/**
 * The grants of the pictures written under a policy: each audience (member in module) receives
 * its module's outputs from its own picture. `currentIds`: the stored id of each of `classes`.
 * The history database records them as its pictures' audiences, never forgetting one.
 */
export function currentAudiences(
  coalition: Coalition,
  classes: PictureClasses,
  currentIds: readonly number[],
): PictureGrant[] {
  const grants = new GrantSet();
  for (const audience of classes.audiences) {
    const module = coalition.modules.find((m) => m.name === audience.module)!;
    for (const output of module.outputs) {
      grants.add(currentIds[audience.picture]!, audience.member, output);
    }
  }
  return grants.list();
}

/**
 * Who may read which stored picture under `coalition` (issue 13: a narrowed release applies to
 * the stored history). `audiences`: every (picture, member, outputs) that was ever current, this
 * policy's included (currentAudiences). A member reads an output of a stored picture when the
 * picture was once written for it with that output, and its audience that now delivers the
 * output sees everything the picture rests on (visibilityCovers). So:
 *
 * - under a policy, with no history of another, each member reads exactly its replay picture
 *   (its own audiences' pictures cover only themselves among its outputs);
 * - a narrowed release hides the stored pictures that rest on contributions no longer released
 *   (nothing is deleted: widened again, they come back);
 * - a member never reads a picture that was never written for it.
 *
 * By picture id, then member.
 */
export function pictureGrants(
  coalition: Coalition,
  classes: PictureClasses,
  stored: readonly StoredPicture[],
  audiences: readonly PictureGrant[],
): PictureGrant[] {
  const byId = new Map(stored.map((picture) => [picture.id, picture]));
  const visibilities = classes.classes.map((picture) => storedVisibility(coalition, picture));
  const grants = new GrantSet();
  for (const once of audiences) {
    const picture = byId.get(once.pictureId);
    if (picture === undefined) continue;
    for (const audience of classes.audiences) {
      if (audience.member !== once.member) continue;
      if (!visibilityCovers(visibilities[audience.picture]!, picture)) continue;
      const module = coalition.modules.find((m) => m.name === audience.module)!;
      for (const output of module.outputs) {
        if (once.outputs.includes(output)) grants.add(picture.id, audience.member, output);
      }
    }
  }
  return grants.list();
}

/** Outputs by picture and member, listed by picture id, member, COALITION_OUTPUTS order. */
class GrantSet {
  private readonly byPicture = new Map<number, Map<string, Set<CoalitionOutput>>>();

  add(pictureId: number, member: string, output: CoalitionOutput): void {
    let members = this.byPicture.get(pictureId);
    if (members === undefined) {
      members = new Map();
      this.byPicture.set(pictureId, members);
    }
    let outputs = members.get(member);
    if (outputs === undefined) {
      outputs = new Set();
      members.set(member, outputs);
    }
    outputs.add(output);
  }

  list(): PictureGrant[] {
    const grants: PictureGrant[] = [];
    for (const pictureId of [...this.byPicture.keys()].sort((a, b) => a - b)) {
      const members = this.byPicture.get(pictureId)!;
      for (const member of [...members.keys()].sort()) {
        const outputs = members.get(member)!;
        grants.push({
          pictureId,
          member,
          outputs: COALITION_OUTPUTS.filter((output) => outputs.has(output)),
        });
      }
    }
    return grants;
  }
}
