import { describe, expect, it } from 'vitest';
import { saslProperties } from '../../../src/io/kafka/sasl-config.js';
import {
  saslConfigCredentials,
  saslConfigSchema,
} from '../../../src/io/kafka/sasl-config-schema.js';

/** `kafka.sasl` of the worker's and `tidewatch serve`'s configuration files (issue 13). */
describe('kafka.sasl configuration section', () => {
  it('defaults to SCRAM-SHA-512 over SASL_PLAINTEXT and maps to the librdkafka properties', () => {
    const sasl = saslConfigSchema.parse({ username: 'picture', passwordEnv: 'PICTURE_PW' });
    expect(sasl).toEqual({
      mechanism: 'SCRAM-SHA-512',
      securityProtocol: 'SASL_PLAINTEXT',
      username: 'picture',
      passwordEnv: 'PICTURE_PW',
    });
    const credentials = saslConfigCredentials(sasl, { PICTURE_PW: 'pw-0123456789abcdef' }, 'k');
    expect(saslProperties(credentials!)).toEqual({
      'security.protocol': 'sasl_plaintext',
      'sasl.mechanisms': 'SCRAM-SHA-512',
      'sasl.username': 'picture',
      'sasl.password': 'pw-0123456789abcdef',
    });
    const tls = saslConfigSchema.parse({
      username: 'picture',
      passwordEnv: 'PICTURE_PW',
      mechanism: 'SCRAM-SHA-256',
      securityProtocol: 'SASL_SSL',
    });
    expect(saslProperties(saslConfigCredentials(tls, { PICTURE_PW: 'x' }, 'k')!)).toMatchObject({
      'security.protocol': 'sasl_ssl',
      'sasl.mechanisms': 'SCRAM-SHA-256',
    });
  });

  it('refuses a password in the file, another mechanism and a bad variable name', () => {
    for (const bad of [
      { username: 'u', passwordEnv: 'PW', password: 'in-the-file' },
      { username: 'u', passwordEnv: 'PW', mechanism: 'PLAIN' },
      { username: 'u', passwordEnv: 'PW', securityProtocol: 'PLAINTEXT' },
      { username: 'u', passwordEnv: '1PW' },
      { username: '', passwordEnv: 'PW' },
    ]) {
      expect(saslConfigSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('has no credentials without a section, and names the key and variable of a missing password', () => {
    expect(saslConfigCredentials(undefined, {}, 'k')).toBeUndefined();
    const sasl = saslConfigSchema.parse({ username: 'picture', passwordEnv: 'PICTURE_PW' });
    expect(() => saslConfigCredentials(sasl, {}, 'serve.yaml: kafka.sasl.passwordEnv')).toThrow(
      'serve.yaml: kafka.sasl.passwordEnv: Kafka SASL user picture: environment variable PICTURE_PW (its password) is not set',
    );
  });
});
