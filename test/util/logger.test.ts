import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/util/logger.js';
import { jsonLineStream } from '../support/json-line-stream.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('createLogger', () => {
  it('writes one JSON object per line with the level label, ISO time and fields', () => {
    const { lines, stream } = jsonLineStream();
    const logger = createLogger({ destination: stream, name: 'worker', level: 'info' });
    logger.info({ partition: 3 }, 'assigned');
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).toMatchObject({ level: 'info', name: 'worker', msg: 'assigned', partition: 3 });
    expect(new Date(line.time as string).toISOString()).toBe(line.time);
  });

  it('drops lines below the level', () => {
    const { lines, stream } = jsonLineStream();
    const logger = createLogger({ destination: stream, level: 'warn' });
    logger.info('not shown');
    logger.warn('shown');
    expect(lines.map((line) => [line.level, line.msg])).toEqual([['warn', 'shown']]);
  });

  it('takes the level from TIDEWATCH_LOG_LEVEL unless the option gives one', () => {
    vi.stubEnv('TIDEWATCH_LOG_LEVEL', 'debug');
    expect(createLogger({ destination: jsonLineStream().stream }).level).toBe('debug');
    expect(createLogger({ destination: jsonLineStream().stream, level: 'error' }).level).toBe(
      'error',
    );
    vi.stubEnv('TIDEWATCH_LOG_LEVEL', '');
    expect(createLogger({ destination: jsonLineStream().stream }).level).toBe('info');
  });

  it('refuses an unknown level, naming it and the valid ones', () => {
    expect(() => createLogger({ destination: jsonLineStream().stream, level: 'verbose' })).toThrow(
      /"verbose".*trace, debug, info, warn, error, fatal, silent/,
    );
    vi.stubEnv('TIDEWATCH_LOG_LEVEL', 'INFO');
    expect(() => createLogger({ destination: jsonLineStream().stream })).toThrow(
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
