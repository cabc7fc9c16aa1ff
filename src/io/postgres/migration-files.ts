import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PostgresError } from './postgres-error.js';

/** Extensions a migration can depend on (`-- tidewatch:requires postgis` in its first lines). */
export const MIGRATION_REQUIREMENTS = ['postgis'] as const;
export type MigrationRequirement = (typeof MIGRATION_REQUIREMENTS)[number];

/** One file of `migrations/`: `NNNN_name.sql`, plain SQL run in one transaction. */
export interface MigrationFile {
  readonly version: number;
  /** File name without `.sql`, e.g. `0001_history_tables`. */
  readonly name: string;
  readonly sql: string;
  /** SHA-256 of the file, hex: an applied migration must not change afterwards. */
  readonly checksum: string;
  /** Applied only when the requirement is met; skipped (and applied later) otherwise. */
  readonly requires: MigrationRequirement | undefined;
}

/**
 * The project's `migrations/` folder. The same relative path works from `src/io/postgres`
 * (tsx, tests) and from `dist/io/postgres` (the built package).
 */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(
  new URL('../../../migrations/', import.meta.url),
);

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;
const REQUIRES = /^--\s*tidewatch:requires\s+(\S+)\s*$/m;

/** Reads, checks and orders the migrations of `dir` (every `*.sql`; other files ignored). */
export async function loadMigrations(dir = DEFAULT_MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort();
  const migrations: MigrationFile[] = [];
  const seen = new Map<number, string>();
  for (const fileName of names) {
    const match = FILE_NAME.exec(fileName);
    if (match === null) {
      throw new PostgresError(
        'PG_MIGRATION_INVALID',
        `${join(dir, fileName)}: expected a name like 0001_lower_case_words.sql`,
      );
    }
    const version = Number(match[1]);
    const other = seen.get(version);
    if (other !== undefined) {
      throw new PostgresError(
        'PG_MIGRATION_INVALID',
        `${join(dir, fileName)}: version ${version} is also used by ${other}`,
      );
    }
    seen.set(version, fileName);
    const sql = await readFile(join(dir, fileName), 'utf8');
    // Only the header (comments before the first statement) may carry directives.
    const firstStatement = sql.search(/^\s*[^-\s]/m);
    const header = firstStatement < 0 ? sql : sql.slice(0, firstStatement);
    const required = REQUIRES.exec(header)?.[1];
    if (
      required !== undefined &&
      !(MIGRATION_REQUIREMENTS as readonly string[]).includes(required)
    ) {
      throw new PostgresError(
        'PG_MIGRATION_INVALID',
        `${join(dir, fileName)}: unknown requirement ${required} (known: ${MIGRATION_REQUIREMENTS.join(', ')})`,
      );
    }
    migrations.push({
      version,
      name: fileName.slice(0, -'.sql'.length),
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
      requires: required as MigrationRequirement | undefined,
    });
  }
  return migrations;
}
