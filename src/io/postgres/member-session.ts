import type pg from 'pg';
import { CodedError } from '../../util/coded-error.js';
import { withClient } from './postgres-pool.js';

/** Why a member's history query was refused. */
export const MEMBER_SESSION_ERROR_CODES = [
  /** The member's `member_<id>` role does not exist: `tidewatch migrate --coalition` creates it. */
  'PG_MEMBER_ROLE_MISSING',
] as const;

export type MemberSessionErrorCode = (typeof MEMBER_SESSION_ERROR_CODES)[number];

export class MemberSessionError extends CodedError<MemberSessionErrorCode> {
  override readonly name = 'MemberSessionError';
}

/**
 * Runs `task` in a read-only transaction as the member's Postgres group role (DESIGN.md §6:
 * `SET LOCAL ROLE member_<id>`, so row-level security shows only the rows released to it), or as
 * the connecting user when `role` is undefined — only a deployment without a coalition, where
 * every member sees everything, passes undefined. A role that does not exist is an error, never a
 * fall-back to the owner. `SET LOCAL` ends with the transaction: the pooled connection goes back
 * to the pool as its own user.
 */
export async function withMemberRole<T>(
  pool: pg.Pool,
  role: string | undefined,
  task: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  return withClient(pool, async (client) => {
    await client.query('BEGIN READ ONLY');
    try {
      if (role !== undefined) {
        const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [
          role,
        ]);
        if (rowCount === 0) {
          throw new MemberSessionError(
            'PG_MEMBER_ROLE_MISSING',
            `Postgres role ${role} does not exist: run tidewatch migrate --coalition FILE.`,
          );
        }
        await client.query(`SET LOCAL ROLE ${quoteIdentifier(role)}`);
      }
      const result = await task(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  });
}

/** An SQL identifier in double quotes (PostgreSQL docs §4.1.1). */
function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
