import type pg from 'pg';
import type { Logger } from '../../util/logger.js';
import { DEFAULT_MIGRATIONS_DIR, loadMigrations } from './migration-files.js';
import { PostgresError } from './postgres-error.js';
import { postgresLogger } from './postgres-logger.js';
import { withClient } from './postgres-pool.js';
import { type RetryOptions, retryTransient } from './retry-transient.js';
import { isTransientError } from './transient-error.js';

/**
 * How `migrate` treats PostGIS: `auto` creates the extension when the server has it and goes on
 * without it otherwise; `require` fails without it; `off` never touches it.
 */
export const POSTGIS_MODES = ['auto', 'require', 'off'] as const;
export type PostgisMode = (typeof POSTGIS_MODES)[number];

export interface MigrateOptions {
  /** Default `auto`. */
  postgis?: PostgisMode;
  /** Default: the project's `migrations/`. */
  directory?: string;
  /** Migrations applied, waits; default JSON lines on stderr (`component: 'postgres'` either way). */
  log?: Logger;
  /** How long to wait for Postgres to accept connections (default: 60 s, see RetryOptions). */
  retry?: RetryOptions;
}

export interface MigrateResult {
  /** Migrations applied by this run, by name, in order. */
  applied: string[];
  /** Migrations left unapplied because PostGIS is not in use; a later run applies them. */
  skipped: string[];
  /** Highest applied version (0 for an empty schema). */
  version: number;
  /** PostGIS version in use, undefined without PostGIS. */
  postgis: string | undefined;
}

/** pg_advisory_lock key: two workers starting together do not migrate at the same time. */
const MIGRATION_LOCK_KEY = 0x7469_6465; // "tide"

const SCHEMA_MIGRATIONS_DDL = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

/**
 * Creates or upgrades the history schema (DESIGN.md §2.6): every migration not yet recorded in
 * `schema_migrations` runs in its own transaction, in version order, and is recorded in the same
 * transaction, so a re-run applies nothing and a failed migration leaves no trace. Migrations
 * marked `-- tidewatch:requires postgis` are skipped while PostGIS is not in use and applied by
 * the first run that has it; they must therefore not be depended on by later plain migrations.
 */
export async function migrate(pool: pg.Pool, options: MigrateOptions = {}): Promise<MigrateResult> {
  const log = postgresLogger(options.log);
  const migrations = await loadMigrations(options.directory ?? DEFAULT_MIGRATIONS_DIR);
  return retryTransient(
    () =>
      withClient(pool, async (client) => {
        await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        try {
          await client.query(SCHEMA_MIGRATIONS_DDL);
          const postgis = await preparePostgis(client, options.postgis ?? 'auto', log);
          const { rows } = await client.query<{ version: number; name: string; checksum: string }>(
            'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
          );
          const applied = new Map(rows.map((row) => [row.version, row]));
          const result: MigrateResult = { applied: [], skipped: [], version: 0, postgis };
          const known = new Set(migrations.map((m) => m.version));
          for (const row of rows) {
            if (!known.has(row.version)) {
              log.warn(
                { migration: row.name },
                'the database has a migration this version of tidewatch does not know',
              );
            }
          }
          for (const m of migrations) {
            const done = applied.get(m.version);
            if (done !== undefined) {
              if (done.checksum !== m.checksum) {
                throw new PostgresError(
                  'PG_MIGRATION_CHANGED',
                  `${m.name}.sql changed after it was applied as ${done.name} (checksum ${done.checksum.slice(0, 12)} in the database, ${m.checksum.slice(0, 12)} on disk): add a new migration instead`,
                );
              }
              continue;
            }
            if (m.requires === 'postgis' && postgis === undefined) {
              result.skipped.push(m.name);
              continue;
            }
            await applyMigration(client, m.version, m.name, m.sql, m.checksum);
            result.applied.push(m.name);
            log.info({ migration: m.name }, 'applied migration');
          }
          if (result.applied.length > 0) await secureSchema(client);
          const versions = await client.query<{ version: number | null }>(
            'SELECT max(version) AS version FROM schema_migrations',
          );
          result.version = versions.rows[0]?.version ?? 0;
          return result;
        } finally {
          // A lost connection releases the lock by itself; keep the original error.
          await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
        }
      }),
    options.retry,
    (error, attempt, delayMs) => {
      if (attempt === 1 || attempt % 10 === 0) {
        log.warn(
          { attempt, delayMs: Math.round(delayMs), error: (error as Error).message },
          'Postgres not reachable, migrate waits',
        );
      }
    },
  );
}

/**
 * Creates the PostGIS extension unless `mode` is off. Returns its version, or undefined when it
 * is not in use (not installed on the server, or not allowed: CREATE EXTENSION postgis needs a
 * superuser or the database owner with the extension trusted).
 */
async function preparePostgis(
  client: pg.PoolClient,
  mode: PostgisMode,
  log: Logger,
): Promise<string | undefined> {
  if (mode === 'off') return undefined;
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS postgis');
  } catch (error) {
    if (isTransientError(error)) throw error;
    if (mode === 'require') {
      throw new PostgresError(
        'PG_POSTGIS_UNAVAILABLE',
        `PostGIS required but CREATE EXTENSION postgis failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
    log.info(
      { reason: (error as Error).message },
      'PostGIS not available: positions get no geography column, no vessel_tracks',
    );
    return undefined;
  }
  const { rows } = await client.query<{ extversion: string }>(
    "SELECT extversion FROM pg_extension WHERE extname = 'postgis'",
  );
  return rows[0]?.extversion;
}

/**
 * Puts whatever the migrations just made under row-level security (migrations/0004,
 * `tidewatch_secure_schema`): a PostGIS migration applied after 0004, once the extension is
 * there, creates the vessel_tracks view, which must then get the member policy too.
 */
async function secureSchema(client: pg.PoolClient): Promise<void> {
  const { rows } = await client.query<{ fn: string | null }>(
    "SELECT to_regprocedure('tidewatch_secure_schema()')::text AS fn",
  );
  if (rows[0]?.fn != null) await client.query('SELECT tidewatch_secure_schema()');
}

async function applyMigration(
  client: pg.PoolClient,
  version: number,
  name: string,
  sql: string,
  checksum: string,
): Promise<void> {
  await client.query('BEGIN');
  try {
    // No parameters: the simple query protocol runs every statement of the file.
    await client.query(sql);
    await client.query(
      'INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)',
      [version, name, checksum],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    if (isTransientError(error)) throw error;
    const position = Number((error as { position?: string }).position);
    const line = Number.isFinite(position) ? sql.slice(0, position).split('\n').length : undefined;
    throw new PostgresError(
      'PG_MIGRATION_FAILED',
      `${name}.sql${line === undefined ? '' : ` line ${line}`}: ${(error as Error).message} (rolled back)`,
      { cause: error },
    );
  }
}
