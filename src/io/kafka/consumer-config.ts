import type { ConsumerGlobalConfig, ConsumerTopicConfig } from 'node-rdkafka';
import { type SaslCredentials, saslProperties } from './sasl-config.js';

/** The options of a group consumer that become librdkafka properties. */
export interface ConsumerSettings {
  /** Comma-separated `host:port` list (`KAFKA_BROKERS`). */
  readonly bootstrapServers: string;
  /** Consumer group: every worker of one deployment uses the same id. */
  readonly groupId: string;
  readonly clientId?: string;
  /**
   * librdkafka `fetch.wait.max.ms`: how long the broker may hold a fetch with no new data,
   * milliseconds; default 10 (librdkafka's 500 adds up to half a second of latency at low rates).
   */
  readonly fetchWaitMaxMs?: number;
  /**
   * librdkafka `fetch.queue.backoff.ms`; default 10. With librdkafka's 1000, a partition whose
   * local queue is over its threshold is not fetched again for a second, and batch consume
   * (`consume(n)`) stalls behind it (DESIGN.md §5).
   */
  readonly fetchQueueBackoffMs?: number;
  /**
   * Background commit of the stored offsets (librdkafka `enable.auto.commit` with
   * `auto.commit.interval.ms`), milliseconds; default 1 000. Only offsets of batches marked
   * done are ever stored, so this commits nothing unfinished. 0: commit only through `commit()`
   * (and on rebalance and close).
   */
  readonly commitIntervalMs?: number;
  /** Where a partition with no committed offset starts; default 'earliest' (read the backlog). */
  readonly startFrom?: 'earliest' | 'latest';
  /**
   * librdkafka `session.timeout.ms`; default 10 000 (librdkafka's is 45 000). How long a dead
   * member keeps its partitions. On librdkafka's mock cluster it also sets how long a join waits
   * after a member left or joined (session timeout - 1 s: a restarted worker joins after ~9 s), and
   * the longest a join that raced with a new topic appearing takes (48 s with 45 000).
   */
  readonly sessionTimeoutMs?: number;
  /** librdkafka `topic.metadata.refresh.interval.ms`: how soon a new member's topic is picked
   * up by a pattern subscription, milliseconds; default 5 000 (librdkafka's is 5 minutes). */
  readonly topicRefreshIntervalMs?: number;
  /** SASL authentication (a broker that requires it, issue 13); default none. */
  readonly sasl?: SaslCredentials;
  /** Further librdkafka properties, applied last. */
  readonly config?: Readonly<Record<string, string | number | boolean>>;
}

/** librdkafka's properties for a consumer, less the rebalance callback (the consumer's own). */
export interface ConsumerConfig {
  readonly global: ConsumerGlobalConfig;
  readonly topic: ConsumerTopicConfig;
}

/**
 * The librdkafka properties of a batch consumer (issue 4): offsets stored only by the caller
 * (`enable.auto.offset.store` off), partition-EOF events on (they tell when a partition is
 * caught up), short fetch waits, and eager assignors. Throws a `RangeError` naming a bad option.
 */
export function consumerConfig(options: ConsumerSettings): ConsumerConfig {
  const commitIntervalMs = options.commitIntervalMs ?? 1000;
  if (!Number.isFinite(commitIntervalMs) || commitIntervalMs < 0) {
    throw new RangeError(`Kafka consumer commitIntervalMs: ${commitIntervalMs} is not ≥ 0.`);
  }
  const sessionTimeoutMs = positiveInteger('sessionTimeoutMs', options.sessionTimeoutMs ?? 10_000);
  return {
    global: {
      'bootstrap.servers': options.bootstrapServers,
      'group.id': options.groupId,
      'client.id': options.clientId ?? 'tidewatch',
      'enable.auto.offset.store': false,
      'enable.auto.commit': commitIntervalMs > 0,
      ...(commitIntervalMs > 0 ? { 'auto.commit.interval.ms': commitIntervalMs } : {}),
      'enable.partition.eof': true,
      'fetch.wait.max.ms': options.fetchWaitMaxMs ?? 10,
      'fetch.queue.backoff.ms': options.fetchQueueBackoffMs ?? 10,
      'session.timeout.ms': sessionTimeoutMs,
      // Kafka's advice: at most a third of the session timeout.
      'heartbeat.interval.ms': Math.min(3000, Math.floor(sessionTimeoutMs / 3)),
      'topic.metadata.refresh.interval.ms': options.topicRefreshIntervalMs ?? 5000,
      // Eager assignors: a rebalance revokes everything, then assigns (see RebalanceHandOver).
      // A cooperative one would need incremental (un)assign.
      'partition.assignment.strategy': 'range,roundrobin',
      ...(options.sasl === undefined ? {} : saslProperties(options.sasl)),
      ...options.config,
    },
    topic: { 'auto.offset.reset': options.startFrom ?? 'earliest' },
  };
}

/** `value`, or a `RangeError` naming the consumer option when it is not a positive integer. */
export function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(`Kafka consumer ${name}: ${value} is not a positive integer.`);
  }
  return value;
}
