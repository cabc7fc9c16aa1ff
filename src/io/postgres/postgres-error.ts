import { CodedError } from '../../util/coded-error.js';
/**
 * Why the Postgres adapter gave up. One fixed list (like undici's `UND_ERR_*`), so the worker can
 * branch on it and use it as a metric label.
 */
export const POSTGRES_ERROR_CODES = [
  /** The database URL is not a `postgres://` / `postgresql://` URL. */
  'PG_BAD_URL',
  /** Connection errors lasted longer than the configured limit; the batch is still buffered. */
  'PG_UNAVAILABLE',
  /** Postgres refused a history write (not a connection problem); the batch is still buffered. */
  'PG_WRITE_FAILED',
  /** A migration file failed; its transaction was rolled back. */
  'PG_MIGRATION_FAILED',
  /** An applied migration's file changed since it was applied (checksum mismatch). */
  'PG_MIGRATION_CHANGED',
  /** A migration file name or directive is malformed. */
  'PG_MIGRATION_INVALID',
  /** `postgis: 'require'` and the extension cannot be created in this database. */
  'PG_POSTGIS_UNAVAILABLE',
  /** Embedded Postgres: no binaries for this platform, or they cannot run (libraries missing). */
  'PG_EMBEDDED_BINARIES_MISSING',
  /** Embedded Postgres: another program listens on the requested port. */
  'PG_EMBEDDED_PORT_IN_USE',
  /** Embedded Postgres: a live server already runs on the data directory. */
  'PG_EMBEDDED_ALREADY_RUNNING',
  /** Embedded Postgres: initdb or the server failed for another reason (see the message). */
  'PG_EMBEDDED_START_FAILED',
] as const;

export type PostgresErrorCode = (typeof POSTGRES_ERROR_CODES)[number];

/** An error of the Postgres adapter, with a fixed code and the underlying error as `cause`. */
export class PostgresError extends CodedError<PostgresErrorCode> {
  override readonly name = 'PostgresError';
}
