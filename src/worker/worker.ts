import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { BatchConsumer, ConsumedBatch } from '../io/kafka/batch-consumer.js';
import type { BatchProducer } from '../io/kafka/batch-producer.js';
import type { FusionCore } from '../pipeline/fusion-core.js';
import type { Logger } from '../util/logger.js';
import { backpressureChange, overloaded } from './backpressure.js';
import type { BatchLedger } from './batch-ledger.js';
import type { CheckpointCoordinator } from './checkpoint-coordinator.js';
import type { CoreCounts } from './core-counts.js';
import type { FlushScheduler } from './flush-scheduler.js';
import type { HeldBatch } from './held-batch.js';
import type { PartitionInputs } from './partition-inputs.js';
import { holdUntil, releaseStep } from './release-policy.js';
import type { Watermark, WatermarkSource } from './watermark-source.js';
import type { WorkerConfig } from './worker-config.js';
import type { WorkerEvents } from './worker-events.js';
import type { WorkerOutput } from './worker-output.js';
import { stateDeliveredUntil, stateReleasedUntil } from './worker-state.js';

/** The connected parts a worker runs with (`connectWorker` builds them). */
export interface WorkerParts {
  readonly config: WorkerConfig;
  readonly consumer: BatchConsumer;
  readonly producer: BatchProducer;
  /** The history database's pool; undefined without Postgres. */
  readonly pool: pg.Pool | undefined;
  readonly output: WorkerOutput;
  readonly watermarks: WatermarkSource;
  readonly ledger: BatchLedger<HeldBatch>;
  readonly checkpoints: CheckpointCoordinator;
  readonly flusher: FlushScheduler;
  /** What is read: members' raw topics, or the internal topic of a scaled deployment. */
  readonly inputs: PartitionInputs;
  /**
   * The decode stage that feeds this worker's internal topic in a scaled deployment
   * (docs/scale-out.md): run beside the loop, stopped before it (it shares the producer).
   */
  readonly upstream?: { run(): Promise<void>; stop(): Promise<void> } | undefined;
  readonly events: WorkerEvents;
  readonly log: Logger;
}

/**
 * The streaming worker (`tidewatch run`, DESIGN.md §1, issue 4): members' raw topics → decode →
 * the fusion core → `tracks.fused`, `alerts`, `ais.rejected` on Kafka and the history in
 * Postgres (`WorkerOutput`). This is the loop; `connectWorker` builds it.
 *
 * Delivery is at least once. A batch's offsets are stored only when (1) the core has released
 * every report of it from its event-time queue (`BatchLedger`), and (2) a flush of the history
 * sink and the producer that started after that has completed (`FlushScheduler`). After a crash
 * the batches not stored are read again; history writes are idempotent, so no row is duplicated.
 * State checkpoints ride on flushes and rebalances (`CheckpointCoordinator`, `PartitionHandOver`).
 *
 * Event time: each partition has its own progress; the core's watermark is the slowest active
 * partition's less `core.allowedLatenessSeconds` (`PartitionWatermarks`, `releaseStep`), so
 * dedupe and timers see the same order as `replay` on the same data.
 *
 * Backpressure (where the limits are):
 * - librdkafka prefetches into its own queue up to `queued.max.messages.kbytes` per partition;
 * - a partition more than `watermark.maxReadAheadSeconds` ahead of the watermark is held;
 * - at most MAX_FLUSHES_IN_FLIGHT flushes run at once; the loop keeps decoding and fusing while
 *   they run (Postgres and the worker work side by side), and the next flush takes all of it;
 * - when the history sink holds `postgres.highWaterMarkRows` unwritten rows (Postgres slow or
 *   down) or the producer's local queue is full, every partition is paused until they drain.
 */
export class Worker {
  readonly config: WorkerConfig;
  private readonly parts: WorkerParts;
  private readonly latenessMs: number;
  private readonly futureToleranceMs: number;
  private readonly maxReadAheadMs: number;
  /** Partitions the read-ahead limit paused at the last look. */
  private readAheadHeld: readonly { topic: string; partition: number }[] = [];
  private lastWatermark: Watermark = { time: Number.NEGATIVE_INFINITY, allIdle: false };
  private lastLoopAtMs = Date.now();
  private paused = false;
  private stopping = false;
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(parts: WorkerParts) {
    this.parts = parts;
    this.config = parts.config;
    this.latenessMs = parts.config.core.allowedLatenessSeconds * 1000;
    this.futureToleranceMs = parts.config.watermark.futureToleranceSeconds * 1000;
    this.maxReadAheadMs = parts.config.watermark.maxReadAheadSeconds * 1000;
  }

  /**
   * The fusion core — with a coalition, the first picture's (`cores` has them all). A restored
   * state replaces the first at the first assignment.
   */
  get core(): FusionCore {
    return this.parts.output.state.cores[0]!;
  }

  /** The coalition's member ids (each has its own topics), empty without a coalition. */
  get coalitionMembers(): readonly string[] {
    return this.parts.output.state.pictures?.coalition.members.map((m) => m.id) ?? [];
  }

