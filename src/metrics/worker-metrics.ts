import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * What the worker knows at scrape time. Read inside prom-client `collect()` callbacks, so the
 * hot path keeps plain numbers and pays nothing until Prometheus asks. Cumulative values may
 * start again from zero (a new fusion core after an in-process restart); the counters fed from
 * them never go down.
 */
export interface WorkerMetricsSource {
  /** Cumulative counts of the fusion core since it was created (CoreStats in fusion-core.ts). */
  coreCounts(): { reportsFused: number; duplicates: number; late: number; evictedVessels: number };
  /**
   * Detectors' own cumulative counts (e.g. dark_gap coverage_unknown, withdrawn), one entry per
   * detector and event.
   */
  detectorEvents(): readonly { detector: string; event: string; count: number }[];
  /** Vessels currently held in memory. */
  liveVessels(): number;
  /** Reports waiting in the core's event-time queue for the watermark. */
  heldReports(): number;
  /** One entry per assigned partition; summed per member. */
  consumerLag(): readonly { member: string; messages: number }[];
  /** postgres: history rows buffered; kafka: messages queued or held in the producer. */
  sinkQueueDepth(): { postgres: number; kafka: number };
  /** Event-time watermark in epoch milliseconds; -Infinity before the first report. */
  watermarkMs(): number;
  /** Partitions paused for backpressure. */
  pausedPartitions(): number;
  /** Partitions paused for running too far ahead of the watermark, per member. */
  readAheadPausedPartitions(): { member: string; partitions: number }[];
  /** Cumulative Postgres write retries. */
  postgresRetries(): number;
}

export interface WorkerMetricsOptions {
  /** Node process metrics (CPU, memory, event loop, GC) with the `tidewatch_` prefix. */
  defaultMetrics?: boolean;
}

// Kafka batch → offsets stored: a quiet batch takes about a millisecond, a Postgres stall tens of seconds.
const BATCH_DURATION_BUCKETS_SECONDS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];
// Kafka append → output durable: the core's event-time hold (dedupe window + allowed lateness,
// 150 s by default) dominates, then producer linger and sink flushes; a hold of a few seconds
// (the floor config) lands in the low buckets.
const OUTPUT_LATENCY_BUCKETS_SECONDS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 150, 180,
  300, 600,
];

// Taking a state checkpoint stalls the loop: milliseconds for a few thousand vessels, seconds
// for hundreds of thousands of reports waiting for the watermark.
const CHECKPOINT_BUCKETS_SECONDS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The streaming worker's Prometheus metrics, on a registry of its own (never prom-client's
 * global one), so tests and several workers in one process do not collide. Metric names are a
 * contract with the Grafana dashboard and the alert rules: base units, `_total` counters, and
 * no per-vessel labels (an MMSI label would be one series per ship).
 */
export class WorkerMetrics {
  readonly registry: Registry;
  readonly contentType: string;

  private readonly messagesIn: Counter<'member'>;
  private readonly linesRejected: Counter<'member' | 'reason'>;
  private readonly kafkaMessagesIn: Counter;
  private readonly alertsNew: Counter<'kind'>;
  private readonly alertRevisions: Counter<'kind'>;
  private readonly tracksOut: Counter;
  private readonly batchDuration: Histogram;
  private readonly outputLatencySeconds: Histogram;
  private readonly checkpoints: Counter<'result'>;
  private readonly checkpointBytes: Gauge;
  private readonly checkpointSeconds: Histogram;
  private readonly stateRestores: Counter<'result'>;

