import { describe, expect, it } from 'vitest';
import { runFeed } from '../../src/cli/feed-command.js';
import { runMigrate } from '../../src/cli/migrate-command.js';
import {
  integerOption,
  nonNegativeNumberOption,
  numberOption,
  portOption,
  positiveNumberOption,
} from '../../src/cli/number-option.js';
import { runSimulate } from '../../src/cli/simulate-command.js';
import { capturedStderr } from '../support/captured-stderr.js';

describe('numeric command-line options', () => {
  it('numberOption takes any finite number', () => {
    expect(numberOption('hours', '1.5')).toBe(1.5);
    expect(numberOption('hours', '-2')).toBe(-2);
    expect(numberOption('hours', '1e3')).toBe(1000);
    for (const text of ['', ' ', 'abc', '1.5h', 'Infinity', 'NaN']) {
      expect(() => numberOption('hours', text)).toThrow(`--hours "${text}" is not a number.`);
    }
  });

  it('positiveNumberOption takes numbers above 0', () => {
    expect(positiveNumberOption('speed', '0.5')).toBe(0.5);
    expect(positiveNumberOption('speed', '3600')).toBe(3600);
    for (const text of ['0', '-1', '', 'fast', 'Infinity']) {
      expect(() => positiveNumberOption('speed', text)).toThrow(
        `--speed "${text}" is not a number > 0.`,
      );
    }
  });

  it('nonNegativeNumberOption takes numbers from 0 up', () => {
    expect(nonNegativeNumberOption('wait-seconds', '0')).toBe(0);
    expect(nonNegativeNumberOption('wait-seconds', '2.5')).toBe(2.5);
    // Number('') is 0: an empty value is a mistake, not "no wait".
    for (const text of ['-1', '', 'soon']) {
      expect(() => nonNegativeNumberOption('wait-seconds', text)).toThrow(
        `--wait-seconds "${text}" is not a number >= 0.`,
      );
    }
  });

  it('integerOption takes decimal integers, at least min when given', () => {
    expect(integerOption('seed', '7')).toBe(7);
    expect(integerOption('seed', '-3')).toBe(-3);
    expect(integerOption('max-lines', ' 500 ', 1)).toBe(500);
    expect(integerOption('linger-ms', '0', 0)).toBe(0);
    for (const text of ['1.5', '1e3', '0x10', '', 'abc']) {
      expect(() => integerOption('seed', text)).toThrow(`--seed "${text}" is not an integer.`);
    }
    expect(() => integerOption('max-lines', '0', 1)).toThrow(
      '--max-lines "0" is not an integer >= 1.',
    );
    expect(() => integerOption('linger-ms', '-1', 0)).toThrow(
      '--linger-ms "-1" is not an integer >= 0.',
    );
  });

  it('portOption takes 0..65535', () => {
    expect(portOption('metrics-port', '0')).toBe(0);
    expect(portOption('metrics-port', '9464')).toBe(9464);
    expect(portOption('metrics-port', '65535')).toBe(65_535);
    for (const text of ['65536', '-1', '-0', '80.5', '', 'http']) {
      expect(() => portOption('metrics-port', text)).toThrow(
        `--metrics-port "${text}" is not a port number in 0..65535.`,
      );
    }
  });

  it('portOption takes a lowest port: 1 where 0 (any free one) makes no sense', () => {
    expect(portOption('udp', '1', 1)).toBe(1);
    expect(portOption('udp', '10110', 1)).toBe(10_110);
    expect(() => portOption('udp', '0', 1)).toThrow('--udp "0" is not a port number in 1..65535.');
  });

  it('throws a RangeError', () => {
    expect(() => integerOption('seed', 'x')).toThrow(RangeError);
  });
});

describe('the commands report a bad number the same way', () => {
  const stderr = capturedStderr();

  it('tidewatch feed: exit 2 before connecting to anything', async () => {
    const env = { KAFKA_BROKERS: '127.0.0.1:1' };
    expect(await runFeed({ member: 'ca', file: '-', maxLines: '0' }, env)).toBe(2);
    expect(await runFeed({ member: 'ca', file: '-', lingerMs: 'soon' }, env)).toBe(2);
    expect(stderr).toEqual([
      'tidewatch feed: --max-lines "0" is not an integer >= 1.\n',
      'tidewatch feed: --linger-ms "soon" is not an integer >= 0.\n',
    ]);
  });

  it('tidewatch simulate: exit 2, nothing written', async () => {
    expect(await runSimulate({ out: '/nonexistent/tidewatch', vessels: '2.5' })).toBe(2);
    expect(stderr).toEqual(['tidewatch simulate: --vessels "2.5" is not an integer.\n']);
  });

  it('tidewatch migrate: throws before connecting (main.ts prints it, exit 2)', async () => {
    await expect(runMigrate({ waitSeconds: '-1' })).rejects.toThrow(
      '--wait-seconds "-1" is not a number >= 0.',
    );
  });
});
