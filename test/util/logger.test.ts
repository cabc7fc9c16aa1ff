import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, postgresLogFrom } from '../../src/util/logger.js';

/** A destination that keeps every line pino writes, parsed. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { lines, stream };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('createLogger', () => {
  it('writes one JSON object per line with the level label, ISO time and fields', () => {
    const { lines, stream } = capture();
    const logger = createLogger({ destination: stream, name: 'worker', level: 'info' });
    logger.info({ partition: 3 }, 'assigned');
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).toMatchObject({ level: 'info', name: 'worker', msg: 'assigned', partition: 3 });
    expect(new Date(line.time as string).toISOString()).toBe(line.time);
  });

  it('drops lines below the level', () => {
    const { lines, stream } = capture();
    const logger = createLogger({ destination: stream, level: 'warn' });
    logger.info('not shown');
    logger.warn('shown');
    expect(lines.map((line) => [line.level, line.msg])).toEqual([['warn', 'shown']]);
  });

  it('takes the level from TIDEWATCH_LOG_LEVEL unless the option gives one', () => {
    vi.stubEnv('TIDEWATCH_LOG_LEVEL', 'debug');
    expect(createLogger({ destination: capture().stream }).level).toBe('debug');
    expect(createLogger({ destination: capture().stream, level: 'error' }).level).toBe('error');
    vi.stubEnv('TIDEWATCH_LOG_LEVEL', '');
    expect(createLogger({ destination: capture().stream }).level).toBe('info');
  });

  it('refuses an unknown level, naming it and the valid ones', () => {
    expect(() => createLogger({ destination: capture().stream, level: 'verbose' })).toThrow(
      /"verbose".*trace, debug, info, warn, error, fatal, silent/,
    );
    vi.stubEnv('TIDEWATCH_LOG_LEVEL', 'INFO');
    expect(() => createLogger({ destination: capture().stream })).toThrow(
      /"INFO" \(from TIDEWATCH_LOG_LEVEL\)/,
    );
  });

  it('writes to stderr by default, keeping stdout for command output', () => {
    const loggerModule = fileURLToPath(new URL('../../src/util/logger.ts', import.meta.url));
    const script = `import { createLogger } from ${JSON.stringify(loggerModule)};
createLogger().warn({ member: 'ca' }, 'to stderr');`;
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { encoding: 'utf8', env: { ...process.env, TIDEWATCH_LOG_LEVEL: '' } },
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(JSON.parse(result.stderr)).toMatchObject({
      level: 'warn',
      msg: 'to stderr',
      member: 'ca',
    });
  });
});

describe('postgresLogFrom', () => {
  it('logs through a child with component postgres, with and without fields', () => {
    const { lines, stream } = capture();
    const log = postgresLogFrom(createLogger({ destination: stream, level: 'info' }));
    log('warn', 'COPY failed, retrying', { attempt: 2, table: 'positions' });
    log('error', 'giving up');
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
});
