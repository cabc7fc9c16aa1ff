import type {
  AssignedPartition,
  BatchConsumer,
  RebalanceListener,
} from '../io/kafka/batch-consumer.js';
import type { Logger } from '../util/logger.js';
import type { BatchLedger } from './batch-ledger.js';
import type { CheckpointCoordinator } from './checkpoint-coordinator.js';
import type { FlushScheduler } from './flush-scheduler.js';
import type { HeldBatch } from './held-batch.js';
import type { PartitionInputs } from './partition-inputs.js';
import { holdUntil } from './release-policy.js';
import type { WatermarkSource } from './watermark-source.js';
import type { WorkerOutput } from './worker-output.js';

export interface PartitionHandOverOptions {
  readonly consumer: Pick<BatchConsumer, 'takeHandOver'>;
  readonly watermarks: WatermarkSource;
  readonly ledger: BatchLedger<HeldBatch>;
  readonly output: WorkerOutput;
  readonly checkpoints: CheckpointCoordinator;
  readonly flusher: FlushScheduler;
  readonly inputs: PartitionInputs;
  /** `watermark.futureToleranceSeconds` in milliseconds. */
  readonly futureToleranceMs: number;
  readonly log: Logger;
}

/**
 * The worker's side of a rebalance (the consumer group's `RebalanceListener`): a first
 * assignment may restore the group's state checkpoint and start from its offsets; assigned
 * partitions join the watermark; revoked ones are flushed so that the offsets of every batch
 * the core has released are in the commit that follows, then leave the watermark and the state.
 */
export class PartitionHandOver implements RebalanceListener {
  constructor(private readonly options: PartitionHandOverOptions) {}

  startOffsets(
    partitions: readonly AssignedPartition[],
  ): Promise<ReadonlyMap<string, number> | undefined> {
    return this.options.checkpoints.startOffsets(partitions);
  }

  onAssigned(partitions: readonly AssignedPartition[]): void {
    const { consumer, inputs, ledger, log, output, watermarks } = this.options;
    // A topic the pattern matches may name no member (`ais.raw.`): anyone able to create topics
    // could make one, so it must not stop the worker (issue 13). Its lines are dead letters.
    for (const topic of new Set(partitions.map((p) => p.topic))) {
      if (inputs.find(topic) === undefined) {
        log.warn({ topic }, 'topic names no member: its lines are rejected as no_member');
      }
    }
    const now = Date.now();
    for (const p of partitions) watermarks.assign(p.topic, p.partition, now);
    // Restored from a checkpoint: the input before its offsets is in the core (some of it still
    // queued). Those offsets are stored like a batch's once the core has released what it held
    // and a flush made it durable — also for a partition with nothing more to read.
    const handOver = consumer.takeHandOver();
    if (handOver !== undefined) {
      let progress = Number.NEGATIVE_INFINITY;
      for (const p of handOver.partitions) {
        progress = Math.max(progress, watermarks.progressTime(p.topic, p.partition));
      }
      const until = holdUntil(
        Math.max(...output.state.cores.map((core) => core.newestEventTime)),
        progress,
        this.options.futureToleranceMs,
      );
      ledger.add({ consumed: handOver, appendTimesMs: new Float64Array(0) }, until, now);
    }
    log.info(
      { partitions: partitions.map((p) => `${p.topic}[${p.partition}]`) },
      'partitions assigned',
    );
  }

  /**
   * Partitions are taken away (rebalance, close): flush so the offsets of every released batch
   * are stored in the commit that follows. Batches whose reports the core still holds are not:
   * the partitions' next owner reads them again (at least once).
   */
  async onRevoked(partitions: readonly AssignedPartition[]): Promise<void> {
    const { flusher, inputs, ledger, log, watermarks } = this.options;
    await flusher.flushAll();
    for (const p of partitions) {
      watermarks.revoke(p.topic, p.partition);
      inputs.forget(p.topic, p.partition);
    }
    log.info({ partitions: partitions.length, waiting: ledger.waitingCount }, 'partitions revoked');
  }
}
