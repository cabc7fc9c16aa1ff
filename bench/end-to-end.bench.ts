import { rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MockClusterProcess } from '../src/embedded/mock-cluster-process.js';
import { BatchProducer } from '../src/io/kafka/batch-producer.js';
import { rawTopic } from '../src/io/kafka/raw-topic.js';
import { DEFAULT_CORE_CONFIG } from '../src/pipeline/core-config.js';
import { simulate } from '../src/sim/simulate.js';
import type { WorkerConfigFile } from '../src/worker/worker-config.js';
import {
  type BenchDatabase,
  createBenchDatabase,
  dropOrphanedDatabases,
  serverReachable,
  serverVersion,
} from './bench-database.js';
import { type BenchContext, type Benchmark, type BenchRow, compareWith } from './benchmark.js';
import { runBenchChild } from './child.js';
import { FLEET_MEMBERS, FleetStream } from './fleet.js';
import { formatNumber, formatRatio } from './format.js';
import type { ConsumeCeilingInput, ConsumeCeilingResult } from './kafka-consume-ceiling.js';
import { readOutputLatencies } from './output-latency.js';
import { createTopics, PacedFeed } from './paced-feed.js';
import { cpuSeconds, postgresCpuSince, readPostgresCpu, totalSeconds } from './process-cpu.js';
import { histogramQuantile, metricSum, readHistogram } from './prometheus-text.js';
import { backlogMessages, countDecodable, produceBacklog } from './raw-feed-backlog.js';
import { RawLatencyProbe } from './raw-latency-probe.js';
import { summarize } from './stats.js';
import { WorkerProcess } from './worker-process.js';
import { benchZoneSet } from './zone-set.js';

const NAME = 'end-to-end';

/** NMEA lines per Kafka message of the throughput backlog (`tidewatch feed`'s maximum). */
const LINES_PER_MESSAGE = 500;
/** Partitions per topic on the mock cluster (it auto-creates every topic with 4). */
const PARTITIONS = 4;
/** The worker's default batch size (kafka.maxBatchMessages), also the ceiling's. */
const MAX_BATCH_MESSAGES = 2000;
/** How often the throughput runs read the worker's /metrics, ms. */
const POLL_MS = 100;
/** The paced feed sends one message per member this often, ms. */
const TICK_MS = 20;
/** The event-time queue's bucket (src/fusion/event-time-queue.ts): up to 1 s more hold. */
const BUCKET_SECONDS = 1;
/** Latency runs: a quiet partition stops holding the watermark after this long (empty ones). */
const LATENCY_IDLE_SECONDS = 1;
/** A run that has not finished after this long has broken (never a timing verdict). */
const BROKEN_AFTER_MS = 600_000;
/** The issue 4 throughput target, reports/s. */
const TARGET_REPORTS_PER_SECOND = 300_000;

/**
 * The core settings of a latency run: the defaults, or the floor — no allowed lateness and a 2 s
 * dedupe window (the fleet's cross-member copies arrive up to a second apart).
 */
const CORE_SETTINGS = {
  default: {
    label: `default config (hold ${DEFAULT_CORE_CONFIG.dedupeWindowSeconds} + ${DEFAULT_CORE_CONFIG.allowedLatenessSeconds} s)`,
    core: {},
    holdSeconds:
      DEFAULT_CORE_CONFIG.dedupeWindowSeconds + DEFAULT_CORE_CONFIG.allowedLatenessSeconds,
  },
  floor: {
    label: 'lateness 0 s, dedupe 2 s (floor)',
    core: { allowedLatenessSeconds: 0, dedupeWindowSeconds: 2 },
    holdSeconds: 2,
  },
} as const;

type CoreSetting = keyof typeof CORE_SETTINGS;

interface LatencyPlan {
  readonly setting: CoreSetting;
  /** Offered reports (NMEA lines) per second. */
  readonly rate: number;
  /** Seconds of traffic after the hold before the measured windows. */
  readonly warmupSeconds: number;
  readonly windows: number;
  readonly windowSeconds: number;
}

interface Plan {
  /** Background vessels of the simulated 6 h scenario behind the throughput backlog. */
  readonly vessels: number;
  readonly workerRuns: number;
  /** Runs with `postgres.enabled: false`: the worker's own ceiling, without the history. */
  readonly kafkaOnlyRuns: number;
  readonly ceilingRuns: number;
  readonly latency: readonly LatencyPlan[];
}

