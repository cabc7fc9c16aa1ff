import { Command } from 'commander';
import type { Coalition } from '../coalition/coalition.js';
import { loadCoalitionFile, requireCoalitionZones } from '../io/coalition-file.js';
import { type AppliedPolicy, applyCoalitionPolicy } from '../io/postgres/coalition-policy-store.js';
import { migrate, POSTGIS_MODES, type PostgisMode } from '../io/postgres/migrator.js';
import { PostgresError } from '../io/postgres/postgres-error.js';
import {
  createPostgresPool,
  DEFAULT_DATABASE_URL,
  redactUrl,
  resolveDatabaseUrl,
} from '../io/postgres/postgres-pool.js';
import { loadZoneIndex } from '../io/zone-files.js';
import type { Logger } from '../util/logger.js';
import { loadHistoryDatabase } from '../worker/worker-config.js';
import { nonNegativeNumberOption } from './number-option.js';
import { plainLogger } from './plain-logger.js';

export interface MigrateCommandOptions {
  config?: string;
  databaseUrl?: string;
  postgis?: string;
  waitSeconds?: string;
  coalition?: string;
  zones?: string[];
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
    .option(
      '--coalition <file>',
      'a coalition file (DESIGN.md §6): create and update the member_<id> roles and who may read each stored picture',
    )
    .option(
      '--zones <path...>',
      "the zone files the worker runs with (the coalition's inside, area and private zones)",
    )
    .addHelpText(
      'after',
      `
Applies the plain SQL files of migrations/ not yet recorded in schema_migrations, each in its
own transaction; a re-run applies nothing. Migrations that need PostGIS are skipped without it
and applied by the first run that has it. The database must exist (createdb tidewatch).

With --coalition, then puts the policy in force (docs/coalition.md, Postgres): the group roles
member_<id> (NOLOGIN; grant them to analysts' logins), and for every picture stored so far the
members that may still read it: a narrowed release hides the history it no longer allows. Rows
are not rewritten; running it again changes nothing. Kafka messages already delivered cannot be
recalled.

Examples:
  tidewatch migrate
  tidewatch migrate --config config/worker.example.yaml
  DATABASE_URL=postgresql://postgres@db:5432/tidewatch tidewatch migrate --postgis require
  tidewatch migrate --coalition config/coalition.example.yaml --zones /tmp/scenario/zones.geojson`,
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
  let coalition: Coalition | undefined;
  if (options.coalition !== undefined) {
    try {
      const zones =
        options.zones === undefined || options.zones.length === 0
          ? undefined
          : await loadZoneIndex(options.zones);
      coalition = loadCoalitionFile(options.coalition, zones?.zones);
      requireCoalitionZones(coalition, zones);
    } catch (error) {
      // The file, its zones, or zones missing for a policy that names some (requireCoalitionZones).
      if (!(error instanceof Error)) throw error;
      process.stderr.write(`tidewatch migrate: ${error.message}\n`);
      return 2;
    }
  }
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
    ];
    if (coalition !== undefined) {
      lines.push(...policyLines(await applyCoalitionPolicy(pool, coalition)));
    }
    lines.push('');
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

/** The summary of a policy put in force: its version, and who reads each stored picture. */
function policyLines(policy: AppliedPolicy): string[] {
  const readers = new Map<number, string[]>();
  for (const grant of policy.grants) {
    const list = readers.get(grant.pictureId) ?? [];
    list.push(grant.member);
    readers.set(grant.pictureId, list);
  }
  return [
    `  coalition policy ${policy.version}: pictures ${policy.pictureIds.join(', ')} written from now on`,
    ...[...readers].map(
      ([id, members]) => `    stored picture ${id} readable by ${members.join(', ')}`,
    ),
    ...policy.departedRoles.map(
      (role) =>
        `    ${role}: its member left the policy and reads nothing here; not dropped (roles are cluster-wide): DROP ROLE ${role} once no database on this server names it`,
    ),
  ];
}
