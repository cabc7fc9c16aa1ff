import { Command } from 'commander';
import { migrate, POSTGIS_MODES, type PostgisMode } from '../io/postgres/migrator.js';
import { PostgresError } from '../io/postgres/postgres-error.js';
import {
  createPostgresPool,
  DEFAULT_DATABASE_URL,
  redactUrl,
  resolveDatabaseUrl,
} from '../io/postgres/postgres-pool.js';
import type { Logger } from '../util/logger.js';
import { loadHistoryDatabase } from '../worker/worker-config.js';
import { nonNegativeNumberOption } from './number-option.js';
import { plainLogger } from './plain-logger.js';

export interface MigrateCommandOptions {
  config?: string;
  databaseUrl?: string;
  postgis?: string;
  waitSeconds?: string;
}

/** `tidewatch migrate` (DESIGN.md §2.1, §2.6; issue 4), for registration in `main.ts`. */
export function migrateCommand(): Command {
  return new Command('migrate')
    .description(
      'Create or upgrade the Postgres history schema (positions, vessels, alerts; PostGIS ' +
        'geography columns and the vessel_tracks view when PostGIS is available).',
    )
    .option(
      '--config <file>',
      "the worker's configuration file (env TIDEWATCH_CONFIG): its postgres.url and postgres.postgis",
    )
    .option(
      '--database-url <url>',
      `postgres:// URL (over env DATABASE_URL, over the config file; default ${DEFAULT_DATABASE_URL})`,
    )
    .option(
      '--postgis <mode>',
      'auto: use PostGIS when the server has it; require: fail without it; off: never (default: the config file, else auto)',
    )
    .option(
      '--wait-seconds <s>',
      'how long to wait for Postgres to accept connections before giving up (default 30)',
    )
    .addHelpText(
      'after',
      `
Applies the plain SQL files of migrations/ not yet recorded in schema_migrations, each in its
own transaction; a re-run applies nothing. Migrations that need PostGIS are skipped without it
and applied by the first run that has it. The database must exist (createdb tidewatch).

Examples:
  tidewatch migrate
  tidewatch migrate --config config/worker.example.yaml
  DATABASE_URL=postgresql://postgres@db:5432/tidewatch tidewatch migrate --postgis require`,
    )
    .action(async (options: MigrateCommandOptions) => {
      process.exitCode = await runMigrate(options);
    });
}

/**
 * The log of `tidewatch migrate`: retries and skipped extensions as plain lines on stderr;
 * applied migrations are left to the summary on stdout.
 */
export function migrateCliLogger(write?: (text: string) => void): Logger {
  return plainLogger('migrate', {
    write,
    omit: (level, message) => level === 'info' && message.startsWith('applied'),
  });
}

/** Runs the migrations; returns the exit code (0, or 1 when Postgres or a migration failed). */
export async function runMigrate(
  options: MigrateCommandOptions,
  log: Logger = migrateCliLogger(),
): Promise<number> {
  const fromConfig = loadHistoryDatabase(options.config);
  const postgis = (options.postgis ?? fromConfig.postgis) as PostgisMode;
  if (!POSTGIS_MODES.includes(postgis)) {
    throw new Error(`--postgis ${options.postgis}: expected one of ${POSTGIS_MODES.join(', ')}`);
  }
  const waitSeconds =
    options.waitSeconds === undefined
      ? 30
      : nonNegativeNumberOption('wait-seconds', options.waitSeconds);
  const url = resolveDatabaseUrl(options.databaseUrl ?? fromConfig.url);
  const pool = createPostgresPool({ databaseUrl: url, maxConnections: 1, log });
  try {
    const result = await migrate(pool, {
      postgis,
      log,
      retry: { giveUpAfterMs: waitSeconds * 1000 },
    });
    const lines = [
      `migrate: ${redactUrl(url)} at version ${result.version}`,
      `  applied: ${result.applied.length === 0 ? 'none (up to date)' : result.applied.join(', ')}`,
      `  PostGIS: ${result.postgis === undefined ? `not in use${result.skipped.length > 0 ? ` (skipped ${result.skipped.join(', ')})` : ''}` : result.postgis}`,
      '',
    ];
    process.stdout.write(lines.join('\n'));
    return 0;
  } catch (error) {
    if (error instanceof PostgresError) {
      process.stderr.write(`tidewatch migrate: ${error.code}: ${error.message}\n`);
      return 1;
    }
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string') throw error;
    // A Postgres error (SQLSTATE) or a socket error: a message, not a stack trace.
    const hint = code === '3D000' ? ' (create it first, e.g. createdb)' : '';
    process.stderr.write(`tidewatch migrate: ${(error as Error).message}${hint}\n`);
    return 1;
  } finally {
    await pool.end();
  }
}