  /** The coalition policy version every output carries; undefined without a coalition. */
  get policyVersion(): string | undefined {
    return this.parts.output.policyVersion;
  }

  /** Every core of the current state: one per distinct picture of the coalition, or one. */
  get cores(): readonly FusionCore[] {
    return this.parts.output.state.cores;
  }

  /** Vessels held in memory, summed over the coalition's pictures (each keeps its own tracks). */
  liveVessels(): number {
    let vessels = 0;
    for (const core of this.cores) vessels += core.tracks.size;
    return vessels;
  }

  /** Reports waiting for the watermark, summed over the pictures (each holds what it sees). */
  heldReports(): number {
    let held = 0;
    for (const core of this.cores) held += core.queuedReports;
    return held;
  }

  /** Detectors' own counts since this process started (WorkerOutput.detectorEvents). */
  detectorEvents(): { detector: string; event: string; count: number }[] {
    return this.parts.output.detectorEvents();
  }

  /** Core counts since this process started (a restored core's counts start from its own). */
  coreCounts(): CoreCounts {
    return this.parts.output.coreCounts();
  }

  /** Consumes until `stop()`; then flushes, commits and closes everything. */
  run(): Promise<void> {
    if (this.running !== undefined) return this.running;
    // A failed decode stage stops the worker; its error is thrown by its `stop()` in `shutdown`.
    this.parts.upstream?.run().catch(() => {
      this.stopping = true;
    });
    this.running = this.loop().finally(() => this.shutdown());
    return this.running;
  }

  /** Asks the loop to stop (SIGTERM/SIGINT); resolves when everything is flushed and closed. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.running === undefined) await this.shutdown();
    else await this.running;
  }

  private async loop(): Promise<void> {
    const { consumer, flusher } = this.parts;
    while (!this.stopping) {
      await this.applyBackpressure();
      if (this.stopping) break;
      const batch = await consumer.nextBatch();
      const now = Date.now();
      this.lastLoopAtMs = now;
      if (batch.messageCount > 0) this.ingest(batch, now);
      this.advance(now);
      this.limitReadAhead(now);
      if (flusher.due(now)) flusher.start(now);
    }
  }

  /** Decodes a batch into the core and records what must be released before it is done. */
  private ingest(batch: ConsumedBatch, now: number): void {
    const { checkpoints, events, inputs, ledger, watermarks } = this.parts;
    let until = Number.NEGATIVE_INFINITY;
    const appendTimesMs = new Float64Array(batch.messageCount);
    let n = 0;
    for (const part of batch.partitions) {
      // NO_MEMBER for a topic that names none: its decoder dead-letters every line.
      const member = inputs.labelOf(part.topic);
      const decoder = inputs.inputFor(part.topic, part.partition, member, now);
      let decoded = 0;
      for (const message of part.messages) {
        appendTimesMs[n++] = message.timestamp ?? Number.NaN;
        decoded += decoder.decode(message.value, message.offset, message.timestamp);
      }
      const next = part.messages.at(-1)!.offset + 1;
      checkpoints.noteInput(part.topic, part.partition, member, next);
      if (inputs.countsMessages) events.messagesIn?.(member, decoded);
      const newest = decoder.takeNewestTime();
      const progress = watermarks.received(part.topic, part.partition, now);
      const hold = holdUntil(newest, progress, this.futureToleranceMs);
      if (hold > until) until = hold;
    }
    events.kafkaMessages?.(batch.messageCount);
    checkpoints.stateChanged();
    ledger.add({ consumed: batch, appendTimesMs }, until, now);
  }

  /**
   * Moves the cores' watermark, publishes due tracks, releases finished batches. Every core (a
   * coalition's pictures) moves on the one watermark of every partition; a batch is released
   * when the slowest core has released its reports.
   */
  private advance(now: number): void {
    const { checkpoints, ledger, output, watermarks } = this.parts;
    const state = output.state;
    const released = stateReleasedUntil(state);
    const watermark = watermarks.watermark(now, this.atEnd);
    this.lastWatermark = watermark;
    for (const core of state.cores) {
      const step = releaseStep(watermark, core, this.latenessMs, this.futureToleranceMs);
      if (step.kind === 'finish') core.finish(step.until, step.limit);
      else if (step.kind === 'advance') core.advance(step.until);
    }
    const releasedNow = stateReleasedUntil(state);
    if (releasedNow !== released) checkpoints.stateChanged();
    output.publishDue();
    // Input paused: a vessel's last message must not wait for a report that is not coming.
    if (watermark.allIdle) output.publishWaiting();
    ledger.release(stateDeliveredUntil(state));
  }

  /**
   * Pauses the partitions more than `watermark.maxReadAheadSeconds` ahead of the slowest, and
   * resumes them as it catches up: their reports would only wait in the core's queue for the
   * watermark, so Kafka keeps them instead of memory, and every partition's input reaches the
   * core (and the history) in step.
   */
  private limitReadAhead(now: number): void {
    const ahead = this.parts.watermarks.ahead(this.maxReadAheadMs, this.lastWatermark, now);
    this.readAheadHeld = ahead;
    this.parts.consumer.hold(ahead);
  }

