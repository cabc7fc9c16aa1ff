import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_MIGRATIONS_DIR,
  loadMigrations,
} from '../../../src/io/postgres/migration-files.js';
import { migrate } from '../../../src/io/postgres/migrator.js';
import { PostgresError } from '../../../src/io/postgres/postgres-error.js';
import { silentLogger } from '../../../src/util/logger.js';
import {
  ALL_MIGRATIONS,
  count,
  createTestDatabase,
  MIGRATIONS_WITHOUT_POSTGIS,
  type TestDatabase,
} from './test-database.js';

const quiet = { log: silentLogger };

const databases: TestDatabase[] = [];
const directories: string[] = [];
afterAll(async () => {
  for (const db of databases) await db.drop();
  for (const dir of directories) rmSync(dir, { recursive: true, force: true });
});

async function freshDatabase(label: string): Promise<TestDatabase> {
  const db = await createTestDatabase(label);
  databases.push(db);
  return db;
}

async function columns(db: TestDatabase, table: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY column_name`,
    [table],
  );
  return rows.map((row) => row.column_name);
}

async function hasRelation(db: TestDatabase, name: string): Promise<boolean> {
  const { rows } = await db.pool.query('SELECT to_regclass($1) AS r', [name]);
  return rows[0].r !== null;
}

function migrationsCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tidewatch-migrations-'));
  directories.push(dir);
  for (const name of ['0001_history_tables.sql', '0002_postgis.sql']) {
    copyFileSync(join(DEFAULT_MIGRATIONS_DIR, name), join(dir, name));
  }
  return dir;
}

describe.skipIf(process.env.TIDEWATCH_INTEGRATION !== '1')('tidewatch migrate', () => {
  it('creates the schema with PostGIS, and a second run applies nothing and changes nothing', async () => {
    const db = await freshDatabase('migrate_gis');
    const first = await migrate(db.pool, { postgis: 'require', ...quiet });
    expect(first.applied).toEqual([...ALL_MIGRATIONS]);
    expect(first.skipped).toEqual([]);
    expect(first.version).toBe(8);
    expect(first.postgis).toMatch(/^3\./);
    expect(await columns(db, 'positions')).toContain('geog');
    expect(await columns(db, 'alerts')).toContain('geog');
    expect(await hasRelation(db, 'vessel_tracks')).toBe(true);
    const gist = await count(db.pool, "pg_indexes WHERE indexname = 'positions_geog_gist'");
    expect(gist).toBe(1);

    const schemaBefore = await db.pool.query(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
       WHERE table_schema = 'public' ORDER BY 1, 2`,
    );
    const second = await migrate(db.pool, { postgis: 'require', ...quiet });
    expect(second).toEqual({ applied: [], skipped: [], version: 8, postgis: first.postgis });
    expect(await count(db.pool, 'schema_migrations')).toBe(8);
    const schemaAfter = await db.pool.query(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
       WHERE table_schema = 'public' ORDER BY 1, 2`,
    );
    expect(schemaAfter.rows).toEqual(schemaBefore.rows);
  });

  it('works without PostGIS, and a later run with PostGIS upgrades the same database', async () => {
    const db = await freshDatabase('migrate_plain');
    const first = await migrate(db.pool, { postgis: 'off', ...quiet });
    expect(first).toEqual({
      applied: MIGRATIONS_WITHOUT_POSTGIS,
      skipped: ['0002_postgis'],
      version: 8,
      postgis: undefined,
    });
    expect(await count(db.pool, "pg_extension WHERE extname = 'postgis'")).toBe(0);
    expect(await columns(db, 'positions')).not.toContain('geog');
    expect(await hasRelation(db, 'vessel_tracks')).toBe(false);
    expect(await hasRelation(db, 'positions')).toBe(true);
    expect(await hasRelation(db, 'vessels')).toBe(true);
    expect(await hasRelation(db, 'alerts')).toBe(true);
    expect(await hasRelation(db, 'worker_checkpoints')).toBe(true);

    const again = await migrate(db.pool, { postgis: 'off', ...quiet });
    expect(again.applied).toEqual([]);
    expect(again.skipped).toEqual(['0002_postgis']);

    // Rows written before PostGIS get their geography when the column is added (generated).
    await db.pool.query('SELECT ensure_positions_partition($1::date)', ['2024-06-01']);
    await db.pool.query(
      `INSERT INTO positions (mmsi, time, payload_hash, msg_type, lat, lon, sources, stations)
       VALUES (257000000, '2024-06-01T10:00:00Z', 1, 1, 59.5, 10.5, '{no}', '{s1}')`,
    );
    const upgraded = await migrate(db.pool, { postgis: 'auto', ...quiet });
    expect(upgraded.applied).toEqual(['0002_postgis']);
    expect(upgraded.version).toBe(8);
    const { rows } = await db.pool.query('SELECT ST_AsText(geog) AS wkt FROM positions');
    expect(rows).toEqual([{ wkt: 'POINT(10.5 59.5)' }]);
    // 0002 came after 0004: its view is made one line per stored picture and runs with the
    // reader's rights, so the member policy of positions applies to it (issue 13).
    expect(await columns(db, 'vessel_tracks')).toContain('picture_id');
    const view = await db.pool.query(
      "SELECT reloptions FROM pg_class WHERE relname = 'vessel_tracks'",
    );
    expect(view.rows[0].reloptions).toEqual(['security_invoker=true']);
  });

  it('refuses an applied migration that was edited, naming it', async () => {
    const db = await freshDatabase('migrate_changed');
    const dir = migrationsCopy();
    await migrate(db.pool, { postgis: 'off', directory: dir, ...quiet });
    writeFileSync(
      join(dir, '0001_history_tables.sql'),
      `${(await loadMigrations(dir))[0]!.sql}\n-- edited\n`,
    );
    const error = await migrate(db.pool, { postgis: 'off', directory: dir, ...quiet }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PostgresError);
    expect((error as PostgresError).code).toBe('PG_MIGRATION_CHANGED');
    expect((error as PostgresError).message).toContain('0001_history_tables.sql');
  });

  it('rolls a failing migration back completely and reports its file and line', async () => {
    const db = await freshDatabase('migrate_failing');
    const dir = migrationsCopy();
    writeFileSync(
      join(dir, '0003_broken.sql'),
      '-- a migration with an error in its second statement\nCREATE TABLE half_done (x int);\nSELECT no_such_column FROM half_done;\n',
    );
    const error = await migrate(db.pool, { postgis: 'auto', directory: dir, ...quiet }).catch(
      (e: unknown) => e,
    );
    expect((error as PostgresError).code).toBe('PG_MIGRATION_FAILED');
    expect((error as PostgresError).message).toMatch(/^0003_broken\.sql line 3: .*no_such_column/);
    expect(await hasRelation(db, 'half_done')).toBe(false);
    const { rows } = await db.pool.query('SELECT name FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.name)).toEqual(['0001_history_tables', '0002_postgis']);
  });

  it('lets two workers migrate the same database at the same time', async () => {
    const db = await freshDatabase('migrate_race');
    const results = await Promise.all([
      migrate(db.pool, { postgis: 'auto', ...quiet }),
      migrate(db.pool, { postgis: 'auto', ...quiet }),
    ]);
    expect(results.flatMap((r) => r.applied).sort()).toEqual([...ALL_MIGRATIONS]);
  });

  it('runs as `tidewatch migrate --database-url URL`', async () => {
    const db = await freshDatabase('migrate_cli');
    const run = (...args: string[]) =>
      promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'src/cli/main.ts', 'migrate', '--database-url', db.url, ...args],
        { env: { ...process.env, DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/unused' } },
      );
    const first = await run('--postgis', 'off');
    expect(first.stdout).toContain('applied: 0001_history_tables');
    expect(first.stdout).toContain('PostGIS: not in use (skipped 0002_postgis)');
    const second = await run();
    expect(second.stdout).toContain('applied: 0002_postgis');
    const third = await run();
    expect(third.stdout).toContain('applied: none (up to date)');
    expect(third.stdout).toMatch(/PostGIS: 3\./);
  });

  it('takes the database and PostGIS mode from the worker config (TIDEWATCH_CONFIG)', async () => {
    const db = await freshDatabase('migrate_config');
    const dir = mkdtempSync(join(tmpdir(), 'tidewatch-migrate-'));
    try {
      const config = join(dir, 'worker.yaml');
      // No Kafka settings: migrate needs none.
      writeFileSync(config, `postgres:\n  url: ${db.url}\n  postgis: 'off'\n`);
      const { DATABASE_URL: _unset, ...env } = process.env;
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'src/cli/main.ts', 'migrate'],
        { env: { ...env, TIDEWATCH_CONFIG: config } },
      );
      expect(stdout).toContain('applied: 0001_history_tables');
      expect(stdout).toContain('PostGIS: not in use (skipped 0002_postgis)');
      expect(await hasRelation(db, 'positions')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
