import Kafka from 'node-rdkafka';
import { describe, expect, it } from 'vitest';
import { consumerConfig } from '../../../src/io/kafka/consumer-config.js';
import {
  type SaslCredentials,
  saslCredentials,
  saslProperties,
  saslPropertiesText,
} from '../../../src/io/kafka/sasl-config.js';

const CREDENTIALS: SaslCredentials = {
  mechanism: 'SCRAM-SHA-512',
  securityProtocol: 'SASL_PLAINTEXT',
  username: 'member-ca',
  password: 'ca-0123456789abcdef',
};

describe('SASL settings (issue 13)', () => {
  it('become the librdkafka properties, which this librdkafka build accepts (SCRAM compiled in)', () => {
    const properties = saslProperties(CREDENTIALS);
    expect(properties).toEqual({
      'security.protocol': 'sasl_plaintext',
      'sasl.mechanisms': 'SCRAM-SHA-512',
      'sasl.username': 'member-ca',
      'sasl.password': 'ca-0123456789abcdef',
    });
    // librdkafka checks every property when the client is created (no connection is made).
    expect(
      () => new Kafka.Producer({ 'bootstrap.servers': '127.0.0.1:1', ...properties }),
    ).not.toThrow();
    // ... and refuses what it does not know: the check above could fail.
    expect(
      () =>
        new Kafka.Producer({
          'bootstrap.servers': '127.0.0.1:1',
          ...properties,
          'security.protocol': 'sasl_bogus' as 'sasl_ssl',
        }),
    ).toThrow(/security.protocol/);
  });

  it('reach the consumer under any further properties', () => {
    const config = consumerConfig({ bootstrapServers: 'b:9092', groupId: 'g', sasl: CREDENTIALS });
    expect(config.global).toMatchObject({
      'sasl.username': 'member-ca',
      'security.protocol': 'sasl_plaintext',
    });
    const overridden = consumerConfig({
      bootstrapServers: 'b:9092',
      groupId: 'g',
      sasl: CREDENTIALS,
      config: { 'security.protocol': 'sasl_ssl' },
    });
    expect(overridden.global['security.protocol']).toBe('sasl_ssl');
    expect(consumerConfig({ bootstrapServers: 'b:9092', groupId: 'g' }).global).not.toHaveProperty(
      'sasl.username',
    );
  });

  it('take the password from the environment variable, naming it when it is not set', () => {
    const { password: _, ...settings } = CREDENTIALS;
    expect(saslCredentials(settings, 'PW', { PW: 'secret-0123456789' }).password).toBe(
      'secret-0123456789',
    );
    for (const env of [{}, { PW: '' }]) {
      expect(() => saslCredentials(settings, 'PW', env)).toThrow(
        'Kafka SASL user member-ca: environment variable PW (its password) is not set',
      );
    }
  });

  it('write a properties file without the password', () => {
    const { password: _, ...settings } = CREDENTIALS;
    const text = saslPropertiesText(settings, 'PW', ['heading']);
    expect(text).not.toMatch(/^sasl\.password/m);
    expect(text.split('\n').filter((l) => !l.startsWith('#'))).toEqual([
      'security.protocol=sasl_plaintext',
      'sasl.mechanisms=SCRAM-SHA-512',
      'sasl.username=member-ca',
      '',
    ]);
    expect(text).toContain('# heading\n');
  });
});
