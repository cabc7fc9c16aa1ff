import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CORE_CONFIG } from '../../src/pipeline/core-config.js';
import {
  loadHistoryDatabase,
  loadWorkerConfig,
  resolveWorkerConfig,
} from '../../src/worker/worker-config.js';

describe('worker configuration', () => {
  it('fills every default; KAFKA_BROKERS is enough', () => {
    const config = resolveWorkerConfig({}, { KAFKA_BROKERS: 'k1:9092,k2:9092' });
    expect(config.kafka.brokers).toBe('k1:9092,k2:9092');
    expect(config.kafka.groupId).toBe('tidewatch');
    expect(config.kafka.rawTopicPattern).toBe('^ais\\.raw\\.');
    expect(new RegExp(config.kafka.rawTopicPattern).test('ais.raw.ca')).toBe(true);
    expect(config.kafka.topics).toEqual({
      fused: 'tracks.fused',
      alerts: 'alerts',
      rejected: 'ais.rejected',
    });
    expect(config.metrics.port).toBe(9464);
    expect(config.postgres.enabled).toBe(true);
    expect(config.core).toEqual(DEFAULT_CORE_CONFIG);
  });

  it('takes a relative coalition path from the configuration file’s folder (absolute as is)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tidewatch-worker-config-'));
    const file = join(dir, 'worker.json');
    writeFileSync(file, JSON.stringify({ coalition: 'policy/coalition.yaml' }));
    const env = { KAFKA_BROKERS: 'k:9092' };
    expect(loadWorkerConfig(file, env).coalition).toBe(join(dir, 'policy/coalition.yaml'));
    writeFileSync(file, JSON.stringify({ coalition: '/etc/tidewatch/coalition.yaml' }));
    expect(loadWorkerConfig(file, env).coalition).toBe('/etc/tidewatch/coalition.yaml');
    expect(resolveWorkerConfig({}, env).coalition).toBeUndefined();
  });

  it('lets the environment win over the file', () => {
    const config = resolveWorkerConfig(
      { kafka: { brokers: 'file:9092' }, postgres: { url: 'postgres://file/db' } },
      { KAFKA_BROKERS: 'env:9092', DATABASE_URL: 'postgres://env/db' },
    );
    expect(config.kafka.brokers).toBe('env:9092');
    expect(config.postgres.url).toBe('postgres://env/db');
  });

  it('names every bad key with its path, and a missing broker list', () => {
    const bad = {
      kafka: { brokers: 'x:1', grupId: 'typo' },
      metrics: { port: 70_000 },
      core: { darkGap: { minGapSeconds: -1 } },
    };
    expect(() => resolveWorkerConfig(bad, {}, 'w.yaml')).toThrow(/w\.yaml: kafka: .*grupId/);
    expect(() => resolveWorkerConfig(bad, {}, 'w.yaml')).toThrow(/w\.yaml: metrics\.port/);
    expect(() => resolveWorkerConfig(bad, {}, 'w.yaml')).toThrow(
      /w\.yaml: core\.darkGap\.minGapSeconds/,
    );
    expect(() => resolveWorkerConfig({}, {}, 'w.yaml')).toThrow(/kafka\.brokers: no Kafka brokers/);
  });

  it('refuses output topics it would also read as member feeds', () => {
    const env = { KAFKA_BROKERS: 'k:9092' };
    // Matched by the raw topic pattern: the worker would consume its own alerts as NMEA.
    expect(() =>
      resolveWorkerConfig(
        { kafka: { rawTopicPrefix: 'lab.', topics: { alerts: 'lab.alerts' } } },
        env,
        'w.yaml',
      ),
    ).toThrow(
      /w\.yaml: kafka\.topics\.alerts: "lab\.alerts" matches the raw topic pattern \^lab\\\./,
    );
    expect(() =>
      resolveWorkerConfig({ kafka: { rawTopicPattern: '^.*', topics: { rejected: '' } } }, env),
    ).toThrow(/kafka\.topics\.fused: "tracks\.fused" matches[^\n]*\n.*kafka\.topics\.alerts/);
    // A member's topic (then the pattern is not used).
    expect(() =>
      resolveWorkerConfig({ kafka: { members: { ca: 'alerts' }, rawTopicPattern: '^.*' } }, env),
    ).toThrow(/kafka\.topics\.alerts: "alerts" is also a member's raw topic/);
    expect(() => resolveWorkerConfig({ kafka: { rawTopicPattern: '^(' } }, env)).toThrow(
      /kafka\.rawTopicPattern: not a regular expression/,
    );
    // Scaled (docs/scale-out.md): the internal topic is an output too; the stages need a group each.
    expect(() =>
      resolveWorkerConfig({ scale: { stages: true, reportsTopic: 'ais.raw.reports' } }, env),
    ).toThrow(/scale\.reportsTopic: "ais\.raw\.reports" matches the raw topic pattern/);
    expect(() =>
      resolveWorkerConfig(
        { kafka: { groupId: 'g' }, scale: { stages: true, decodeGroupId: 'g' } },
        env,
      ),
    ).toThrow(/scale\.decodeGroupId: "g" is kafka\.groupId too/);
    expect(resolveWorkerConfig({ kafka: { groupId: 'g' } }, env).scale).toEqual({
      stages: false,
      reportsTopic: 'tidewatch.reports',
      decodeGroupId: 'g.decode',
      watermarkIntervalMs: 500,
    });
    // The defaults, and an empty rejected topic (dead letters off), pass.
    expect(
      resolveWorkerConfig({ kafka: { topics: { rejected: '' } } }, env).kafka.topics.rejected,
    ).toBe('');
  });

  it('reads the file named by --config, else TIDEWATCH_CONFIG', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tidewatch-worker-config-'));
    const path = join(dir, 'worker.yaml');
    writeFileSync(
      path,
      'kafka:\n  brokers: b:9092\n  members:\n    ca: feeds.canada\noutput:\n  trackIntervalSeconds: 30\ncore:\n  loitering:\n    maxSogKnots: 1.5\n',
    );
    const fromEnv = loadWorkerConfig(undefined, { TIDEWATCH_CONFIG: path });
    expect(fromEnv.kafka.members).toEqual(new Map([['ca', 'feeds.canada']]));
    expect(fromEnv.output.trackIntervalSeconds).toBe(30);
    expect(fromEnv.core.loitering.maxSogKnots).toBe(1.5);
    expect(loadWorkerConfig(path, {}).kafka.brokers).toBe('b:9092');
    expect(() => loadWorkerConfig(join(dir, 'missing.yaml'), {})).toThrow(
      /Cannot read configuration/,
    );
  });
});

