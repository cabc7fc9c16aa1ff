import { describe, expect, it } from 'vitest';
import { postgresLogger } from '../../../src/io/postgres/postgres-logger.js';
import { createPostgresPool } from '../../../src/io/postgres/postgres-pool.js';
import { createLogger } from '../../../src/util/logger.js';
import { jsonLineStream } from '../../support/json-line-stream.js';
import { recordingLogger } from '../../support/recording-logger.js';

describe('postgresLogger', () => {
  it('logs through a child with component postgres, with and without fields', () => {
    const { lines, stream } = jsonLineStream();
    const log = postgresLogger(createLogger({ destination: stream, level: 'info' }));
    log.warn({ attempt: 2, table: 'positions' }, 'COPY failed, retrying');
    log.error('giving up');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        component: 'postgres',
        msg: 'COPY failed, retrying',
        attempt: 2,
        table: 'positions',
      }),
      expect.objectContaining({ level: 'error', component: 'postgres', msg: 'giving up' }),
    ]);
  });

  it("is what the adapter writes through: a pool's lost idle connection", async () => {
    const recorded = recordingLogger();
    // pg connects lazily: nothing is opened until a query.
    const pool = createPostgresPool({
      databaseUrl: 'postgresql://x@127.0.0.1:1/x',
      log: recorded.log,
    });
    pool.emit('error', new Error('terminating connection due to administrator command'));
    await pool.end();
    expect(recorded.lines).toEqual([
      {
        level: 'warn',
        message: 'idle Postgres connection lost',
        fields: {
          component: 'postgres',
          error: 'terminating connection due to administrator command',
        },
      },
    ]);
  });
});
