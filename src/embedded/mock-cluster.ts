import Kafka, { type Metadata, type Producer, type ProducerGlobalConfig } from 'node-rdkafka';
import { KafkaError } from '../io/kafka/kafka-error.js';
import { errorText } from '../util/error-text.js';

export interface MockClusterOptions {
  /** Brokers in the cluster (librdkafka `test.mock.num.brokers`); default 1. */
  readonly brokers?: number;
  /** How long the hosting client may take to come up, milliseconds; default 10 000. */
  readonly startTimeoutMs?: number;
}

/**
 * librdkafka's mock Kafka cluster, hosted in this process (DESIGN.md §5): a client created with
 * `test.mock.num.brokers` runs brokers that speak the real Kafka wire protocol on loopback TCP
 * ports, so producers and consumers in this or any other process use it through
 * `bootstrap.servers` like a real cluster. The cluster lives as long as its hosting client.
 *
 * What it does (librdkafka 2.12 `rdkafka_mock.c`): auto-creates topics with 4 partitions on first
 * produce or metadata request; keeps at most 5 MiB or 100 000 message sets per partition (older
 * ones are deleted: a consumer lagging further behind gets offset-out-of-range); supports consumer
 * groups and regex subscriptions, with a fixed 3 s initial-rebalance delay per group (so a group
 * join takes about 3 s); cannot create topics through the admin API.
 */
export class MockCluster {
  /** Comma-separated `host:port` of the brokers, for `bootstrap.servers` / `KAFKA_BROKERS`. */
  readonly bootstrapServers: string;
  private readonly host: Producer;
  private closing: Promise<void> | undefined;

  private constructor(host: Producer, bootstrapServers: string) {
    this.host = host;
    this.bootstrapServers = bootstrapServers;
  }

  static async start(options: MockClusterOptions = {}): Promise<MockCluster> {
    const brokers = options.brokers ?? 1;
    if (!Number.isInteger(brokers) || brokers < 1) {
      throw new RangeError(`Mock cluster brokers: ${brokers} is not a positive integer.`);
    }
    const timeoutMs = options.startTimeoutMs ?? 10_000;
    // `test.mock.num.brokers` is a hidden librdkafka property, absent from node-rdkafka's types.
    const config: ProducerGlobalConfig & { 'test.mock.num.brokers': number } = {
      'test.mock.num.brokers': brokers,
      'client.id': 'tidewatch-mock-cluster',
    };
    const host = new Kafka.Producer(config);
    try {
      const metadata = await new Promise<Metadata>((resolve, reject) => {
        host.connect({ timeout: timeoutMs }, (error, data) =>
          error ? reject(error) : resolve(data),
        );
      });
      const servers = metadata.brokers.map((broker) => `${broker.host}:${broker.port}`).join(',');
      if (metadata.brokers.length !== brokers) {
        throw new Error(`metadata lists ${metadata.brokers.length} of ${brokers} brokers`);
      }
      return new MockCluster(host, servers);
    } catch (error) {
      await disconnect(host);
      throw new KafkaError(
        'KAFKA_MOCK_CLUSTER',
        `Mock Kafka cluster did not start: ${errorText(error)}`,
        { cause: error },
      );
    }
  }

  /** Stops the brokers: clients still connected see their connections drop. Idempotent. */
  close(): Promise<void> {
    this.closing ??= disconnect(this.host);
    return this.closing;
  }
}

function disconnect(client: Producer): Promise<void> {
  // The hosting client never produces, so there is nothing to flush: a 0 ms flush, then close.
  return new Promise((resolve) => client.disconnect(0, () => resolve()));
}
