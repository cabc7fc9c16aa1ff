import { CodedError } from '../../util/coded-error.js';
/**
 * Why the Kafka adapter gave up. One fixed list (like undici's `UND_ERR_*` and platformatic's
 * `PLT_KFK_*`), so the worker can branch on it and use it as a metric label.
 */
export const KAFKA_ERROR_CODES = [
  /** A client could not connect to the bootstrap servers within its connect timeout. */
  'KAFKA_CONNECT_FAILED',
  /** librdkafka refused a message outright (too large, bad topic name, ...): nothing was queued. */
  'KAFKA_PRODUCE_REJECTED',
  /** Messages were queued but the broker never took them (after librdkafka's own retries). */
  'KAFKA_DELIVERY_FAILED',
  /** `flush` ran out of time; the messages are still queued, none was dropped. */
  'KAFKA_FLUSH_TIMEOUT',
  /** A consume call failed with an error librdkafka does not recover from by itself. */
  'KAFKA_CONSUME_FAILED',
  /** A metadata request (a topic's partitions) got no answer or no partitions. */
  'KAFKA_METADATA_FAILED',
  /** The group coordinator refused an offset commit. */
  'KAFKA_COMMIT_FAILED',
  /** A topic name that does not follow the raw-feed naming (`ais.raw.<member>`). */
  'KAFKA_BAD_TOPIC',
  /** The client was used after `close()`, or a second `nextBatch()` while one is running. */
  'KAFKA_CLIENT_STATE',
  /** The mock cluster (librdkafka `test.mock.num.brokers`) did not start or its process died. */
  'KAFKA_MOCK_CLUSTER',
] as const;

export type KafkaErrorCode = (typeof KAFKA_ERROR_CODES)[number];

/** An error of the Kafka adapter, with a fixed code and the librdkafka error as `cause`. */
export class KafkaError extends CodedError<KafkaErrorCode> {
  override readonly name = 'KafkaError';
}

/** librdkafka's numeric error code of a node-rdkafka error (`LibrdKafkaError.code`), if any. */
export function librdkafkaCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}
