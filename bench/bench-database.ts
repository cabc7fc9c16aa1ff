import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server the end-to-end benchmark writes to: `DATABASE_URL` or the local PostgreSQL. */
export const BENCH_SERVER_URL =
  process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Every database this module creates is named `tw_bench_<pid>_<hex>`. */
const PREFIX = 'tw_bench_';

/** A fresh database for one run, dropped by `drop()`. */
export interface BenchDatabase {
  readonly name: string;
  readonly url: string;
  /** `SELECT count(*) FROM table` in it. */
  count(table: string): Promise<number>;
  /** Whether `CREATE EXTENSION name` has been run in it (the worker's migrations decide). */
  hasExtension(name: string): Promise<boolean>;
  /** Drops it, closing the worker's connections if any are left (`WITH (FORCE)`). Idempotent. */
  drop(): Promise<void>;
}

/** True when the server answers; the reason when it does not. */
export async function serverReachable(): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await admin('SELECT 1');
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

/** The server's version, as it reports it. */
export async function serverVersion(): Promise<string> {
  const client = new pg.Client({ connectionString: BENCH_SERVER_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>(
      "SELECT current_setting('server_version') AS v",
    );
    return rows[0]!.v;
  } finally {
    await client.end();
  }
}

export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `${PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(BENCH_SERVER_URL);
  url.pathname = `/${name}`;
  let dropping: Promise<void> | undefined;
  const scalar = async <T>(sql: string, values: unknown[] = []): Promise<T | undefined> => {
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      const { rows } = await client.query<{ v: T }>(sql, values);
      return rows[0]?.v;
    } finally {
      await client.end();
    }
  };
  return {
    name,
    url: url.toString(),
    count: async (table) => (await scalar<number>(`SELECT count(*)::int AS v FROM ${table}`))!,
    hasExtension: async (extension) =>
      (await scalar<number>('SELECT 1 AS v FROM pg_extension WHERE extname = $1', [extension])) ===
      1,
    drop: () => {
      dropping ??= admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      return dropping;
    },
  };
}

/**
 * Drops the databases of benchmark processes that are gone (killed before their cleanup ran).
 * Returns their names.
 */
export async function dropOrphanedDatabases(): Promise<string[]> {
  const client = new pg.Client({ connectionString: BENCH_SERVER_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE '${PREFIX}%'`,
    );
    const dropped: string[] = [];
    for (const { datname } of rows) {
      const pid = Number(/^tw_bench_(\d+)_/.exec(datname)?.[1]);
      if (!Number.isInteger(pid) || processAlive(pid)) continue;
      await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      dropped.push(datname);
    }
    return dropped;
  } finally {
    await client.end();
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: BENCH_SERVER_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
