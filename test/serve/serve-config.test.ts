import { describe, expect, it } from 'vitest';
import { parseServeConfig, parseTokenList } from '../../src/serve/serve-config.js';

describe('serve configuration', () => {
  it('takes every documented key', () => {
    const config = parseServeConfig(
      {
        host: '0.0.0.0',
        port: 9000,
        kafka: { brokers: 'k:9092' },
        postgres: { url: 'postgres://x/y' },
        zones: ['z.geojson'],
        coalition: 'c.yaml',
        tokens: { ca: '0123456789abcdef' },
        framesPerSecond: 2,
      },
      'serve.yaml',
    );
    expect(config.tokens).toEqual({ ca: '0123456789abcdef' });
    expect(parseServeConfig(null, 'empty.yaml')).toEqual({});
  });

  it('takes kafka.sasl, brokers then optional (KAFKA_BROKERS), and refuses a password in the file', () => {
    const config = parseServeConfig(
      { kafka: { sasl: { username: 'picture', passwordEnv: 'PICTURE_PW' } } },
      'serve.yaml',
    );
    expect(config.kafka?.sasl).toEqual({
      mechanism: 'SCRAM-SHA-512',
      securityProtocol: 'SASL_PLAINTEXT',
      username: 'picture',
      passwordEnv: 'PICTURE_PW',
    });
    expect(() =>
      parseServeConfig(
        { kafka: { sasl: { username: 'picture', passwordEnv: 'PW', password: 'secret' } } },
        'serve.yaml',
      ),
    ).toThrow(/kafka\.sasl/);
  });

  it('lists every bad key with its path', () => {
    expect(() =>
      parseServeConfig({ port: 'x', tokens: { ca: 'short' }, colour: 'red' }, 'serve.yaml'),
    ).toThrow(/serve\.yaml: bad serve configuration:\n(.|\n)*port(.|\n)*tokens\.ca/);
  });

  it('reads TIDEWATCH_PICTURE_TOKENS and refuses a short or malformed entry', () => {
    expect(parseTokenList('ca=0123456789abcdef, no=fedcba9876543210,')).toEqual(
      new Map([
        ['ca', '0123456789abcdef'],
        ['no', 'fedcba9876543210'],
      ]),
    );
    expect(() => parseTokenList('ca=short')).toThrow(/"ca" is not member=token/);
    expect(() => parseTokenList('0123456789abcdef')).toThrow(/not member=token/);
  });
});
