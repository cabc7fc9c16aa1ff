import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../../src/embedded/embedded-postgres.js';
import { migrate } from '../../../src/io/postgres/migrator.js';
import { createPostgresPool } from '../../../src/io/postgres/postgres-pool.js';
import { silentLogger } from '../../../src/util/logger.js';
import { recordingLogger } from '../../support/recording-logger.js';
import { MIGRATIONS_WITHOUT_POSTGIS } from '../postgres/test-database.js';

const PROJECT_DIR = fileURLToPath(new URL('../../../', import.meta.url));
const MODULE = fileURLToPath(
  new URL('../../../src/embedded/embedded-postgres.ts', import.meta.url),
);
const LOGGER_MODULE = fileURLToPath(new URL('../../../src/util/logger.ts', import.meta.url));
const IS_ROOT = process.getuid?.() === 0;

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'tidewatch-embedded-'));
  // As root the server runs as `postgres`, which must be able to enter the directory.
  chmodSync(root, 0o755);
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Pids of postmasters on `dataDir`, from `ps` (backends have other titles). */
function postmasters(dataDir: string): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  const pids: number[] = [];
  for (const line of out.split('\n')) {
    const match = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (match === null) continue;
    const args = `${match[2]} `;
    if (/\bpostgres /.test(args) && args.includes(` -D ${dataDir} `)) pids.push(Number(match[1]));
  }
  return pids;
}

/** Direct children of `pid`, from `ps`. */
function childrenOf(pid: number): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' });
  return out
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([, ppid]) => ppid === pid)
    .map(([child]) => child!);
}

