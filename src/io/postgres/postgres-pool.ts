import pg from 'pg';
import type { Logger } from '../../util/logger.js';
import { PostgresError } from './postgres-error.js';
import { postgresLogger } from './postgres-logger.js';

/** Used when neither `--database-url` nor `DATABASE_URL` is given. */
export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/tidewatch';

export interface PostgresPoolOptions {
  /** `postgres://` URL; default `DATABASE_URL`, then DEFAULT_DATABASE_URL. */
  databaseUrl?: string;
  /** Connections at most (default 4: the sink writes one batch at a time). */
  maxConnections?: number;
  /** A connection attempt that takes longer fails (and is retried), milliseconds (default 5000). */
  connectTimeoutMs?: number;
  /** Shown in `pg_stat_activity` (default `tidewatch`). */
  applicationName?: string;
  /** Lost idle connections; default JSON lines on stderr (`component: 'postgres'` either way). */
  log?: Logger;
}

/** The URL to use: the explicit one, else `DATABASE_URL`, else the local default. Checked. */
export function resolveDatabaseUrl(explicit?: string): string {
  const url = explicit ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new PostgresError('PG_BAD_URL', `Invalid database URL: ${redactUrl(url)}`, {
      cause: error,
    });
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new PostgresError(
      'PG_BAD_URL',
      `Invalid database URL ${redactUrl(url)}: expected postgres:// or postgresql://`,
    );
  }
  return url;
}

/** The URL with its password replaced by `***`, for logs and error messages. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}

/**
 * A pg pool for the history writer and migrations. Connection errors of idle clients (the
 * server restarted while nobody was querying) are logged, not thrown: pg emits them as `error`
 * events, which would otherwise end the process. The next query gets a fresh connection.
 */
export function createPostgresPool(options: PostgresPoolOptions = {}): pg.Pool {
  const log = postgresLogger(options.log);
  const pool = new pg.Pool({
    connectionString: resolveDatabaseUrl(options.databaseUrl),
    max: options.maxConnections ?? 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    application_name: options.applicationName ?? 'tidewatch',
    keepAlive: true,
  });
  pool.on('error', (error: Error) => {
    log.warn({ error: error.message }, 'idle Postgres connection lost');
  });
  return pool;
}

/**
 * Runs `task` on a pooled client. If the task fails, the client is destroyed rather than
 * returned to the pool: after a failed COPY or a dropped socket its state is unknown.
 */
export async function withClient<T>(
  pool: pg.Pool,
  task: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  // A socket error between queries is emitted on the checked-out client; without a listener it
  // would crash the process. The running or next query fails with it anyway.
  const ignore = (): void => {};
  client.on('error', ignore);
  try {
    const result = await task(client);
    client.off('error', ignore);
    client.release();
    return result;
  } catch (error) {
    client.off('error', ignore);
    client.release(error instanceof Error ? error : true);
    throw error;
  }
}
