import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { RejectReason } from '../ais/reject-reason.js';
import type { Alert } from '../detect/alert.js';
import type { Report } from '../fusion/report.js';
import type { VesselTrack } from '../fusion/vessel-track.js';
import {
  type AssignedPartition,
  BatchConsumer,
  type ConsumedBatch,
} from '../io/kafka/batch-consumer.js';
import { BatchProducer, KafkaDeliveryError } from '../io/kafka/batch-producer.js';
import { partitionKey } from '../io/kafka/partition-key.js';
import { memberOfRawTopic } from '../io/kafka/raw-topic.js';
import {
  type CheckpointHeader,
  type CheckpointPartition,
  CheckpointStore,
} from '../io/postgres/checkpoint-store.js';
import { HistorySink } from '../io/postgres/history-sink.js';
import { migrate } from '../io/postgres/migrator.js';
import type { PostgresLog } from '../io/postgres/postgres-log.js';
import { createPostgresPool, redactUrl, resolveDatabaseUrl } from '../io/postgres/postgres-pool.js';
import { alertMessage, encodeAlert } from '../io/protobuf/alert-codec.js';
import { FusedTrackEncoder } from '../io/protobuf/fused-track-encoder.js';
import { encodeRejectedLine } from '../io/protobuf/rejected-line-codec.js';
import { loadZoneIndex } from '../io/zone-files.js';
import { defaultDetectors } from '../pipeline/default-detectors.js';
import { type CoreStats, FusionCore } from '../pipeline/fusion-core.js';
import type { Logger } from '../util/logger.js';
import type { ZoneIndex } from '../zones/zone-index.js';
import { BatchLedger, type LedgerEntry } from './batch-ledger.js';
import { type DeadLetter, PartitionDecoder } from './partition-decoder.js';
import { PartitionWatermarks, type Watermark } from './partition-watermarks.js';
import { TrackThrottle } from './track-throttle.js';
import type { WorkerConfig } from './worker-config.js';
import {
  compressState,
  encodeWorkerState,
  restoreWorkerState,
  stateFingerprint,
  type WorkerState,
} from './worker-state.js';

/** What the worker reports to its metrics (src/metrics/worker-metrics.ts) as it goes. */
export interface WorkerEvents {
  messagesIn?(member: string, count: number): void;
  rejected?(member: string, reason: RejectReason): void;
  kafkaMessages?(count: number): void;
  alert?(alert: Alert): void;
  tracksPublished?(count: number): void;
  /** A batch's offsets were stored: seconds since it was consumed, and its messages' ages. */
  batchDone?(seconds: number, messageAgesSeconds: Float64Array): void;
  /** A state checkpoint was written (or failed): its size and the seconds taking it stalled the loop. */
  checkpoint?(result: 'saved' | 'failed' | 'skipped', bytes: number, seconds: number): void;
  /** What became of the checkpoint at the first assignment (see `StateRestoreResult`). */
  stateRestore?(result: StateRestoreResult): void;
}

/**
 * The first assignment after start: `restored` (state and offsets from the group's checkpoint),
 * `none` (no checkpoint), `mismatch` (another version, configuration or zones), `not_assigned`
 * (the checkpoint covers partitions another group member holds), `failed` (unreadable).
 */
export type StateRestoreResult = 'restored' | 'none' | 'mismatch' | 'not_assigned' | 'failed';

/** Counts of the core for metrics, since this process started (a restored core keeps its own). */
export type CoreCounts = Pick<CoreStats, 'reports' | 'duplicates' | 'late' | 'evictedVessels'>;

const NO_COUNTS: CoreCounts = { reports: 0, duplicates: 0, late: 0, evictedVessels: 0 };

/** The core's counts less `base`. */
function countsSince(stats: CoreStats, base: CoreCounts): CoreCounts {
  return {
    reports: stats.reports - base.reports,
    duplicates: stats.duplicates - base.duplicates,
    late: stats.late - base.late,
    evictedVessels: stats.evictedVessels - base.evictedVessels,
  };
}

/** Where a partition's input stands (the worker moves `offset` as it ingests). */
interface PartitionPosition extends CheckpointPartition {
  offset: number;
}

export interface WorkerOptions {
  readonly config: WorkerConfig;
  readonly log: Logger;
  readonly postgresLog: PostgresLog;
  readonly events?: WorkerEvents;
}

/** A consumed batch and the Kafka append times of its messages (for the latency metric). */
interface HeldBatch {
  readonly consumed: ConsumedBatch;
  readonly appendTimesMs: Float64Array;
}