  constructor(source: WorkerMetricsSource, options: WorkerMetricsOptions = {}) {
    const registry = new Registry();
    this.registry = registry;
    this.contentType = registry.contentType;
    const registers = [registry];

    this.messagesIn = new Counter({
      name: 'tidewatch_messages_in_total',
      help: 'Decoded AIS messages consumed, per member feed.',
      labelNames: ['member'],
      registers,
    });
    this.linesRejected = new Counter({
      name: 'tidewatch_lines_rejected_total',
      help: 'Rejected lines (dead letters), per member feed and reason code.',
      labelNames: ['member', 'reason'],
      registers,
    });
    this.kafkaMessagesIn = new Counter({
      name: 'tidewatch_kafka_messages_total',
      help: 'Kafka messages consumed from the raw feed topics.',
      registers,
    });
    this.alertsNew = new Counter({
      name: 'tidewatch_alerts_total',
      help: 'New alerts (first revision), per kind.',
      labelNames: ['kind'],
      registers,
    });
    this.alertRevisions = new Counter({
      name: 'tidewatch_alert_revisions_total',
      help: 'Later revisions of alerts, per kind.',
      labelNames: ['kind'],
      registers,
    });
    this.tracksOut = new Counter({
      name: 'tidewatch_tracks_published_total',
      help: 'Fused tracks published.',
      registers,
    });
    this.batchDuration = new Histogram({
      name: 'tidewatch_batch_duration_seconds',
      help: 'From a Kafka batch being consumed to its offsets being stored.',
      buckets: BATCH_DURATION_BUCKETS_SECONDS,
      registers,
    });
    this.outputLatencySeconds = new Histogram({
      name: 'tidewatch_output_latency_seconds',
      help: "From a Kafka message's append timestamp to its report's fused output being flushed.",
      buckets: OUTPUT_LATENCY_BUCKETS_SECONDS,
      registers,
    });

    this.checkpoints = new Counter({
      name: 'tidewatch_checkpoints_total',
      help: 'State checkpoints (result: saved, failed, skipped: too big to take within checkpoint.maxStallSeconds).',
      labelNames: ['result'],
      registers,
    });
    this.checkpointBytes = new Gauge({
      name: 'tidewatch_checkpoint_bytes',
      help: 'Size of the latest state checkpoint (compressed).',
      registers,
    });
    this.checkpointSeconds = new Histogram({
      name: 'tidewatch_checkpoint_duration_seconds',
      help: 'Time taking a state checkpoint held the worker loop.',
      buckets: CHECKPOINT_BUCKETS_SECONDS,
      registers,
    });
    this.stateRestores = new Counter({
      name: 'tidewatch_state_restores_total',
      help: 'What became of the state checkpoint at start (result: restored, none, mismatch, not_assigned, failed).',
      labelNames: ['result'],
      registers,
    });

    cumulativeCounter(
      registry,
      'tidewatch_reports_fused_total',
      'Distinct position reports fused.',
      () => source.coreCounts().reportsFused,
    );
    cumulativeCounter(
      registry,
      'tidewatch_duplicates_total',
      'Messages merged into an earlier report (same transmission, another feed or station).',
      () => source.coreCounts().duplicates,
    );
    cumulativeCounter(
      registry,
      'tidewatch_late_reports_total',
      'Reports that arrived after the event-time watermark had passed them.',
      () => source.coreCounts().late,
    );
    cumulativeCounter(
      registry,
      'tidewatch_evicted_vessels_total',
      'Vessels forgotten after a configured silence.',
      () => source.coreCounts().evictedVessels,
    );
    const lastEvents = new Map<string, number>();
    new Counter({
      name: 'tidewatch_detector_events_total',
      help: 'Events detectors count that are not alerts: dark_gap coverage_unknown (a silence not judged: its way was not learned yet, cold start) and withdrawn (a dark gap withdrawn: the vessel reappeared along a way nobody could hear).',
      labelNames: ['detector', 'event'],
      registers,
      collect() {
        for (const { detector, event, count } of source.detectorEvents()) {
          const key = `${detector} ${event}`;
          const last = lastEvents.get(key) ?? 0;
          // Counted from zero again (a new state): the whole count is new.
          const increase = count >= last ? count - last : count;
          // Every event is exported from the start, at 0 until it happens.
          this.inc({ detector, event }, increase > 0 ? increase : 0);
          lastEvents.set(key, count);
        }
      },
    });
    cumulativeCounter(registry, 'tidewatch_postgres_retries_total', 'Postgres write retries.', () =>
      source.postgresRetries(),
    );

    new Gauge({
      name: 'tidewatch_live_vessels',
      help: 'Vessels currently held in memory (with a coalition, summed over its distinct pictures: each keeps the vessels it sees).',
      registers,
      collect() {
        this.set(source.liveVessels());
      },
    });
    new Gauge({
      name: 'tidewatch_held_reports',
      help: 'Reports waiting for the event-time watermark (core.dedupeWindowSeconds + core.allowedLatenessSeconds behind the slowest partition; with a coalition, summed over its pictures): most of the worker memory at high rates.',
      registers,
      collect() {
        this.set(source.heldReports());
      },
    });
    new Gauge({
      name: 'tidewatch_consumer_lag_messages',
      help: 'Messages behind the partition high watermark, summed per member feed.',
      labelNames: ['member'],
      registers,
      collect() {
        // Reset each scrape so a member whose partitions were revoked disappears.
        this.reset();
        for (const { member, messages } of source.consumerLag()) this.inc({ member }, messages);
      },
    });
    new Gauge({
      name: 'tidewatch_sink_queue_depth',
      help: 'Postgres: history rows buffered; kafka: messages queued or held in the producer.',
      labelNames: ['sink'],
      registers,
      collect() {
        const depth = source.sinkQueueDepth();
        this.set({ sink: 'postgres' }, depth.postgres);
        this.set({ sink: 'kafka' }, depth.kafka);
      },
    });
    new Gauge({
      name: 'tidewatch_event_time_watermark_seconds',
      help: 'Event-time watermark, in seconds since the Unix epoch.',
      registers,
      collect() {
        const watermarkMs = source.watermarkMs();
        // No sample before the first report: a 0 would read as 1970 and fire every staleness alert.
        if (Number.isFinite(watermarkMs)) this.set(watermarkMs / 1000);
        else this.remove();
      },
    });
    new Gauge({
      name: 'tidewatch_paused_partitions',
      help: 'Partitions paused for backpressure.',
      registers,
      collect() {
        this.set(source.pausedPartitions());
      },
    });
    new Gauge({
      name: 'tidewatch_read_ahead_paused_partitions',
      help: 'Partitions of a member paused for running more than watermark.maxReadAheadSeconds ahead of the slowest (they resume as it catches up).',
      labelNames: ['member'],
      registers,
      collect() {
        this.reset();
        for (const { member, partitions } of source.readAheadPausedPartitions()) {
          this.set({ member }, partitions);
        }
      },
    });

    if (options.defaultMetrics ?? true) {
      collectDefaultMetrics({ register: registry, prefix: 'tidewatch_' });
    }
  }