// Budgets on the 2-core machine: quick ~45 s (CI), full ~4 min 50 s, of which the default-config
// latency run takes ~3 min: its outputs only start after the 150 s hold.
const QUICK: Plan = {
  vessels: 60,
  workerRuns: 2,
  kafkaOnlyRuns: 1,
  ceilingRuns: 2,
  latency: [
    { setting: 'floor', rate: 20_000, warmupSeconds: 1, windows: 3, windowSeconds: 1 },
    { setting: 'floor', rate: 5_000, warmupSeconds: 1, windows: 3, windowSeconds: 1 },
  ],
};

const FULL: Plan = {
  vessels: 600,
  workerRuns: 3,
  kafkaOnlyRuns: 2,
  ceilingRuns: 3,
  latency: [
    { setting: 'floor', rate: 20_000, warmupSeconds: 2, windows: 5, windowSeconds: 2 },
    { setting: 'floor', rate: 5_000, warmupSeconds: 2, windows: 5, windowSeconds: 2 },
    { setting: 'default', rate: 20_000, warmupSeconds: 1, windows: 5, windowSeconds: 2 },
  ],
};

/**
 * End to end (issue 5): librdkafka's mock cluster in its own process → `tidewatch run` in its own
 * process → `tracks.fused` / `alerts` / `ais.rejected` on Kafka and the history in Postgres (COPY).
 *
 * - Throughput: a simulated 6 h scenario produced beforehand into the raw topics, 500 lines per
 *   Kafka message; reports/s from the worker's partitions being assigned to the last batch's
 *   offsets being stored (which happens only once its reports are in Postgres and its outputs
 *   acknowledged), against node-rdkafka merely consuming the same messages in the same run.
 * - Latency: live feeds at fixed offered rates (a fleet sized to send them at its vessels' ITU-R
 *   M.1371 intervals), stamped with their Kafka append time; from append to the fused track on
 *   `tracks.fused`, with the default core settings and with the least hold, against Kafka's own
 *   append → consume latency for the same messages.
 *
 * Needs a Postgres server (DATABASE_URL or the local one); without one it is skipped with a note.
 * Every child process and database is removed on every way out, Ctrl-C included.
 */