/** A checkpoint in the making: the state's bytes and where each partition's input stands. */
interface TakenCheckpoint {
  readonly takenAt: number;
  readonly partitions: CheckpointPartition[];
  readonly releasedUntil: number;
  readonly state: Buffer;
  readonly seconds: number;
  readonly sequence: number;
}

/**
 * Until one is measured: seconds to take a checkpoint per track or queued report (measured on
 * the 2-core bench machine: 7–8 µs with the default detectors; taken higher to be safe).
 */
const DEFAULT_TAKE_SECONDS_PER_UNIT = 10e-6;

/** Unflushed history rows above which a flush starts without waiting for the interval. */
const FLUSH_ROWS = 50_000;
/**
 * Flushes running at once (the history sink writes two at once); the next starts when one ends,
 * with everything buffered meanwhile. The loop goes on reading meanwhile: the sinks' high-water
 * marks bound what it buffers.
 */
const MAX_FLUSHES_IN_FLIGHT = 2;

/**
 * The streaming worker (`tidewatch run`, DESIGN.md §1, issue 4): members' raw topics → decode →
 * the fusion core → `tracks.fused`, `alerts`, `ais.rejected` on Kafka and the history in
 * Postgres.
 *
 * Delivery is at least once. A batch's offsets are stored only when (1) the core has released
 * every report of it from its event-time queue (`BatchLedger`), and (2) a flush of the history
 * sink and the producer that started after that has completed. After a crash the batches not
 * stored are read again; history writes are idempotent, so no row is duplicated.
 *
 * Event time: each partition has its own progress; the core's watermark is the slowest active
 * partition's less `core.allowedLatenessSeconds` (`PartitionWatermarks`), so dedupe and timers
 * see the same order as `replay` on the same data.
 *
 * State hand-over: every `checkpoint.intervalSeconds`, at a flush, and when partitions are
 * revoked or the worker stops, the whole state (`WorkerState`: core, decoders, throttle) is
 * taken with the next offset of every partition it has read; it is written to Postgres
 * (`worker_checkpoints`) once that flush, and every flush before it, is durable — so every
 * output of that state is. At its first assignment a worker restores the group's checkpoint
 * and reads each of its partitions on from the checkpoint's offsets: its alerts, tracks and
 * counts are those of a worker that never stopped. Without a usable checkpoint it builds its
 * state from the committed offsets on (see `StateRestoreResult`).
 *
 * Backpressure (where the limits are):
 * - librdkafka prefetches into its own queue up to `queued.max.messages.kbytes` per partition;
 * - at most MAX_FLUSHES_IN_FLIGHT flushes run at once; the loop keeps decoding and fusing while
 *   they run (Postgres and the worker work side by side), and the next flush takes all of it;
 * - when the history sink holds `postgres.highWaterMarkRows` unwritten rows (Postgres slow or
 *   down) or the producer's local queue is full, every partition is paused until they drain.
 */
export class Worker {
  private readonly ledger = new BatchLedger<HeldBatch>();
  private readonly watermarks: PartitionWatermarks;
  private readonly flushes: Promise<boolean>[] = [];
  private state: WorkerState;
  /** Encodes `tracks.fused` messages with the current core's member names. */
  private trackEncoder: FusedTrackEncoder;
  private readonly fingerprint: string;
  /** Where each partition's input stands: the next offset after the last message ingested. */
  private readonly positions = new Map<string, PartitionPosition>();
  /** Bumped when the state changes (input ingested, event time moved). */
  private stateSequence = 0;
  /** `stateSequence` of the last checkpoint written. */
  private savedSequence = 0;
  private lastCheckpointAtMs = Date.now();
  /** Seconds a checkpoint took per unit of state (`stateUnits`), from the last one taken. */
  private takeSecondsPerUnit = DEFAULT_TAKE_SECONDS_PER_UNIT;
  private restoreChecked = false;
  private countsBase = NO_COUNTS;
  private readonly latenessMs: number;
  private readonly futureToleranceMs: number;
  private readonly maxReadAheadMs: number;
  /** Partitions the read-ahead limit paused at the last look. */
  private readAheadHeld: readonly { topic: string; partition: number }[] = [];
  private readonly events: WorkerEvents;
  private readonly log: Logger;
  private stopping = false;
  private running: Promise<void> | undefined;
  private paused = false;
  private lastFlushAtMs = 0;
  private lastLoopAtMs = Date.now();
  private lastWatermark: Watermark = { time: Number.NEGATIVE_INFINITY, allIdle: false };
  private flushFailing = false;
  private closed = false;
  private tracksPublished = 0;
  private deadLetters = 0;
  // Set once by `start` (the consumer needs the worker's rebalance hooks).
  private consumer!: BatchConsumer;

