import type { Coalition } from '../coalition/coalition.js';
import { memberRoleName } from '../coalition/member-id.js';

/**
 * One picture the server serves (DESIGN.md §7): the member users sign in as, the topics its
 * picture is read from, and the Postgres role its history queries run as.
 */
export interface PictureMember {
  readonly id: string;
  readonly name: string;
  readonly tracksTopic: string;
  readonly alertsTopic: string;
  /** `member_<id>`; undefined only without a coalition (one picture: history as the owner). */
  readonly role: string | undefined;
}

/** The one member of a deployment without a coalition: every member sees everything. */
export const WHOLE_PICTURE_ID = 'all';

/**
 * The pictures to serve: one per coalition member, read from `tracks.fused.<id>` and
 * `alerts.<id>` (DESIGN.md §6); without a coalition one, `all`, read from `tracks.fused` and
 * `alerts` (§2.3).
 */
export function pictureMembers(coalition: Coalition | undefined): PictureMember[] {
  if (coalition === undefined) {
    return [
      {
        id: WHOLE_PICTURE_ID,
        name: 'Whole picture',
        tracksTopic: 'tracks.fused',
        alertsTopic: 'alerts',
        role: undefined,
      },
    ];
  }
  return coalition.members.map((member) => ({
    id: member.id,
    name: member.name,
    tracksTopic: `tracks.fused.${member.id}`,
    alertsTopic: `alerts.${member.id}`,
    role: memberRoleName(member.id),
  }));
}
