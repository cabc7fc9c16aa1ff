import type { ConsumedBatch } from '../io/kafka/batch-consumer.js';

/** A consumed batch and the Kafka append times of its messages (for the latency metric). */
export interface HeldBatch {
  readonly consumed: ConsumedBatch;
  readonly appendTimesMs: Float64Array;
}