  private constructor(
    readonly config: WorkerConfig,
    readonly zones: ZoneIndex | undefined,
    private readonly output: WorkerOutput,
    private readonly producer: BatchProducer,
    private readonly pool: pg.Pool | undefined,
    private readonly sink: HistorySink | undefined,
    private readonly checkpoints: CheckpointStore | undefined,
    options: WorkerOptions,
  ) {
    this.events = options.events ?? {};
    this.log = options.log;
    this.watermarks = new PartitionWatermarks(config.watermark.idlePartitionSeconds * 1000);
    this.state = this.newState();
    this.trackEncoder = new FusedTrackEncoder(this.state.core.members, zones);
    this.fingerprint = stateFingerprint(this.state.core, zones);
    this.latenessMs = config.core.allowedLatenessSeconds * 1000;
    this.futureToleranceMs = config.watermark.futureToleranceSeconds * 1000;
    this.maxReadAheadMs = config.watermark.maxReadAheadSeconds * 1000;
  }

  /**
   * Connects everything (zones, producer, Postgres with migrations, consumer group) and returns
   * the worker, not yet consuming: call `run()`. What was opened is closed again on failure.
   */
  static async start(options: WorkerOptions): Promise<Worker> {
    const { config, log } = options;
    const zones = config.zones.length === 0 ? undefined : await loadZoneIndex(config.zones);
    const output = new WorkerOutput();
    const kafka = config.kafka;
    const producer = await BatchProducer.connect({
      bootstrapServers: kafka.brokers,
      clientId: `${kafka.clientId}-producer`,
      config: kafka.librdkafka,
      onClientError: (error) => log.warn({ err: error.message }, 'Kafka producer client error'),
    });
    let pool: pg.Pool | undefined;
    let worker: Worker | undefined;
    try {
      let sink: HistorySink | undefined;
      if (config.postgres.enabled) {
        const url = resolveDatabaseUrl(config.postgres.url);
        pool = createPostgresPool({ databaseUrl: url, log: options.postgresLog });
        if (config.postgres.migrate) {
          const result = await migrate(pool, {
            postgis: config.postgres.postgis,
            log: options.postgresLog,
          });
          log.info(
            { database: redactUrl(url), applied: result.applied, postgis: result.postgis },
            'Postgres schema ready',
          );
        }
        sink = new HistorySink(pool, {
          // The worker's core, whichever it is (a restored one replaces the first).
          members: { idsOf: (mask) => output.worker!.core.members.idsOf(mask) },
          zones,
          highWaterMarkRows: config.postgres.highWaterMarkRows,
          dedupeWindowMs: config.core.dedupeWindowSeconds * 1000,
          retry: { giveUpAfterMs: config.postgres.giveUpAfterMs },
          log: options.postgresLog,
        });
      }
      const checkpoints =
        pool !== undefined && config.checkpoint.enabled ? new CheckpointStore(pool) : undefined;
      worker = new Worker(config, zones, output, producer, pool, sink, checkpoints, options);
      output.worker = worker;
      worker.consumer = await BatchConsumer.connect({
        bootstrapServers: kafka.brokers,
        groupId: kafka.groupId,
        clientId: `${kafka.clientId}-consumer`,
        topics: kafka.members.size > 0 ? [...kafka.members.values()] : [kafka.rawTopicPattern],
        memberOf: (topic) => worker!.memberOf(topic),
        maxBatchMessages: kafka.maxBatchMessages,
        maxBatchBytes: kafka.maxBatchBytes,
        startFrom: kafka.startFrom,
        sessionTimeoutMs: kafka.sessionTimeoutMs,
        config: kafka.librdkafka,
        // Offsets are committed on every flush (`markDone`) and in the background.
        startOffsets: (partitions) => worker!.startOffsets(partitions),
        onAssigned: (partitions) => worker!.onAssigned(partitions),
        onRevoked: (partitions) => worker!.onRevoked(partitions),
        onClientError: (error) => log.warn({ err: error.message }, 'Kafka consumer client error'),
      });
      return worker;
    } catch (error) {
      await producer.close(1000).catch(() => {});
      await pool?.end().catch(() => {});
      throw error;
    }
  }

  /** The fusion core (a restored one replaces the first at the first assignment). */
  get core(): FusionCore {
    return this.state.core;
  }

  /** Core counts since this process started (a restored core's counts start from its own). */
  coreCounts(): CoreCounts {
    return countsSince(this.core.stats, this.countsBase);
  }

  /** Consumes until `stop()`; then flushes, commits and closes everything. */
  run(): Promise<void> {
    this.running ??= this.loop().finally(() => this.shutdown());
    return this.running;
  }