  /** `n` decoded AIS messages consumed from `member`'s feed. */
  messageIn(member: string, n = 1): void {
    this.messagesIn.inc({ member }, n);
  }

  /** `n` lines of `member`'s feed rejected with `reason` (a reject reason code). */
  rejected(member: string, reason: string, n = 1): void {
    this.linesRejected.inc({ member, reason }, n);
  }

  kafkaMessages(n: number): void {
    this.kafkaMessagesIn.inc(n);
  }

  /** One alert event; `revision` 1 is a new alert, later ones are revisions (alert-book.ts). */
  alert(kind: string, revision: number): void {
    if (!Number.isInteger(revision) || revision < 1) {
      throw new RangeError(`Unexpected alert revision: ${revision} (expected an integer ≥ 1).`);
    }
    (revision === 1 ? this.alertsNew : this.alertRevisions).inc({ kind });
  }

  tracksPublished(n: number): void {
    this.tracksOut.inc(n);
  }

  /** A Kafka batch's offsets were stored `seconds` after it was consumed. */
  batchDone(seconds: number): void {
    this.batchDuration.observe(seconds);
  }

  /** One report's output latency, in seconds. */
  outputLatency(seconds: number): void {
    this.outputLatencySeconds.observe(seconds);
  }

  /**
   * The first `count` output latencies of `seconds`, e.g. a reused Float64Array filled during a
   * flush. prom-client has no bulk observe; this saves the caller an array per flush.
   */
  outputLatencies(seconds: ArrayLike<number>, count = seconds.length): void {
    const histogram = this.outputLatencySeconds;
    for (let i = 0; i < count; i++) histogram.observe(seconds[i]!);
  }

  /** A state checkpoint: saved, failed or skipped, its compressed size and how long taking it took. */
  checkpoint(result: 'saved' | 'failed' | 'skipped', bytes: number, seconds: number): void {
    this.checkpoints.inc({ result });
    if (result === 'skipped') return;
    this.checkpointSeconds.observe(seconds);
    if (result === 'saved') this.checkpointBytes.set(bytes);
  }

  /** What became of the state checkpoint at start. */
  stateRestore(result: string): void {
    this.stateRestores.inc({ result });
  }

  /** The exposition text for a `/metrics` response with `contentType`. */
  metricsText(): Promise<string> {
    return this.registry.metrics();
  }
}

/**
 * A counter fed from a cumulative value read at scrape time, by the increase since the last
 * scrape. A value below the last one means the source started again from zero, so all of it is
 * new (the same reset rule Prometheus' `rate()` applies).
 */
function cumulativeCounter(
  registry: Registry,
  name: string,
  help: string,
  read: () => number,
): void {
  let last = 0;
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const now = read();
      if (!Number.isFinite(now) || now < 0) return;
      const increase = now >= last ? now - last : now;
      if (increase > 0) this.inc(increase);
      last = now;
    },
  });
}