  /**
   * Pauses every partition while the history sink is over its high-water mark or the producer's
   * queue is full; resumes when they drained. While paused, keeps a flush running and waits for
   * it, for room in the producer's queue, or 200 ms.
   */
  private readonly atEnd = (topic: string, partition: number): boolean =>
    this.parts.consumer.atEnd(topic, partition);

  private async applyBackpressure(): Promise<void> {
    const { consumer, flusher, log, output, producer, watermarks } = this.parts;
    const behind = overloaded({
      historyFull: output.history?.full ?? false,
      producerWritable: producer.writable,
    });
    const change = backpressureChange(behind, this.paused);
    if (change === 'pause') {
      consumer.pause();
      this.paused = true;
      log.warn(this.sinkQueueDepth(), 'sinks behind: input paused');
    } else if (change === 'resume') {
      consumer.resume();
      watermarks.resumed(Date.now());
      this.paused = false;
      log.info(this.sinkQueueDepth(), 'sinks drained: input resumed');
    }
    if (!behind) return;
    // Keep flushing while paused (Postgres back, the broker taking messages again).
    await Promise.race([flusher.oldest(Date.now()), producer.whenWritable(), sleep(200)]);
  }

  private async shutdown(): Promise<void> {
    if (this.closed) return;
    this.stopping = true;
    const errors: unknown[] = [];
    const attempt = async (step: () => Promise<unknown>): Promise<void> => {
      try {
        await step();
      } catch (error) {
        errors.push(error);
      }
    };
    // The decode stage first: what it produced is delivered before the shared producer closes.
    await attempt(async () => this.parts.upstream?.stop());
    await attempt(() => this.parts.flusher.flushAll());
    // Runs onRevoked (one more flush) and commits the stored offsets.
    await attempt(() => this.parts.consumer.close());
    await attempt(() => this.parts.producer.close());
    await attempt(async () => this.parts.pool?.end());
    this.closed = true;
    this.parts.log.info(this.summary(), 'worker stopped');
    if (errors.length > 0) throw errors[0];
  }

  // What the metrics, `/livez` and `/readyz` read (src/worker/worker-service.ts).

  /** The loop turned within the last minute (a stuck loop fails `/livez`). */
  get live(): boolean {
    return !this.closed && Date.now() - this.lastLoopAtMs < 60_000;
  }

  /** Ready: partitions assigned and the sinks writing (`/readyz`). */
  readiness(): { ready: boolean; reason?: string } {
    if (this.closed || this.stopping) return { ready: false, reason: 'stopping' };
    if (this.parts.consumer.assignment().length === 0) {
      return { ready: false, reason: 'no partitions assigned yet' };
    }
    if (this.parts.output.history?.unavailable) {
      return { ready: false, reason: 'Postgres unreachable (retrying)' };
    }
    if (this.parts.flusher.flushFailing) {
      return { ready: false, reason: 'flushes failing (Postgres or Kafka)' };
    }
    return { ready: true };
  }

  /** The global watermark (epoch ms, -Infinity before data). */
  get watermarkMs(): number {
    return this.lastWatermark.time;
  }

  /** Partitions paused for backpressure (the sinks are behind). */
  get pausedPartitions(): number {
    return this.paused ? this.parts.consumer.assignment().length : 0;
  }

  /** Partitions paused for running more than `watermark.maxReadAheadSeconds` ahead. */
  get readAheadPausedPartitions(): number {
    return this.readAheadHeld.length;
  }

  /** The same, per member (the consumer-lag alert leaves out a member held back on purpose). */
  readAheadPausedByMember(): { member: string; partitions: number }[] {
    const counts = new Map<string, number>();
    for (const { topic } of this.readAheadHeld) {
      const member = this.parts.inputs.labelOf(topic);
      counts.set(member, (counts.get(member) ?? 0) + 1);
    }
    return [...counts].map(([member, partitions]) => ({ member, partitions }));
  }

  /** Consumer lag per assigned partition, with its member. */
  consumerLag(): { member: string; messages: number }[] {
    return this.parts.consumer.lag().map((lag) => ({
      member: this.parts.inputs.labelOf(lag.topic),
      messages: lag.messages,
    }));
  }

  sinkQueueDepth(): { postgres: number; kafka: number } {
    return {
      postgres: this.parts.output.history?.bufferedRows ?? 0,
      kafka: this.parts.producer.stats().heldMessages,
    };
  }

  get postgresRetries(): number {
    return this.parts.output.history?.stats.retries ?? 0;
  }

  /** Counts for logs and the start-up banner. */
  summary(): Record<string, number> {
    const core = this.core.stats;
    return {
      messages: core.messages,
      reports: core.reports,
      duplicates: core.duplicates,
      late: core.late,
      vessels: this.core.tracks.size,
      alerts: [...this.core.alerts.raised.values()].reduce((a, b) => a + b, 0),
      pictures: this.cores.length,
      tracksPublished: this.parts.output.tracksPublished,
      deadLetters: this.parts.output.deadLetters,
      positionsWritten: this.parts.output.history?.stats.positionsWritten ?? 0,
      batchesWaiting: this.parts.ledger.waitingCount,
    };
  }
}