  /** Asks the loop to stop (SIGTERM/SIGINT); resolves when everything is flushed and closed. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.running === undefined) await this.shutdown();
    else await this.running;
  }

  /** The loop turned within the last minute (a stuck loop fails `/livez`). */
  get live(): boolean {
    return !this.closed && Date.now() - this.lastLoopAtMs < 60_000;
  }

  /** Ready: partitions assigned and the sinks writing (`/readyz`). */
  readiness(): { ready: boolean; reason?: string } {
    if (this.closed || this.stopping) return { ready: false, reason: 'stopping' };
    if (this.consumer.assignment().length === 0) {
      return { ready: false, reason: 'no partitions assigned yet' };
    }
    if (this.sink?.unavailable) return { ready: false, reason: 'Postgres unreachable (retrying)' };
    if (this.flushFailing) return { ready: false, reason: 'flushes failing (Postgres or Kafka)' };
    return { ready: true };
  }

  /** The global watermark (epoch ms, -Infinity before data). */
  get watermarkMs(): number {
    return this.lastWatermark.time;
  }

  /** Partitions paused for backpressure (the sinks are behind). */
  get pausedPartitions(): number {
    return this.paused ? this.consumer.assignment().length : 0;
  }

  /** Partitions paused for running more than `watermark.maxReadAheadSeconds` ahead. */
  get readAheadPausedPartitions(): number {
    return this.readAheadHeld.length;
  }

  /** The same, per member (the consumer-lag alert leaves out a member held back on purpose). */
  readAheadPausedByMember(): { member: string; partitions: number }[] {
    const counts = new Map<string, number>();
    for (const { topic } of this.readAheadHeld) {
      const member = this.memberOf(topic);
      counts.set(member, (counts.get(member) ?? 0) + 1);
    }
    return [...counts].map(([member, partitions]) => ({ member, partitions }));
  }

  /** Consumer lag per assigned partition, with its member. */
  consumerLag(): { member: string; messages: number }[] {
    return this.consumer.lag();
  }

  sinkQueueDepth(): { postgres: number; kafka: number } {
    return {
      postgres: this.sink?.bufferedRows ?? 0,
      kafka: this.producer.stats().heldMessages,
    };
  }