export const endToEndBenchmark: Benchmark = {
  name: NAME,
  description:
    'Kafka (mock cluster) → tidewatch run → Kafka + Postgres: reports/s vs raw consume, latency at fixed rates',
  async run(context) {
    const reachable = await serverReachable();
    if (!reachable.ok) {
      context.note(
        `${NAME}: skipped, no Postgres server (DATABASE_URL or postgresql://postgres@127.0.0.1:5432): ${reachable.reason}`,
      );
      return [];
    }
    const orphans = await dropOrphanedDatabases();
    if (orphans.length > 0) {
      context.log(`${NAME}: dropped ${orphans.length} database(s) left by killed runs`);
    }
    const plan = context.quick ? QUICK : FULL;
    const cleanup = new Cleanup();
    const onSignal = (signal: NodeJS.Signals): void => {
      context.log(`${NAME}: ${signal}: stopping the worker and the cluster, dropping databases`);
      void cleanup.run().finally(() => {
        // The runner's own cleanup does not run after an exit from here.
        rmSync(context.tmpDir, { recursive: true, force: true });
        process.exit(signal === 'SIGINT' ? 130 : 143);
      });
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const loadBefore = loadavg()[0]!;
    try {
      const cluster = await MockClusterProcess.spawn();
      cleanup.add(() => cluster.close());
      const rows = await throughput(context, plan, cluster, cleanup);
      rows.push(...(await latency(context, plan, cluster.bootstrapServers, cleanup)));
      context.note(
        `${NAME}: the mock cluster (own process), the worker (own process), Postgres and this process (producers, readers) share the machine: 1-min load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after, on ${availableParallelism()} cores.`,
      );
      return rows;
    } finally {
      await cleanup.run();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};

async function throughput(
  context: BenchContext,
  plan: Plan,
  cluster: MockClusterProcess,
  cleanup: Cleanup,
): Promise<BenchRow[]> {
  const brokers = cluster.bootstrapServers;
  const prefix = 'e2e.tput.raw.';
  context.log(`${NAME}: simulating ${plan.vessels} vessels, 6 h`);
  const scenario = simulate({ seed: context.seed, vessels: plan.vessels, hours: 6 });
  const reports = countDecodable(scenario.feeds);
  const messages = backlogMessages(scenario.feeds, prefix, LINES_PER_MESSAGE, PARTITIONS);
  const bytes = messages.reduce((sum, m) => sum + m.value.length, 0);
  const zonesPath = join(context.tmpDir, 'e2e-sim-zones.geojson');
  writeFileSync(zonesPath, JSON.stringify(scenario.zones));
  context.log(`${NAME}: producing ${messages.length} messages (${scenario.summary.lines} lines)`);
  await produceBacklog(brokers, messages);

  context.log(`${NAME}: raw consume ceiling × ${plan.ceilingRuns} (own process)`);
  const ceiling = await runBenchChild<ConsumeCeilingResult>('kafka-consume-ceiling.ts', {
    bootstrapServers: brokers,
    topics: [...new Set(messages.map((m) => m.topic))],
    partitions: PARTITIONS,
    messages: messages.length,
    runs: plan.ceilingRuns,
    maxBatchMessages: MAX_BATCH_MESSAGES,
    timeoutMs: BROKEN_AFTER_MS,
  } satisfies ConsumeCeilingInput);

  const seconds: number[] = [];
  const kafkaOnlySeconds: number[] = [];
  const startupMs: number[] = [];
  const cpuShare = { worker: [] as number[], postgres: [] as number[], kafka: [] as number[] };
  let positions: number | undefined;
  let alerts = 0;
  let tracks = 0;
  let paused = 0;
  let scrapeRetries = 0;
  let postgis = false;
  const runs = plan.workerRuns + plan.kafkaOnlyRuns;
  for (let run = 0; run < runs; run++) {
    const history = run < plan.workerRuns;
    context.log(
      `${NAME}: tidewatch run on the backlog, run ${run + 1} of ${runs}${history ? '' : ' (Kafka outputs only)'}`,
    );
    const db = await createBenchDatabase();
    cleanup.add(() => db.drop());
    const config: WorkerConfigFile = {
      zones: [zonesPath],
      kafka: {
        groupId: `bench-e2e-tput-${process.pid}-${run}`,
        rawTopicPrefix: prefix,
        topics: outputTopics('e2e.tput'),
        sessionTimeoutMs: 6000,
      },
      postgres: { postgis: 'auto', enabled: history },
      // The backlog is complete: a partition at its end has nothing more to come, so the core
      // fuses the last event-time hold as soon as all are read, not after a quiet spell.
      watermark: { idlePartitionSeconds: 0 },
    };
    const spawnedAt = Date.now();
    const worker = await startWorker(context, config, brokers, db, `tput-${run}`, cleanup);
    await worker.waitReady(BROKEN_AFTER_MS);
    const start = process.hrtime.bigint();
    startupMs.push(Date.now() - spawnedAt);
    // Who is busy while the worker runs (/proc; Postgres: every process of the server).
    const cpuBefore = {
      worker: cpuSeconds([worker.pid]),
      postgres: readPostgresCpu(),
      kafka: cpuSeconds([cluster.pid]),
    };
    let text = '';
    const deadline = Date.now() + BROKEN_AFTER_MS;
    for (;;) {
      text = await worker.scrape();
      // One observation per Kafka message whose offset was stored: all its reports are in
      // Postgres and its outputs acknowledged by the broker.
      if (readHistogram(text, 'tidewatch_output_latency_seconds').count >= messages.length) break;
      if (Date.now() > deadline) {
        throw new Error(
          `the worker did not finish the backlog in ${BROKEN_AFTER_MS} ms${worker.tail()}`,
        );
      }
      await sleep(POLL_MS);
    }
    const runSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (!history) {
      kafkaOnlySeconds.push(runSeconds);
      await stopWorker(worker);
      await db.drop();
      continue;
    }
    seconds.push(runSeconds);
    cpuShare.worker.push((cpuSeconds([worker.pid]) - cpuBefore.worker) / runSeconds);
    cpuShare.postgres.push(totalSeconds(postgresCpuSince(cpuBefore.postgres)) / runSeconds);
    cpuShare.kafka.push((cpuSeconds([cluster.pid]) - cpuBefore.kafka) / runSeconds);
    // More is possible (at least once: a batch read again after a rebalance), fewer is a loss.
    const decoded = metricSum(text, 'tidewatch_messages_in_total');
    if (decoded < reports) {
      throw new Error(
        `the worker decoded ${decoded} AIS messages of the ${reports} in the backlog`,
      );
    }
    alerts = metricSum(text, 'tidewatch_alerts_total');
    tracks = metricSum(text, 'tidewatch_tracks_published_total');
    await stopWorker(worker);
    paused += worker.pausedWarnings;
    scrapeRetries += worker.scrapeRetries;
    const stored = await db.count('positions');
    if (positions !== undefined && stored !== positions) {
      throw new Error(`run ${run + 1} stored ${stored} positions, run 1 ${positions}`);
    }
    positions = stored;
    postgis = await db.hasExtension('postgis');
    await db.drop();
  }

  const ours: BenchRow = {
    benchmark: NAME,
    scenario: 'throughput: tidewatch run, backlog → Kafka + Postgres',
    unit: 'reports/s',
    higherIsBetter: true,
    summary: summarize(seconds.map((s) => reports / s)),
  };
  const raw: BenchRow = {
    benchmark: NAME,
    scenario: 'throughput: node-rdkafka consume only (same messages)',
    unit: 'reports/s',
    higherIsBetter: true,
    summary: summarize(ceiling.seconds.map((s) => reports / s)),
  };
  compareWith(ours, raw);
  const kafkaOnly: BenchRow = {
    benchmark: NAME,
    scenario: 'throughput: tidewatch run, backlog → Kafka only (postgres.enabled: false)',
    unit: 'reports/s',
    higherIsBetter: true,
    summary: summarize(kafkaOnlySeconds.map((s) => reports / s)),
  };
  compareWith(kafkaOnly, raw);
  const median = ours.summary.median;
  context.note(
    `${NAME}: throughput backlog: simulate seed ${context.seed}, ${plan.vessels} background vessels, 6 h, 3 members: ${scenario.summary.lines} lines, ${reports} AIS messages (the reports counted, cross-member duplicates included, as in core), ${messages.length} Kafka messages of ≤ ${LINES_PER_MESSAGE} lines (${(bytes / 1e6).toFixed(1)} MB, lz4) spread over the ${PARTITIONS} partitions of each ais.raw topic (the mock cluster keeps ~5 MiB per partition). Each run: a fresh database and consumer group, \`tidewatch run\` (src/cli/main.ts through tsx) in its own process with the default settings but for \`watermark.idlePartitionSeconds: 0\`; timed from /readyz (partitions assigned, fetching starts) to its /metrics counting every message's offset stored, polled every ${POLL_MS} ms; start-up before that ${formatNumber(summarize(startupMs).median)} ms (not timed). Each run stored ${positions} positions, published ${tracks} fused tracks and ${alerts} alerts${paused > 0 ? `; the sinks fell behind and input was paused ${paused} time(s) in all` : ''}${scrapeRetries > 0 ? `; ${scrapeRetries} /metrics poll(s) found the connection closed (the worker's loop held for seconds) and were retried` : ''}. CPU meanwhile, in cores (median of the runs, /proc): the worker process ${cores(cpuShare.worker)} (all its threads), Postgres ${cores(cpuShare.postgres)}, the mock cluster ${cores(cpuShare.kafka)}, of ${availableParallelism()}; no warm-up run beyond that: every run is a fresh process, as after a restart. Postgres ${await serverVersion()} ${postgis ? 'with PostGIS (positions get a geography column and a GiST index)' : 'without PostGIS (not installed: no geography column or index)'}.`,
  );
  context.note(
    `${NAME}: the ceiling: a plain node-rdkafka KafkaConsumer in its own process (the worker's fetch settings and batches of ${MAX_BATCH_MESSAGES} messages, partitions assigned at offset 0, no group), timed from the assignment to the last message: ${formatNumber(summarize(ceiling.seconds).median * 1000)} ms for ${(ceiling.bytes / 1e6).toFixed(1)} MB. The worker reaches ${(100 * ours.ratio!).toFixed(1)} % of it: decode, the core and the sinks cost the rest. Issue 4 target ≥ 300 k reports/s end to end: ${median >= TARGET_REPORTS_PER_SECOND ? 'reached' : `missed (${((100 * median) / TARGET_REPORTS_PER_SECOND).toFixed(0)} % of it)`}.`,
  );
  context.note(
    `${NAME}: without the history (\`postgres.enabled: false\`: decode, the core, tracks.fused / alerts / ais.rejected, offsets stored once the producer flushed), the same backlog runs at ${formatNumber(kafkaOnly.summary.median)} reports/s (${kafkaOnly.summary.runs} run(s)): ${formatRatio(kafkaOnly.summary.median / median)} the rate with Postgres, which is the limit.`,
  );
  return [ours, kafkaOnly, raw];
}

async function latency(
  context: BenchContext,
  plan: Plan,
  brokers: string,
  cleanup: Cleanup,
): Promise<BenchRow[]> {
  const zoneSet = benchZoneSet(context.seed);
  const zonesPath = join(context.tmpDir, 'e2e-bench-zones.geojson');
  writeFileSync(zonesPath, JSON.stringify(zoneSet.geojson));
  const fleetOptions = {
    seed: context.seed,
    area: zoneSet.area,
    ports: zoneSet.ports,
    // Every vessel's first position within its own interval: the rate is steady from the start.
    firstPositionWithinSeconds: 180,
  };
  const perVessel = linesPerVesselSecond(fleetOptions);
  const rows: BenchRow[] = [];
  const breakdown: string[] = [];
  for (const [index, run] of plan.latency.entries()) {
    const setting = CORE_SETTINGS[run.setting];
    const label = `@ ${rateLabel(run.rate)}, ${setting.label}`;
    const name = `e2e.lat${index}`;
    const prefix = `${name}.raw.`;
    const vessels = Math.round(run.rate / perVessel);
    const measureSeconds = run.windows * run.windowSeconds;
    const durationSeconds =
      setting.holdSeconds +
      BUCKET_SECONDS +
      LATENCY_IDLE_SECONDS +
      run.warmupSeconds +
      measureSeconds;
    context.log(
      `${NAME}: latency ${label}: ${vessels} vessels, ${durationSeconds} s of live traffic`,
    );
    const topics = FLEET_MEMBERS.map((member) => rawTopic(member, prefix));
    await createTopics(brokers, topics);
    const db = await createBenchDatabase();
    cleanup.add(() => db.drop());
    const config: WorkerConfigFile = {
      zones: [zonesPath],
      core: setting.core,
      kafka: {
        groupId: `bench-e2e-${name}-${process.pid}`,
        rawTopicPrefix: prefix,
        topics: outputTopics(name),
        sessionTimeoutMs: 6000,
      },
      postgres: { postgis: 'auto' },
      // Every fused report goes out, so each tracks.fused message times one report (the default
      // 10 s per-vessel throttle would hold some back on purpose).
      output: { trackIntervalSeconds: 0 },
      // Each member's feed fills one partition (keyed by member); the other three stay empty.
      watermark: { idlePartitionSeconds: LATENCY_IDLE_SECONDS },
    };
    const worker = await startWorker(context, config, brokers, db, name, cleanup);
    await worker.waitReady(BROKEN_AFTER_MS);
    const producer = await BatchProducer.connect({
      bootstrapServers: brokers,
      clientId: 'tidewatch-bench-feed',
    });
    cleanup.add(() => producer.close(5000));
    const probe = await RawLatencyProbe.start(brokers, topics);
    cleanup.add(() => probe.stop(0, 0));
    // The fleet's event time is the wall clock from now on.
    const fleet = new FleetStream({ ...fleetOptions, vessels, startMs: Date.now() + 200 });
    const feed = new PacedFeed(producer, fleet, topics, TICK_MS);
    const offered = await feed.run(durationSeconds * 1000, () => worker.exited);
    const feedEndMs = Date.now();
    worker.assertRunning();
    const text = await worker.scrape();
    await stopWorker(worker);
    await producer.close(5000);
    const fromMs = feedEndMs - measureSeconds * 1000;
    const rawLatencies = await probe.stop(fromMs, feedEndMs);
    const outputs = await readOutputLatencies(brokers, `${name}.tracks.fused`, fromMs, feedEndMs);
    await db.drop();
    if (metricSum(text, 'tidewatch_messages_in_total') === 0) {
      throw new Error(`the worker decoded nothing of the live feeds (${label})${worker.tail()}`);
    }
    if (outputs.latencyMs.length === 0) {
      // A timing, not a breakage: the worker is alive and reading, only that far behind.
      context.note(
        `${NAME}: latency ${label}: no fused track came out in the last ${measureSeconds} s of ${durationSeconds} s: the worker was more than ${(durationSeconds - measureSeconds - setting.holdSeconds).toFixed(0)} s behind its hold. No figure.`,
      );
      continue;
    }

    const p50: number[] = [];
    const p99: number[] = [];
    for (let w = 0; w < run.windows; w++) {
      const from = fromMs + w * run.windowSeconds * 1000;
      const window = latenciesBetween(outputs, from, from + run.windowSeconds * 1000);
      if (window.length === 0) continue;
      p50.push(quantile(window, 0.5) / 1000);
      p99.push(quantile(window, 0.99) / 1000);
    }
    const all = Float64Array.from(outputs.latencyMs).sort();
    const rawSorted = rawLatencies.sort();
    const kafkaP50 = rawSorted.length > 0 ? quantile(rawSorted, 0.5) / 1000 : Number.NaN;
    const kafkaP99 = rawSorted.length > 0 ? quantile(rawSorted, 0.99) / 1000 : Number.NaN;
    const latencyRow = (q: 'p50' | 'p99', values: number[], kafka: number): BenchRow => {
      const row: BenchRow = {
        benchmark: NAME,
        scenario: `latency ${q} ${label}`,
        unit: 's',
        higherIsBetter: false,
        summary: summarize(values),
      };
      // Beside it, what Kafka alone takes for the same messages. No ratio: the two differ by
      // orders of magnitude, and the difference is the point (the notes have it in ms).
      if (Number.isFinite(kafka)) {
        row.baseline = `Kafka append → plain consumer ${q}`;
        row.baselineMedian = kafka;
      }
      return row;
    };
    const rowP50 = latencyRow('p50', p50, kafkaP50);
    const rowP99 = latencyRow('p99', p99, kafkaP99);
    rows.push(rowP50, rowP99);

    const histogram = readHistogram(text, 'tidewatch_output_latency_seconds');
    const top = histogram.buckets.at(-2)?.le ?? Number.NaN;
    const fromHistogram = (q: number): string => {
      const v = histogramQuantile(histogram, q);
      return v >= top ? `≥ ${top} s (its top bucket)` : `${v.toFixed(2)} s`;
    };
    const overallP50 = quantile(all, 0.5) / 1000;
    // A report waits for the watermark to pass its 1 s queue bucket's end plus the hold: on
    // average half a bucket beyond the hold. What is left is the pipeline's own time.
    const pipeline = overallP50 - setting.holdSeconds - BUCKET_SECONDS / 2;
    breakdown.push(
      `${label}: p50 ${overallP50.toFixed(2)} s = hold ${setting.holdSeconds} s + ${BUCKET_SECONDS / 2} s mean bucket wait + ${pipeline.toFixed(2)} s pipeline, of which Kafka's hop ${(kafkaP50 * 1000).toFixed(0)} ms`,
    );
    const truncated =
      outputs.oldestHeldMs > fromMs
        ? ` The broker had already dropped the window's first ${((outputs.oldestHeldMs - fromMs) / 1000).toFixed(1)} s of tracks.fused (it keeps ~5 MiB per partition).`
        : '';
    context.note(
      `${NAME}: latency ${label}: ${vessels} vessels (the core bench's fleet and zone set) sending ${formatNumber((offered.lines * 1000) / offered.elapsedMs)} lines/s for ${(offered.elapsedMs / 1000).toFixed(0)} s as ${offered.kafkaMessages} Kafka messages (one per member every ${TICK_MS} ms, keyed by member; longest gap between ticks ${offered.longestTickGapMs} ms); tag-block c: and Kafka timestamp = append time. Figures: the ${outputs.latencyMs.length} tracks.fused messages produced in the last ${measureSeconds} s (trackIntervalSeconds 0: every fused report is published; latency = message timestamp − lastSeen), p50 and p99 per ${run.windowSeconds} s window, ${run.windows} windows; overall p50 ${overallP50.toFixed(2)} s, p99 ${(quantile(all, 0.99) / 1000).toFixed(2)} s, max ${((all.at(-1) ?? Number.NaN) / 1000).toFixed(2)} s.${truncated} Kafka alone (append → a plain consumer in this process, same messages; an upper bound, the paced feed shares the process): p50 ${(kafkaP50 * 1000).toFixed(0)} ms, p99 ${(kafkaP99 * 1000).toFixed(0)} ms. The worker's tidewatch_output_latency_seconds (append → batch offsets stored, i.e. also in Postgres; whole run, warm-up included, estimated from buckets): p50 ${fromHistogram(0.5)}, p99 ${fromHistogram(0.99)}. Its heap at the end: ${(metricSum(text, 'tidewatch_nodejs_heap_size_used_bytes') / 2 ** 20).toFixed(0)} MiB used, ${(metricSum(text, 'tidewatch_process_resident_memory_bytes') / 2 ** 20).toFixed(0)} MiB resident.`,
    );
  }
  context.note(
    `${NAME}: what the latency is made of: the event-time hold (core.dedupeWindowSeconds + core.allowedLatenessSeconds: reports wait until the watermark — the slowest partition's event time — has passed them by that much, so dedupe and late data give replay's result) and the event-time queue's 1 s buckets. ${breakdown.join('; ')}.`,
  );
  return rows;
}

/** Median CPU share of the runs, in cores. */
function cores(shares: readonly number[]): string {
  return shares.length === 0 ? '?' : summarize(shares).median.toFixed(2);
}

/** `20 k reports/s`, `5 k reports/s`. */
function rateLabel(rate: number): string {
  return rate >= 1000 ? `${rate / 1000} k reports/s` : `${rate} reports/s`;
}

/** The worker's output topics for one run (runs never read each other's outputs). */
function outputTopics(name: string): { fused: string; alerts: string; rejected: string } {
  return { fused: `${name}.tracks.fused`, alerts: `${name}.alerts`, rejected: `${name}.rejected` };
}

async function startWorker(
  context: BenchContext,
  config: WorkerConfigFile,
  brokers: string,
  db: BenchDatabase,
  name: string,
  cleanup: Cleanup,
): Promise<WorkerProcess> {
  const worker = await WorkerProcess.start({
    config,
    configPath: join(context.tmpDir, `e2e-worker-${name}.json`),
    brokers,
    databaseUrl: db.url,
  });
  cleanup.add(() => worker.stop(5000));
  return worker;
}

/** SIGTERM: the worker must shut down cleanly (flush, commit, close) and exit 0. */
async function stopWorker(worker: WorkerProcess): Promise<void> {
  const code = await worker.stop(30_000);
  if (code !== 0) throw new Error(`tidewatch run exited with ${code} on SIGTERM${worker.tail()}`);
}

/** The fleet's lines per vessel per second, from a small fleet of the same kind (seeded). */
function linesPerVesselSecond(
  options: Omit<ConstructorParameters<typeof FleetStream>[0], 'vessels'>,
): number {
  const vessels = 5000;
  const seconds = 60;
  const fleet = new FleetStream({ ...options, vessels });
  return fleet.nextSeconds(seconds).lines / seconds / vessels;
}

function latenciesBetween(
  outputs: { outputAtMs: Float64Array; latencyMs: Float64Array },
  fromMs: number,
  toMs: number,
): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < outputs.outputAtMs.length; i++) {
    const at = outputs.outputAtMs[i]!;
    if (at >= fromMs && at < toMs) out.push(outputs.latencyMs[i]!);
  }
  return Float64Array.from(out).sort();
}

/** Quantile `q` of ascending `sorted` values (linear interpolation). */
function quantile(sorted: Float64Array, q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/**
 * What to undo on the way out, newest first: the worker before its database, the cluster last.
 * Steps are idempotent; a failing one does not stop the others.
 */
class Cleanup {
  private readonly steps: (() => Promise<unknown>)[] = [];
  private running: Promise<void> | undefined;

  add(step: () => Promise<unknown>): void {
    this.steps.push(step);
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      while (this.steps.length > 0) {
        const step = this.steps.pop()!;
        await step().catch(() => undefined);
      }
      this.running = undefined;
    })();
    return this.running;
  }
}