/** True while the process exists and is not a zombie (nobody may reap orphans here). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function postmasterPid(dataDir: string): number {
  return Number.parseInt(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8'), 10);
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function listen(port = 0): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

async function queryOne<T>(url: string, sql: string, values: unknown[] = []): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows[0] as T;
  } finally {
    await client.end();
  }
}

describe.skipIf(process.env.TIDEWATCH_INTEGRATION !== '1')('startEmbeddedPostgres', () => {
  it('initialises a new cluster, migrates the plain schema, and keeps the data across a restart', async () => {
    const dataDir = join(root, 'history');
    // As in many minimal containers: initdb would then pick SQL_ASCII unless told otherwise.
    const lcAll = process.env.LC_ALL;
    process.env.LC_ALL = 'C';
    let t0 = performance.now();
    const first = await startEmbeddedPostgres({ dataDir, log: silentLogger }).finally(() => {
      if (lcAll === undefined) delete process.env.LC_ALL;
      else process.env.LC_ALL = lcAll;
    });
    const coldMs = performance.now() - t0;

    expect(first.url).toMatch(/^postgresql:\/\/postgres:[0-9a-f]{32}@127\.0\.0\.1:\d+\/tidewatch$/);
    expect(first.dataDir).toBe(dataDir);
    if (IS_ROOT) {
      const postgresUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
      expect(statSync(dataDir).uid).toBe(postgresUid);
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    }
    const pid = postmasterPid(dataDir);
    expect(postmasters(dataDir)).toEqual([pid]);

    const pool = createPostgresPool({ databaseUrl: first.url, log: silentLogger });
    const migrated = await migrate(pool, { postgis: 'auto', log: silentLogger });
    expect(migrated).toMatchObject({
      applied: MIGRATIONS_WITHOUT_POSTGIS,
      skipped: ['0002_postgis'],
      postgis: undefined,
    });
    // Ship names are not ASCII.
    expect((await pool.query('SHOW server_encoding')).rows[0].server_encoding).toBe('UTF8');
    await pool.query("SELECT ensure_positions_partition('2024-06-01')");
    await pool.query(
      `INSERT INTO positions (mmsi, time, payload_hash, msg_type, lat, lon, sources, stations)
       VALUES (257000001, '2024-06-01T12:00:00Z', 42, 1, 59.9, 10.7, '{no}', '{no}')`,
    );
    await pool.query(
      `INSERT INTO vessels (mmsi, ship_name, first_seen, last_seen)
       VALUES (257000001, 'ÅLESUND FJORD', now(), now())`,
    );
    await pool.end();

    await first.stop();
    await first.stop();
    expect(postmasters(dataDir)).toEqual([]);
    expect(running(pid)).toBe(false);
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);

    t0 = performance.now();
    const second = await startEmbeddedPostgres({ dataDir, log: silentLogger });
    const warmMs = performance.now() - t0;
    try {
      expect(new URL(second.url).password).toBe(new URL(first.url).password);
      const row = await queryOne<{ ship_name: string; positions: number }>(
        second.url,
        'SELECT ship_name, (SELECT count(*)::int FROM positions) AS positions FROM vessels',
      );
      expect(row).toEqual({ ship_name: 'ÅLESUND FJORD', positions: 1 });
      const again = createPostgresPool({ databaseUrl: second.url, log: silentLogger });
      expect((await migrate(again, { postgis: 'auto', log: silentLogger })).applied).toEqual([]);
      await again.end();
    } finally {
      await second.stop();
    }
    expect(postmasters(dataDir)).toEqual([]);
    console.info(
      `embedded Postgres on this machine: cold start (initdb) ${Math.round(coldMs)} ms, ` +
        `warm start ${Math.round(warmMs)} ms`,
    );
  });

  it('listens on the given port, creates the given database, and refuses a second server on its directory', async () => {
    const dataDir = join(root, 'named');
    const probe = await listen();
    const port = portOf(probe);
    await close(probe);
    const db = await startEmbeddedPostgres({
      dataDir,
      port,
      database: 'tw_named',
      log: silentLogger,
    });
    try {
      expect(db.url.endsWith(`@127.0.0.1:${port}/tw_named`)).toBe(true);
      const pid = postmasterPid(dataDir);
      const second = startEmbeddedPostgres({ dataDir, log: silentLogger });
      await expect(second).rejects.toMatchObject({
        name: 'PostgresError',
        code: 'PG_EMBEDDED_ALREADY_RUNNING',
        message: expect.stringContaining(`pid ${pid}`),
      });
      const row = await queryOne<{ db: string }>(db.url, 'SELECT current_database() AS db');
      expect(row.db).toBe('tw_named');
    } finally {
      await db.stop();
    }
    expect(postmasters(dataDir)).toEqual([]);
  });

  it('reports a port taken by another program as PG_EMBEDDED_PORT_IN_USE and leaves nothing running', async () => {
    const dataDir = join(root, 'busy-port');
    const blocker = await listen();
    const port = portOf(blocker);
    try {
      await expect(
        startEmbeddedPostgres({ dataDir, port, log: silentLogger }),
      ).rejects.toMatchObject({
        code: 'PG_EMBEDDED_PORT_IN_USE',
        message: expect.stringContaining(`127.0.0.1:${port}`),
      });
      expect(postmasters(dataDir)).toEqual([]);
    } finally {
      await close(blocker);
    }
    const db = await startEmbeddedPostgres({ dataDir, port, log: silentLogger });
    await db.stop();
  });

  it('starts over the postmaster.pid of a crashed server, and over one whose pid another program now has', async () => {
    const dataDir = join(root, 'crashed');
    const recorded = recordingLogger();
    const db = await startEmbeddedPostgres({ dataDir, log: recorded.log });
    await queryOne(db.url, 'CREATE TABLE kept AS SELECT 7 AS n');
    const lockFile = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8');
    const pid = postmasterPid(dataDir);
    const backends = childrenOf(pid);
    process.kill(pid, 'SIGKILL');
    await waitFor(() => ![pid, ...backends].some(running), 'the crashed server and its backends');
    await waitFor(
      () => recorded.lines.some((line) => line.message === 'embedded Postgres exited unexpectedly'),
      'the crash to be logged',
    );
    await db.stop(); // must not wait for an exit that already happened
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(true);

    const afterCrash = await startEmbeddedPostgres({ dataDir, log: recorded.log });
    try {
      expect(await queryOne(afterCrash.url, 'SELECT n FROM kept')).toEqual({ n: 7 });
    } finally {
      await afterCrash.stop();
    }
    expect(recorded.lines).toContainEqual(
      expect.objectContaining({
        message: expect.stringContaining('stale postmaster.pid'),
        fields: expect.objectContaining({ pid, process: 'gone' }),
      }),
    );

    // Containers reuse small pids: a live program now has the crashed server's pid.
    const squatter = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      const lines = lockFile.split('\n');
      lines[0] = String(squatter.pid);
      writeFileSync(join(dataDir, 'postmaster.pid'), lines.join('\n'));
      const reused = await startEmbeddedPostgres({ dataDir, log: recorded.log });
      await reused.stop();
      expect(recorded.lines).toContainEqual(
        expect.objectContaining({
          fields: expect.objectContaining({
            pid: squatter.pid,
            process: 'pid reused by another program',
          }),
        }),
      );
    } finally {
      squatter.kill();
    }
    expect(postmasters(dataDir)).toEqual([]);
  });

  it.skipIf(!IS_ROOT)(
    'names the directory the postgres user cannot enter instead of failing inside initdb',
    async () => {
      const closed = mkdtempSync(join(root, 'closed-')); // mode 0700, owned by root
      const dataDir = join(closed, 'cluster');
      await expect(startEmbeddedPostgres({ dataDir, log: silentLogger })).rejects.toMatchObject({
        code: 'PG_EMBEDDED_START_FAILED',
        message: expect.stringContaining(`cannot enter ${closed} (mode 700`),
      });
      expect(existsSync(dataDir)).toBe(false);
    },
  );

  describe('stops the server when its process ends', () => {
    // The child starts a server on a shared directory, prints "ready", then acts by TW_MODE.
    const CHILD = `
      const { startEmbeddedPostgres } = await import(process.env.TW_MODULE);
      const { silentLogger } = await import(process.env.TW_LOGGER_MODULE);
      const db = await startEmbeddedPostgres({ dataDir: process.env.TW_DATA_DIR, log: silentLogger });
      const mode = process.env.TW_MODE;
      if (mode === 'own-handler') {
        const drain = async () => {
          await new Promise((resolve) => setTimeout(resolve, 300));
          const { default: pg } = await import('pg');
          const client = new pg.Client({ connectionString: db.url });
          await client.connect();
          await client.query('SELECT 1');
          await client.end();
          console.log('drained');
          await db.stop();
          process.exit(0);
        };
        process.once('SIGTERM', drain);
        process.once('SIGINT', drain);
      }
      console.log('ready');
      if (mode === 'exit') process.exit(3);
      if (mode === 'natural') {
        await db.stop();
        process.exitCode = 3;
      } else {
        setInterval(() => {}, 1000);
      }
    `;

    function startChild(
      dataDir: string,
      mode: string,
      ownGroup: boolean,
    ): { child: ChildProcess; output: () => string; ready: Promise<void> } {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', CHILD],
        {
          cwd: PROJECT_DIR,
          env: {
            ...process.env,
            TW_MODULE: MODULE,
            TW_LOGGER_MODULE: LOGGER_MODULE,
            TW_DATA_DIR: dataDir,
            TW_MODE: mode,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
          // A process group of its own, as a terminal gives a command: Ctrl-C goes to all of it.
          detached: ownGroup,
        },
      );
      let output = '';
      const ready = new Promise<void>((resolve, reject) => {
        const onData = (chunk: Buffer): void => {
          output += chunk.toString();
          if (output.includes('ready\n')) resolve();
        };
        child.stdout!.on('data', onData);
        child.stderr!.on('data', (chunk: Buffer) => {
          output += chunk.toString();
        });
        child.once('exit', () => reject(new Error(`child exited before it was ready:\n${output}`)));
      });
      return { child, output: () => output, ready };
    }

    function exited(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
      if (child.exitCode !== null || child.signalCode !== null) {
        return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
      }
      return new Promise((resolve) => {
        child.once('exit', (code, signal) => resolve({ code, signal }));
      });
    }

    it.each([
      { mode: 'signal', send: 'SIGINT', expected: { code: null, signal: 'SIGINT' } },
      { mode: 'signal', send: 'SIGTERM', expected: { code: null, signal: 'SIGTERM' } },
      { mode: 'exit', send: undefined, expected: { code: 3, signal: null } },
      // async-exit-hook (registered by embedded-postgres) made this exit 0.
      { mode: 'natural', send: undefined, expected: { code: 3, signal: null } },
      // The application's own handler drains first: the server must still be up for it.
      { mode: 'own-handler', send: 'SIGTERM', expected: { code: 0, signal: null } },
      // Ctrl-C at a terminal: SIGINT to the whole process group. A server in that group shut
      // down at once, before the application drained into it (`npm start`, then Ctrl-C).
      { mode: 'own-handler', send: 'SIGINT to the group', expected: { code: 0, signal: null } },
    ] as const)('$mode $send', async ({ mode, send, expected }) => {
      const dataDir = join(root, 'child');
      const toGroup = send === 'SIGINT to the group';
      const { child, output, ready } = startChild(dataDir, mode, toGroup);
      const status = exited(child);
      await ready.catch(async (error) => {
        if (mode === 'exit' || mode === 'natural') return; // it may well be gone already
        throw error;
      });
      const pid = existsSync(join(dataDir, 'postmaster.pid')) ? postmasterPid(dataDir) : undefined;
      if (toGroup) process.kill(-child.pid!, 'SIGINT');
      else if (send !== undefined) child.kill(send);
      expect(await status).toEqual(expected);
      if (mode === 'own-handler') expect(output(), output()).toContain('drained');
      await waitFor(
        () => postmasters(dataDir).length === 0 && (pid === undefined || !running(pid)),
        'the server to stop',
      );
      expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);
    });
  });
});