  get postgresRetries(): number {
    return this.sink?.stats.retries ?? 0;
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
      tracksPublished: this.tracksPublished,
      deadLetters: this.deadLetters,
      positionsWritten: this.sink?.stats.positionsWritten ?? 0,
      batchesWaiting: this.ledger.waitingCount,
    };
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      await this.applyBackpressure();
      if (this.stopping) break;
      const batch = await this.consumer.nextBatch();
      const now = Date.now();
      this.lastLoopAtMs = now;
      if (batch.messageCount > 0) this.ingest(batch, now);
      this.advance(now);
      this.limitReadAhead(now);
      if (this.shouldFlush(now)) this.startFlush(now);
    }
  }

  /** Decodes a batch into the core and records what must be released before it is done. */
  private ingest(batch: ConsumedBatch, now: number): void {
    let holdUntil = Number.NEGATIVE_INFINITY;
    const appendTimesMs = new Float64Array(batch.messageCount);
    let n = 0;
    for (const part of batch.partitions) {
      const decoder = this.decoderFor(part, now);
      let decoded = 0;
      for (const message of part.messages) {
        appendTimesMs[n++] = message.timestamp ?? Number.NaN;
        if (message.value === null || message.value === undefined) {
          // A record with no value (a tombstone) carries no line: still accounted for.
          this.deadLetter({
            member: part.member,
            reason: 'syntax',
            line: '',
            topic: part.topic,
            partition: part.partition,
            offset: message.offset,
            kafkaTimestamp: message.timestamp ?? Number.NaN,
          });
          continue;
        }
        decoded += decoder.decode(message.value, message.offset, message.timestamp);
      }
      this.positionOf(part).offset = part.messages.at(-1)!.offset + 1;
      this.events.messagesIn?.(part.member, decoded);
      const newest = decoder.takeNewestTime();
      const progress = this.watermarks.clock(part.topic, part.partition, now).progressTime;
      const hold = this.holdFor(newest, progress);
      if (hold > holdUntil) holdUntil = hold;
    }
    this.events.kafkaMessages?.(batch.messageCount);
    this.stateSequence++;
    this.ledger.add({ consumed: batch, appendTimesMs }, holdUntil, now);
  }

  /**
   * Until when a batch waits in the ledger: its newest report, but no further than its
   * partition's progress plus `watermark.futureToleranceSeconds` — a report stamped far ahead is
   * fused when the watermark gets there, without holding the batch's offsets for it.
   */
  private holdFor(newestReport: number, partitionProgress: number): number {
    return Math.min(newestReport, partitionProgress + this.futureToleranceMs);
  }

  /** Moves the core's watermark, publishes due tracks, releases finished batches. */
  private advance(now: number): void {
    const core = this.core;
    const released = core.releasedUntil;
    const watermark = this.watermarks.watermark(now, this.atEnd);
    this.lastWatermark = watermark;
    if (watermark.allIdle) {
      // Everything written so far has been read: fuse what the core holds, as `replay` does at
      // the end of its files (later reports for that time are fused at once, as late ones), but
      // leave queued a report stamped beyond the future tolerance: a bad clock must not fire
      // every timer hours ahead.
      if (
        Number.isFinite(watermark.time) &&
        (core.queuedReports > 0 || core.releasedUntil < watermark.time)
      ) {
        core.finish(watermark.time, watermark.time + this.futureToleranceMs);
      }
    } else if (Number.isFinite(watermark.time)) {
      core.advance(watermark.time - this.latenessMs);
    }
    if (core.releasedUntil !== released) this.stateSequence++;
    this.state.throttle.due(core.releasedUntil, this.publishTrack);
    this.ledger.release(core.releasedUntil);
  }

  /**
   * Pauses the partitions more than `watermark.maxReadAheadSeconds` ahead of the slowest, and
   * resumes them as it catches up: their reports would only wait in the core's queue for the
   * watermark, so Kafka keeps them instead of memory, and every partition's input reaches the
   * core (and the history) in step.
   */
  private limitReadAhead(now: number): void {
    const ahead = this.watermarks.ahead(this.maxReadAheadMs, this.lastWatermark, now);
    this.readAheadHeld = ahead;
    this.consumer.hold(ahead);
  }

  private readonly atEnd = (topic: string, partition: number): boolean =>
    this.consumer.atEnd(topic, partition);

  private shouldFlush(now: number): boolean {
    if (this.flushes.length >= MAX_FLUSHES_IN_FLIGHT) return false;
    const rows = this.sink?.bufferedRows ?? 0;
    if (this.ledger.releasedCount === 0 && rows === 0 && !this.checkpointDue(now)) return false;
    return rows >= FLUSH_ROWS || now - this.lastFlushAtMs >= this.config.output.flushIntervalMs;
  }

  /** A periodic checkpoint is due: the interval has passed and the state changed meanwhile. */
  private checkpointDue(now: number): boolean {
    const interval = this.config.checkpoint.intervalSeconds * 1000;
    return now - this.lastCheckpointAtMs >= interval && this.stateUnsaved();
  }

  /** Checkpoints are on and the state changed since the last one was taken. */
  private stateUnsaved(): boolean {
    return this.checkpoints !== undefined && this.stateSequence !== this.savedSequence;
  }

  /**
   * The decision, when a flush starts, to take a wanted checkpoint: only when it should hold the
   * loop at most `checkpoint.maxStallSeconds` (from the last one's rate per track and queued
   * report). Otherwise the checkpoint is skipped — counted, logged, judged again after the next
   * interval: a worker must not freeze for a minute, and the last checkpoint stays valid.
   */
  private decideCheckpoint(now: number): boolean {
    const expected = this.takeSecondsPerUnit * this.stateUnits();
    const budget = this.config.checkpoint.maxStallSeconds;
    if (expected <= budget) return true;
    this.lastCheckpointAtMs = now;
    this.events.checkpoint?.('skipped', 0, 0);
    this.log.warn(
      {
        expectedSeconds: Math.round(expected),
        maxStallSeconds: budget,
        vessels: this.core.tracks.size,
        queuedReports: this.core.queuedReports,
      },
      'state checkpoint skipped: taking it would hold the worker this long (raise checkpoint.maxStallSeconds, or lower core.allowedLatenessSeconds to hold fewer reports)',
    );
    return false;
  }

  /**
   * Flushes the sinks; when both are durable, stores the offsets of the batches released before
   * the flush started. A failed flush keeps its rows (HistorySink) and its batches (ledger).
   * With `checkpoint` (default: when one is due) the state is taken first and written once this
   * flush and every flush still running before it succeeded. Resolves to whether it succeeded.
   */
  private startFlush(
    now: number,
    checkpoint = this.checkpointDue(now) && this.decideCheckpoint(now),
  ): Promise<boolean> {
    this.lastFlushAtMs = now;
    const entries = this.ledger.takeReleased();
    const taken = checkpoint ? this.takeCheckpoint(now) : undefined;
    const earlier = [...this.flushes];
    const flush = Promise.all([this.sink?.flush(), this.producer.flush()]).then(
      () => {
        this.flushFailing = false;
        this.markDone(entries);
        return true;
      },
      (error: unknown) => {
        this.flushFailing = true;
        this.ledger.restore(entries);
        if (error instanceof KafkaDeliveryError) {
          // At least once: produce the undelivered outputs again; the next flush covers them.
          for (const failed of error.failed) {
            if (failed.value) this.producer.produce(failed.topic, failed.value, failed.key ?? null);
          }
        }
        this.log.warn(
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
            if (results.every(Boolean)) await this.saveCheckpoint(taken);
            else this.events.checkpoint?.('failed', 0, taken.seconds);
            return results.at(-1)!;
          });
    const tracked = written.finally(() => {
      this.flushes.splice(this.flushes.indexOf(tracked), 1);
    });
    this.flushes.push(tracked);
    return tracked;
  }

  /** Takes the state now (synchronously: nothing changes it meanwhile), or undefined on error. */
  private takeCheckpoint(now: number): TakenCheckpoint | undefined {
    this.lastCheckpointAtMs = now;
    const started = performance.now();
    try {
      const state = encodeWorkerState(this.state, this.output);
      const seconds = (performance.now() - started) / 1000;
      this.takeSecondsPerUnit = seconds / Math.max(1, this.stateUnits());
      return {
        takenAt: Date.now(),
        partitions: [...this.positions.values()].map((p) => ({ ...p })),
        releasedUntil: this.core.releasedUntil,
        state,
        seconds,
        sequence: this.stateSequence,
      };
    } catch (error) {
      this.log.error({ err: (error as Error).message }, 'state checkpoint could not be taken');
      this.events.checkpoint?.('failed', 0, (performance.now() - started) / 1000);
      return undefined;
    }
  }

  /** Writes a checkpoint whose outputs are all durable. Never rejects (the next one retries). */
  private async saveCheckpoint(taken: TakenCheckpoint): Promise<void> {
    let bytes = 0;
    try {
      const state = await compressState(taken.state);
      bytes = state.length;
      await this.checkpoints!.save({
        groupId: this.config.kafka.groupId,
        takenAt: taken.takenAt,
        fingerprint: this.fingerprint,
        partitions: taken.partitions,
        releasedUntil: taken.releasedUntil,
        state,
      });
      if (taken.sequence > this.savedSequence) this.savedSequence = taken.sequence;
      this.events.checkpoint?.('saved', bytes, taken.seconds);
      this.log.debug(
        { bytes, rawBytes: taken.state.length, seconds: taken.seconds },
        'state checkpoint written',
      );
    } catch (error) {
      this.events.checkpoint?.('failed', bytes, taken.seconds);
      this.log.warn({ err: (error as Error).message }, 'state checkpoint not written');
    }
  }

  /**
   * Before the first assignment starts fetching: restores the group's checkpoint when it can
   * (this worker has read nothing yet, the fingerprint matches, and every partition of the
   * checkpoint is in `assigned`), and returns the offsets to read its partitions on from.
   */
  private async startOffsets(
    assigned: readonly AssignedPartition[],
  ): Promise<ReadonlyMap<string, number> | undefined> {
    if (this.checkpoints === undefined || this.restoreChecked) return undefined;
    this.restoreChecked = true;
    if (this.core.stats.messages > 0 || this.state.decoders.size > 0) return undefined;
    const result = await this.restore(assigned);
    this.events.stateRestore?.(result);
    if (result !== 'restored') return undefined;
    return new Map([...this.positions].map(([key, p]) => [key, p.offset]));
  }

  private async restore(assigned: readonly AssignedPartition[]): Promise<StateRestoreResult> {
    const groupId = this.config.kafka.groupId;
    let checkpoint: CheckpointHeader | undefined;
    try {
      checkpoint = await this.checkpoints!.loadHeader(groupId);
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, 'state checkpoint not read: rebuilding');
      return 'failed';
    }
    if (checkpoint === undefined) {
      this.log.info({ groupId }, 'no state checkpoint: building the state from the input');
      return 'none';
    }
    const age = { takenAt: new Date(checkpoint.takenAt).toISOString() };
    if (checkpoint.fingerprint !== this.fingerprint) {
      this.log.warn(
        age,
        'state checkpoint not used: written by another version, configuration or zone set; building the state from the input',
      );
      return 'mismatch';
    }
    const keys = new Set(assigned.map((p) => partitionKey(p.topic, p.partition)));
    const elsewhere = checkpoint.partitions.filter(
      (p) => !keys.has(partitionKey(p.topic, p.partition)),
    );
    if (elsewhere.length > 0) {
      this.log.warn(
        { ...age, notAssigned: elsewhere.map((p) => `${p.topic}[${p.partition}]`) },
        'state checkpoint not used: it covers partitions another group member holds; building the state from the input',
      );
      return 'not_assigned';
    }
    const started = performance.now();
    const fresh = this.newState();
    const now = Date.now();
    try {
      // Only now the state itself (the header said it will be used).
      const state = await this.checkpoints!.loadState(checkpoint);
      if (state === undefined) throw new Error('replaced by a newer checkpoint while being read');
      for (const p of checkpoint.partitions) {
        fresh.decoders.set(partitionKey(p.topic, p.partition), this.newDecoder(p, now));
      }
      await restoreWorkerState(state, fresh, this.output);
    } catch (error) {
      this.log.error(
        { ...age, err: (error as Error).message },
        'state checkpoint could not be restored: building the state from the input',
      );
      return 'failed';
    }
    this.state = fresh;
    this.trackEncoder = new FusedTrackEncoder(fresh.core.members, this.zones);
    this.countsBase = countsSince(fresh.core.stats, NO_COUNTS);
    for (const p of checkpoint.partitions) {
      this.positions.set(partitionKey(p.topic, p.partition), { ...p });
    }
    this.log.info(
      {
        ...age,
        partitions: checkpoint.partitions.length,
        stateBytes: checkpoint.stateBytes,
        vessels: fresh.core.tracks.size,
        queuedReports: fresh.core.queuedReports,
        releasedUntil: Number.isFinite(checkpoint.releasedUntil)
          ? new Date(checkpoint.releasedUntil).toISOString()
          : undefined,
        seconds: Math.round(performance.now() - started) / 1000,
      },
      'state restored from checkpoint',
    );
    return 'restored';
  }

  private newState(): WorkerState {
    const core = new FusionCore(
      this.config.core,
      this.zones,
      this.output,
      defaultDetectors(this.config.core),
    );
    const throttle = new TrackThrottle(this.config.output.trackIntervalSeconds * 1000);
    return { core, throttle, decoders: new Map() };
  }

  private positionOf(part: AssignedPartition): PartitionPosition {
    const key = partitionKey(part.topic, part.partition);
    let position = this.positions.get(key);
    if (position === undefined) {
      position = { topic: part.topic, partition: part.partition, member: part.member, offset: 0 };
      this.positions.set(key, position);
    }
    return position;
  }

  private markDone(entries: readonly LedgerEntry<HeldBatch>[]): void {
    const now = Date.now();
    for (const entry of entries) {
      this.consumer.markDone(entry.batch.consumed);
      const ages = entry.batch.appendTimesMs;
      for (let i = 0; i < ages.length; i++) ages[i] = (now - ages[i]!) / 1000;
      this.events.batchDone?.((now - entry.consumedAtMs) / 1000, ages);
    }
  }

  /**
   * Pauses every partition while the history sink is over its high-water mark or the producer's
   * queue is full; resumes when they drained. While paused, keeps a flush running and waits for
   * it, for room in the producer's queue, or 200 ms.
   */
  private async applyBackpressure(): Promise<void> {
    const overloaded = (this.sink?.full ?? false) || !this.producer.writable;
    if (overloaded && !this.paused) {
      this.consumer.pause();
      this.paused = true;
      this.log.warn(this.sinkQueueDepth(), 'sinks behind: input paused');
    } else if (!overloaded && this.paused) {
      this.consumer.resume();
      this.watermarks.resumed(Date.now());
      this.paused = false;
      this.log.info(this.sinkQueueDepth(), 'sinks drained: input resumed');
    }
    if (!overloaded) return;
    // Keep flushing while paused (Postgres back, the broker taking messages again).
    if (this.flushes.length === 0) this.startFlush(Date.now());
    await Promise.race([this.flushes[0], this.producer.whenWritable(), sleep(200)]);
  }

  private decoderFor(part: AssignedPartition, now: number): PartitionDecoder {
    const id = partitionKey(part.topic, part.partition);
    const decoders = this.state.decoders;
    let decoder = decoders.get(id);
    if (decoder === undefined) {
      decoder = this.newDecoder(part, now);
      decoders.set(id, decoder);
    }
    return decoder;
  }

  private newDecoder(part: AssignedPartition, now: number): PartitionDecoder {
    return new PartitionDecoder(
      part.member,
      part.topic,
      part.partition,
      this.watermarks.clock(part.topic, part.partition, now),
      (m, member, station) => this.core.ingest(m, member, station),
      this.deadLetter,
    );
  }

  private readonly deadLetter = (letter: DeadLetter): void => {
    this.deadLetters++;
    this.events.rejected?.(letter.member, letter.reason);
    const topic = this.config.kafka.topics.rejected;
    if (topic === '') return;
    this.producer.produce(topic, encodeRejectedLine(letter), letter.member);
  };

  /** `CoreOutput.alert`: on `alerts` at once, keyed by id (revisions reuse it), and to history. */
  onAlert(alert: Alert): void {
    this.producer.produce(
      this.config.kafka.topics.alerts,
      encodeAlert(alertMessage(alert)),
      alert.id,
    );
    this.sink?.addAlert(alert);
    this.events.alert?.(alert);
  }

  onTrack(track: VesselTrack): void {
    if (this.state.throttle.offer(track)) this.publishTrack(track);
  }

  onReport(report: Report, track: VesselTrack): void {
    this.sink?.addReport(report, track);
  }

  onEvicted(track: VesselTrack): void {
    this.state.throttle.forget(track.mmsi);
  }

  private readonly publishTrack = (track: VesselTrack): void => {
    this.producer.produce(
      this.config.kafka.topics.fused,
      this.trackEncoder.encode(track),
      String(track.mmsi),
    );
    this.tracksPublished++;
    this.events.tracksPublished?.(1);
  };

  private memberOf(topic: string): string {
    for (const [member, memberTopic] of this.config.kafka.members) {
      if (memberTopic === topic) return member;
    }
    return memberOfRawTopic(topic, this.config.kafka.rawTopicPrefix);
  }

  private onAssigned(partitions: readonly AssignedPartition[]): void {
    const now = Date.now();
    for (const p of partitions) this.watermarks.assign(p.topic, p.partition, now);
    // Restored from a checkpoint: the input before its offsets is in the core (some of it still
    // queued). Those offsets are stored like a batch's once the core has released what it held
    // and a flush made it durable — also for a partition with nothing more to read.
    const handOver = this.consumer.takeHandOver();
    if (handOver !== undefined) {
      let progress = Number.NEGATIVE_INFINITY;
      for (const p of handOver.partitions) {
        progress = Math.max(progress, this.watermarks.progressTime(p.topic, p.partition));
      }
      const holdUntil = this.holdFor(this.core.newestEventTime, progress);
      this.ledger.add({ consumed: handOver, appendTimesMs: new Float64Array(0) }, holdUntil, now);
    }
    this.log.info(
      { partitions: partitions.map((p) => `${p.topic}[${p.partition}]`) },
      'partitions assigned',
    );
  }

  /**
   * Partitions are taken away (rebalance, close): flush so the offsets of every released batch
   * are stored in the commit that follows. Batches whose reports the core still holds are not:
   * the partitions' next owner reads them again (at least once).
   */
  private async onRevoked(partitions: readonly AssignedPartition[]): Promise<void> {
    await this.flushAll();
    for (const p of partitions) {
      this.watermarks.revoke(p.topic, p.partition);
      this.state.decoders.delete(partitionKey(p.topic, p.partition));
    }
    this.log.info(
      { partitions: partitions.length, waiting: this.ledger.waitingCount },
      'partitions revoked',
    );
  }

  /**
   * Waits for running flushes, then flushes what is left once more, with a checkpoint of the
   * state if it changed since the last one (partitions leaving, or the worker stopping: the next
   * owner starts from exactly here) when taking it fits `checkpoint.maxStallSeconds`.
   */
  private async flushAll(): Promise<void> {
    await Promise.all(this.flushes);
    const now = Date.now();
    await this.startFlush(now, this.stateUnsaved() && this.decideCheckpoint(now));
  }

  /** The size of the state for the checkpoint cost: tracks and the reports held. */
  private stateUnits(): number {
    return this.core.tracks.size + this.core.queuedReports;
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
    await attempt(() => this.flushAll());
    // Runs onRevoked (one more flush) and commits the stored offsets.
    await attempt(() => this.consumer.close());
    await attempt(() => this.producer.close());
    await attempt(async () => this.pool?.end());
    this.closed = true;
    this.log.info(this.summary(), 'worker stopped');
    if (errors.length > 0) throw errors[0];
  }
}

/** The core's output, bound to the worker once it exists (the core is built first). */
class WorkerOutput {
  worker: Worker | undefined;

  alert(alert: Alert): void {
    this.worker!.onAlert(alert);
  }

  track(track: VesselTrack): void {
    this.worker!.onTrack(track);
  }

  report(report: Report, track: VesselTrack): void {
    this.worker!.onReport(report, track);
  }

  evicted(track: VesselTrack): void {
    this.worker!.onEvicted(track);
  }
}
