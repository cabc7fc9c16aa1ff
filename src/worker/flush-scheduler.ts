import type { BatchConsumer } from '../io/kafka/batch-consumer.js';
import { type BatchProducer, KafkaDeliveryError } from '../io/kafka/batch-producer.js';
import type { HistorySink } from '../io/postgres/history-sink.js';
import type { Logger } from '../util/logger.js';
import type { BatchLedger, LedgerEntry } from './batch-ledger.js';
import type { CheckpointCoordinator } from './checkpoint-coordinator.js';
import { shouldFlush } from './flush-policy.js';
import type { HeldBatch } from './held-batch.js';
import type { WorkerEvents } from './worker-events.js';

export interface FlushSchedulerOptions {
  readonly ledger: BatchLedger<HeldBatch>;
  readonly history: HistorySink | undefined;
  readonly producer: BatchProducer;
  /** Stores the offsets of the batches a flush made durable. */
  readonly consumer: Pick<BatchConsumer, 'markDone'>;
  readonly checkpoints: CheckpointCoordinator;
  /** `output.flushIntervalMs`. */
  readonly flushIntervalMs: number;
  readonly events: WorkerEvents;
  readonly log: Logger;
}

/**
 * Flushes and offset commits (issue 4, at least once). A flush makes the history sink and the
 * producer durable; then the offsets of the batches the core had released before it started
 * are stored (`BatchLedger`, `BatchConsumer.markDone`), and librdkafka commits them. A failed
 * flush keeps its rows (HistorySink) and hands its batches back to the ledger for the next one;
 * outputs the broker did not take are produced again. A checkpoint taken at a flush is written
 * once that flush and every flush still running before it succeeded.
 */
export class FlushScheduler {
  private readonly flushes: Promise<boolean>[] = [];
  private lastFlushAtMs = 0;
  private failing = false;

  constructor(private readonly options: FlushSchedulerOptions) {}

  /** The last flush failed (Postgres or Kafka): `/readyz` says so. */
  get flushFailing(): boolean {
    return this.failing;
  }

  /** Whether the loop starts a flush now (see `shouldFlush`). */
  due(nowMs: number): boolean {
    return shouldFlush({
      flushesInFlight: this.flushes.length,
      bufferedRows: this.options.history?.bufferedRows ?? 0,
      releasedBatches: this.options.ledger.releasedCount,
      checkpointDue: this.options.checkpoints.due(nowMs),
      sinceLastFlushMs: nowMs - this.lastFlushAtMs,
      flushIntervalMs: this.options.flushIntervalMs,
    });
  }

  /**
   * Flushes the sinks; when both are durable, stores the offsets of the batches released before
   * the flush started. With `checkpoint` (default: when a periodic one is wanted) the state is
   * taken first. Resolves to whether the flush succeeded.
   */
  start(
    nowMs: number,
    checkpoint = this.options.checkpoints.wanted(nowMs, false),
  ): Promise<boolean> {
    const { checkpoints, history, ledger, log, producer } = this.options;
    this.lastFlushAtMs = nowMs;
    const entries = ledger.takeReleased();
    const taken = checkpoint ? checkpoints.take(nowMs) : undefined;
    const earlier = [...this.flushes];
    const flush = Promise.all([history?.flush(), producer.flush()]).then(
      () => {
        this.failing = false;
        this.markDone(entries);
        return true;
      },
      (error: unknown) => {
        this.failing = true;
        ledger.restore(entries);
        if (error instanceof KafkaDeliveryError) {
          // At least once: produce the undelivered outputs again; the next flush covers them.
          for (const failed of error.failed) {
            if (failed.value) producer.produce(failed.topic, failed.value, failed.key ?? null);
          }
        }
        log.warn(
          { err: (error as Error).message, batches: entries.length },
          'flush failed; the batches stay unacknowledged and are retried',
        );
        return false;
      },
    );
    const written =
      taken === undefined
        ? flush
        : Promise.all([...earlier, flush]).then(async (results) => {
            if (results.every(Boolean)) await checkpoints.save(taken);
            else checkpoints.abandon(taken);
            return results.at(-1)!;
          });
    const tracked = written.finally(() => {
      this.flushes.splice(this.flushes.indexOf(tracked), 1);
    });
    this.flushes.push(tracked);
    return tracked;
  }

  /**
   * Waits for running flushes, then flushes what is left once more, with a checkpoint of the
   * state if it changed since the last one (partitions leaving, or the worker stopping: the next
   * owner starts from exactly here) when taking it fits `checkpoint.maxStallSeconds`.
   */
  async flushAll(): Promise<void> {
    await Promise.all(this.flushes);
    const now = Date.now();
    await this.start(now, this.options.checkpoints.wanted(now, true));
  }

  /** The oldest flush running, starting one if none is (paused input keeps flushing). */
  oldest(nowMs: number): Promise<boolean> {
    if (this.flushes.length === 0) this.start(nowMs);
    return this.flushes[0]!;
  }

  private markDone(entries: readonly LedgerEntry<HeldBatch>[]): void {
    const now = Date.now();
    for (const entry of entries) {
      this.options.consumer.markDone(entry.batch.consumed);
      const ages = entry.batch.appendTimesMs;
      for (let i = 0; i < ages.length; i++) ages[i] = (now - ages[i]!) / 1000;
      this.options.events.batchDone?.((now - entry.consumedAtMs) / 1000, ages);
    }
  }
}
