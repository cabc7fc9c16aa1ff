import type { Message } from 'node-rdkafka';
import type { AssignedPartition } from './consumer-assignment.js';

/** One partition's messages in a batch, in offset order. */
export interface PartitionBatch extends AssignedPartition {
  readonly messages: Message[];
}

/** What one `BatchConsumer.nextBatch()` returned. */
export interface ConsumedBatch {
  readonly id: number;
  /** The assignment this batch came from; after a rebalance, `markDone` ignores older batches. */
  readonly generation: number;
  readonly partitions: readonly PartitionBatch[];
  readonly messageCount: number;
}
