import { describe, expect, it } from 'vitest';
import { consumerConfig } from '../../../src/io/kafka/consumer-config.js';

const base = { bootstrapServers: 'localhost:9092', groupId: 'tidewatch' };

describe('consumerConfig', () => {
  it('stores offsets only when told, reports partition ends, fetches with short waits', () => {
    const { global, topic } = consumerConfig(base);
    expect(global).toMatchObject({
      'bootstrap.servers': 'localhost:9092',
      'group.id': 'tidewatch',
      'client.id': 'tidewatch',
      'enable.auto.offset.store': false,
      'enable.auto.commit': true,
      'auto.commit.interval.ms': 1000,
      'enable.partition.eof': true,
      'fetch.wait.max.ms': 10,
      'fetch.queue.backoff.ms': 10,
      'session.timeout.ms': 10_000,
      'heartbeat.interval.ms': 3000,
      'topic.metadata.refresh.interval.ms': 5000,
      'partition.assignment.strategy': 'range,roundrobin',
    });
    expect(topic).toEqual({ 'auto.offset.reset': 'earliest' });
  });

  it('commits only on demand with commitIntervalMs 0', () => {
    const { global } = consumerConfig({ ...base, commitIntervalMs: 0 });
    expect(global['enable.auto.commit']).toBe(false);
    expect(global).not.toHaveProperty('auto.commit.interval.ms');
  });

  it('heartbeats at a third of a short session timeout', () => {
    const { global } = consumerConfig({ ...base, sessionTimeoutMs: 6000 });
    expect(global['session.timeout.ms']).toBe(6000);
    expect(global['heartbeat.interval.ms']).toBe(2000);
  });

  it('applies further librdkafka properties last, over its own', () => {
    const { global, topic } = consumerConfig({
      ...base,
      startFrom: 'latest',
      config: { 'fetch.wait.max.ms': 100, 'security.protocol': 'ssl' },
    });
    expect(global['fetch.wait.max.ms']).toBe(100);
    expect(global['security.protocol']).toBe('ssl');
    expect(topic['auto.offset.reset']).toBe('latest');
  });

  it('names a bad option', () => {
    expect(() => consumerConfig({ ...base, commitIntervalMs: -1 })).toThrow(
      /commitIntervalMs: -1 is not ≥ 0/,
    );
    expect(() => consumerConfig({ ...base, sessionTimeoutMs: 1.5 })).toThrow(
      /sessionTimeoutMs: 1.5 is not a positive integer/,
    );
  });
});