describe('config/worker.example.yaml', () => {
  it('is valid and spells out the defaults', () => {
    const path = new URL('../../config/worker.example.yaml', import.meta.url).pathname;
    const fromFile = loadWorkerConfig(path, {});
    const defaults = resolveWorkerConfig({}, { KAFKA_BROKERS: 'localhost:9092' });
    expect(fromFile).toEqual(defaults);
  });

  it("gives migrate the file's database without needing Kafka; DATABASE_URL wins; bad keys named", () => {
    const dir = mkdtempSync(join(tmpdir(), 'tidewatch-config-'));
    const file = join(dir, 'w.yaml');
    writeFileSync(file, 'postgres:\n  url: postgres://file/db\n  postgis: require\n');
    expect(loadHistoryDatabase(file, {})).toEqual({
      url: 'postgres://file/db',
      postgis: 'require',
    });
    expect(
      loadHistoryDatabase(undefined, { TIDEWATCH_CONFIG: file, DATABASE_URL: 'postgres://env/db' }),
    ).toEqual({
      url: 'postgres://env/db',
      postgis: 'require',
    });
    expect(loadHistoryDatabase(undefined, {})).toEqual({ url: undefined, postgis: 'auto' });
    writeFileSync(file, 'postgres:\n  ulr: postgres://typo/db\n');
    expect(() => loadHistoryDatabase(file, {})).toThrow(/w\.yaml: postgres: .*ulr/);
  });
});

describe('worker configuration: kafka.sasl (issue 13)', () => {
  const sasl = { username: 'tidewatch-worker', passwordEnv: 'WORKER_PW' };

  it('gives every client the SASL properties, the password from the named variable, the file’s librdkafka over them', () => {
    const config = resolveWorkerConfig(
      { kafka: { sasl, librdkafka: { 'ssl.ca.location': '/ca.pem' } } },
      { KAFKA_BROKERS: 'k:9092', WORKER_PW: 'pw-0123456789abcdef' },
    );
    expect(config.kafka.sasl).toEqual({
      ...sasl,
      mechanism: 'SCRAM-SHA-512',
      securityProtocol: 'SASL_PLAINTEXT',
    });
    expect(config.kafka.librdkafka).toEqual({
      'security.protocol': 'sasl_plaintext',
      'sasl.mechanisms': 'SCRAM-SHA-512',
      'sasl.username': 'tidewatch-worker',
      'sasl.password': 'pw-0123456789abcdef',
      'ssl.ca.location': '/ca.pem',
    });
    const none = resolveWorkerConfig({}, { KAFKA_BROKERS: 'k:9092' });
    expect(none.kafka.sasl).toBeUndefined();
    expect(none.kafka.librdkafka).toEqual({});
  });

  it('stops the start naming the variable when the password is not set, and names bad keys', () => {
    expect(() =>
      resolveWorkerConfig({ kafka: { sasl } }, { KAFKA_BROKERS: 'k:9092' }, 'w.yaml'),
    ).toThrow(
      'w.yaml: kafka.sasl.passwordEnv: Kafka SASL user tidewatch-worker: environment variable WORKER_PW (its password) is not set',
    );
    expect(() =>
      resolveWorkerConfig(
        { kafka: { sasl: { ...sasl, mechanism: 'PLAIN', password: 'inline' } } },
        { KAFKA_BROKERS: 'k:9092', WORKER_PW: 'x' },
        'w.yaml',
      ),
    ).toThrow(/w\.yaml: kafka\.sasl[\s\S]*(mechanism|password)/);
    // migrate reads the same file and needs no Kafka password.
    const dir = mkdtempSync(join(tmpdir(), 'tidewatch-config-'));
    const file = join(dir, 'w.yaml');
    writeFileSync(file, 'kafka:\n  sasl: { username: tidewatch-worker, passwordEnv: WORKER_PW }\n');
    expect(loadHistoryDatabase(file, {})).toEqual({ url: undefined, postgis: 'auto' });
  });
});
