import { describe, expect, it } from 'vitest';
import { plainLogger } from '../../src/cli/plain-logger.js';

describe('plainLogger', () => {
  it('writes "tidewatch COMMAND: MESSAGE" lines from info up, whatever the level or bindings', () => {
    const written: string[] = [];
    const log = plainLogger('feed', { write: (text) => written.push(text) });
    log.info('reading file feed.nmea into ais.raw.ca');
    log.child({ component: 'source' }).warn('tcp x:1: cannot connect; reconnecting in 1 s');
    log.error({ attempt: 3 }, 'KAFKA_CONNECT_FAILED: no broker');
    log.debug('not shown: below info');
    expect(written).toEqual([
      'tidewatch feed: reading file feed.nmea into ais.raw.ca\n',
      'tidewatch feed: tcp x:1: cannot connect; reconnecting in 1 s\n',
      'tidewatch feed: KAFKA_CONNECT_FAILED: no broker\n',
    ]);
  });

  it('adds the error or reason field after the message, and leaves out what `omit` says', () => {
    const written: string[] = [];
    const log = plainLogger('migrate', {
      write: (text) => written.push(text),
      omit: (level, message) => level === 'info' && message === 'skip me',
    });
    log.warn({ error: 'ECONNREFUSED' }, 'waiting');
    log.info({ reason: 'not installed' }, 'no PostGIS');
    log.info('skip me');
    log.warn('skip me');
    expect(written).toEqual([
      'tidewatch migrate: waiting: ECONNREFUSED\n',
      'tidewatch migrate: no PostGIS: not installed\n',
      'tidewatch migrate: skip me\n',
    ]);
  });
});
