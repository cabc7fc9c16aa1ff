import { describe, expect, it } from 'vitest';
import { migrateCliLogger } from '../../src/cli/migrate-command.js';
import { postgresLogger } from '../../src/io/postgres/postgres-logger.js';

describe('migrateCliLogger', () => {
  it('writes plain lines with the error or reason, and leaves applied migrations to the summary', () => {
    const written: string[] = [];
    // As the migrator and the pool use it: through the Postgres adapter's child.
    const log = postgresLogger(migrateCliLogger((text) => written.push(text)));
    log.info({ migration: '0001_history_tables' }, 'applied migration');
    log.warn(
      { attempt: 1, delayMs: 250, error: 'connect ECONNREFUSED 127.0.0.1:5432' },
      'Postgres not reachable, migrate waits',
    );
    log.info({ reason: 'extension "postgis" is not available' }, 'PostGIS not available');
    log.warn(
      { migration: '0009_future' },
      'the database has a migration this version does not know',
    );
    log.debug('not shown: below info');
    expect(written).toEqual([
      'tidewatch migrate: Postgres not reachable, migrate waits: connect ECONNREFUSED 127.0.0.1:5432\n',
      'tidewatch migrate: PostGIS not available: extension "postgis" is not available\n',
      'tidewatch migrate: the database has a migration this version does not know\n',
    ]);
  });
});
