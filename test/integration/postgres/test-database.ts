import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate, type PostgisMode } from '../../../src/io/postgres/migrator.js';
import { createPostgresPool } from '../../../src/io/postgres/postgres-pool.js';
import { silentLogger } from '../../../src/util/logger.js';

/** The server under test: `DATABASE_URL` (any database on it) or the local PostgreSQL 15. */
/**
 * Every migration a fresh database gets, in order: written out here, not read from migrations/,
 * so a migration added, removed or renamed fails the tests until they follow. A new migration is
 * added here once for every test that checks the list.
 */
export const ALL_MIGRATIONS = [
  '0001_history_tables',
  '0002_postgis',
  '0003_worker_checkpoints',
  '0004_coalition_pictures',
  '0005_alert_status',
  '0006_alert_acknowledgements',
  '0007_position_policy_version',
  '0008_writer_reads_coalition_members',
] as const;

/** The migration applied only with PostGIS. */
export const POSTGIS_MIGRATION = '0002_postgis';

/** What a database without PostGIS gets: every migration but PostGIS's. */
export const MIGRATIONS_WITHOUT_POSTGIS = ALL_MIGRATIONS.filter((m) => m !== POSTGIS_MIGRATION);

export const SERVER_URL =
  process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** A fresh database for one test file, dropped by `drop()`. */
export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /** A pool on it (ended by `drop`). */
  readonly pool: pg.Pool;
  drop(): Promise<void>;
}

/** URL of database `name` on the server of SERVER_URL. */
export function databaseUrl(name: string, server = SERVER_URL): string {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates `tw_<label>_<random>` on the test server (names are unique per run and file). */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `tw_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = databaseUrl(name);
  const pool = createPostgresPool({ databaseUrl: url, log: silentLogger });
  return {
    name,
    url,
    pool,
    drop: async () => {
      await pool.end();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** A fresh database with the schema, with or without PostGIS. */
export async function createMigratedDatabase(
  label: string,
  postgis: PostgisMode,
): Promise<TestDatabase> {
  const db = await createTestDatabase(label);
  await migrate(db.pool, { postgis, log: silentLogger });
  return db;
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** `SELECT count(*)` of a query, as a number. */
export async function count(
  pool: pg.Pool,
  fromWhere: string,
  values: unknown[] = [],
): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${fromWhere}`,
    values,
  );
  return rows[0]!.n;
}
