import type pg from 'pg';
import type { Coalition } from '../../coalition/coalition.js';
import type { CoalitionOutput } from '../../coalition/coalition-output.js';
import { memberRoleName } from '../../coalition/member-id.js';
import { type PictureClasses, pictureClasses } from '../../coalition/picture-classes.js';
import {
  currentAudiences,
  type PictureGrant,
  pictureGrants,
  type StoredPicture,
} from '../../coalition/picture-grants.js';
import { policyVersion } from '../../coalition/policy-version.js';
import { storedVisibility } from '../../coalition/stored-picture.js';
import { withClient } from './postgres-pool.js';

/** The stored picture the worker writes without a coalition (migrations/0004): no member sees it. */
export const WHOLE_PICTURE_ID = 0;

/** pg_advisory_xact_lock key: two workers or `migrate`s applying a policy take turns. */
const POLICY_LOCK_KEY = 0x7477_706f; // "twpo"

export interface AppliedPolicy {
  readonly version: string;
  /** The stored picture id of each picture class (by class index): what the sink writes under. */
  readonly pictureIds: readonly number[];
  /** Every stored picture and the members that may read it now. */
  readonly grants: readonly PictureGrant[];
  /**
   * Roles of members the previous policy had and this one has not: they read nothing here now.
   * Not dropped: roles are cluster-wide, and another database on the server (another
   * deployment, a test database) may still name the member; an analyst login granted one keeps
   * the grant. Dropping is the administrator's call (`DROP ROLE`), once no database uses it.
   */
  readonly departedRoles: readonly string[];
}

/**
 * Puts a coalition policy in force in the history database (DESIGN.md §6, issue 13): registers
 * the picture classes as stored pictures (a visibility stored before keeps its id) and their
 * audiences (`picture_audiences`), recomputes who may read every stored picture, this policy's
 * and earlier ones' (pictureGrants), creates the missing `member_<id>` roles and replaces
 * members, grants and private zones (`tidewatch_apply_policy`, migrations/0004). One
 * transaction; the big tables are not touched.
 * `tidewatch migrate --coalition` and the worker at its start call it; running it again with
 * the same policy changes nothing. The caller must be the owner, a superuser or a member of
 * `tidewatch_writer`, and the schema at version 4 or later.
 *
 * `classes`: the pictures the caller computes (default: the policy's classes, as the worker
 * computes them; `replay` may merge some, pictures-for-feeds.ts).
 */
export function applyCoalitionPolicy(
  pool: pg.Pool,
  coalition: Coalition,
  classes: PictureClasses = pictureClasses(coalition),
): Promise<AppliedPolicy> {
  const version = policyVersion(coalition, pictureClasses(coalition));
  const visibilities = classes.classes.map((picture) => storedVisibility(coalition, picture));
  return withClient(pool, async (client) => {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [POLICY_LOCK_KEY]);
      const kept = new Set(coalition.members.map((m) => m.id));
      const previous = await client.query<{ member: string; role: string }>(
        'SELECT member, role FROM coalition_members ORDER BY member',
      );
      const departedRoles = previous.rows.filter((r) => !kept.has(r.member)).map((r) => r.role);
      await client.query(
        `INSERT INTO pictures (visibility, visible, first_policy_version)
         SELECT key, visible, $2 FROM jsonb_to_recordset($1::jsonb) AS x(key text, visible jsonb)
         ON CONFLICT (visibility) DO NOTHING`,
        [JSON.stringify(visibilities), version],
      );
      const { rows } = await client.query<{ id: number; visibility: string; visible: unknown }>(
        'SELECT id, visibility, visible FROM pictures WHERE visible IS NOT NULL ORDER BY id',
      );
      const stored: StoredPicture[] = rows.map((row) => ({
        id: row.id,
        key: row.visibility,
        visible: row.visible as StoredPicture['visible'],
      }));
      const idByKey = new Map(stored.map((picture) => [picture.key, picture.id]));
      const pictureIds = visibilities.map((v) => idByKey.get(v.key)!);
      // Every audience a picture was ever written for, this policy's added (never removed).
      await client.query(
        `INSERT INTO picture_audiences AS a (picture_id, member, outputs)
         SELECT picture_id, member, outputs
         FROM jsonb_to_recordset($1::jsonb) AS x(picture_id integer, member text, outputs text[])
         ON CONFLICT (picture_id, member) DO UPDATE
           SET outputs = ARRAY(SELECT DISTINCT o FROM unnest(a.outputs || EXCLUDED.outputs) AS o ORDER BY o)
           WHERE NOT a.outputs @> EXCLUDED.outputs`,
        [
          JSON.stringify(
            currentAudiences(coalition, classes, pictureIds).map((g) => ({
              picture_id: g.pictureId,
              member: g.member,
              outputs: g.outputs,
            })),
          ),
        ],
      );
      const audiences = await client.query<{
        picture_id: number;
        member: string;
        outputs: CoalitionOutput[];
      }>('SELECT picture_id, member, outputs FROM picture_audiences');
      const grants = pictureGrants(
        coalition,
        classes,
        stored,
        audiences.rows.map((row) => ({
          pictureId: row.picture_id,
          member: row.member,
          outputs: row.outputs,
        })),
      );
      await client.query('SELECT tidewatch_apply_policy($1::jsonb)', [
        JSON.stringify({
          version,
          source: coalition.source,
          members: coalition.members.map((m) => ({
            member: m.id,
            role: memberRoleName(m.id),
            area: m.area ?? null,
          })),
          grants: grants.map((g) => ({
            picture_id: g.pictureId,
            member: g.member,
            outputs: g.outputs,
          })),
          private_zones: coalition.privateZones.map((z) => ({ zone_id: z.id, members: z.members })),
        }),
      ]);
      await client.query('COMMIT');
      return { version, pictureIds, grants, departedRoles };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  });
}
