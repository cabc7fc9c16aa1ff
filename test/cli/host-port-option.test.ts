import { describe, expect, it } from 'vitest';
import { runFeed } from '../../src/cli/feed-command.js';
import { hostPortOption } from '../../src/cli/host-port-option.js';
import { capturedStderr } from '../support/captured-stderr.js';

describe('hostPortOption', () => {
  it('takes a host name, an IPv4 address or a bracketed IPv6 literal, and a port 1..65535', () => {
    expect(hostPortOption('tcp', 'ais.example.org:5631')).toEqual({
      host: 'ais.example.org',
      port: 5631,
    });
    expect(hostPortOption('tcp', '153.44.253.27:1')).toEqual({ host: '153.44.253.27', port: 1 });
    expect(hostPortOption('tcp', '[::1]:65535')).toEqual({ host: '::1', port: 65_535 });
  });

  it.each([
    ['no colon', '5631'],
    ['no host', ':5631'],
    ['empty brackets', '[]:5631'],
    ['no port', 'ais.example.org:'],
    ['port 0 (nothing to connect to)', 'ais.example.org:0'],
    ['port over 65535', 'ais.example.org:65536'],
    ['a service name', 'ais.example.org:http'],
    ['a signed port', 'ais.example.org:+5631'],
    ['empty', ''],
  ])('refuses %s, naming the option and the value', (_case, text) => {
    expect(() => hostPortOption('tcp', text)).toThrow(
      new RangeError(
        `--tcp "${text}" is not HOST:PORT with a port in 1..65535 (e.g. ais.example.org:5631).`,
      ),
    );
  });
});

describe('tidewatch feed checks --tcp and --udp before connecting to anything', () => {
  const stderr = capturedStderr();

  it('exits 2 naming the bad value', async () => {
    const env = { KAFKA_BROKERS: '127.0.0.1:1' };
    expect(await runFeed({ member: 'ca', tcp: 'ais.example.org' }, env)).toBe(2);
    expect(await runFeed({ member: 'ca', udp: '0' }, env)).toBe(2);
    expect(stderr).toEqual([
      'tidewatch feed: --tcp "ais.example.org" is not HOST:PORT with a port in 1..65535 (e.g. ais.example.org:5631).\n',
      'tidewatch feed: --udp "0" is not a port number in 1..65535.\n',
    ]);
  });
});
