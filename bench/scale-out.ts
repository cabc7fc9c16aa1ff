/**
 * Scale-out throughput (issue 16, docs/scale-out.md): the same backlog of simulated member feeds
 * through (a) one worker as today, (b) one process with the decode and fusion stages, (c) two
 * such processes, in one run on one mock cluster, Kafka outputs only (no Postgres). After a
 * warm-up (one message per raw partition, fused, every group settled), reports the wall time
 * from producing the backlog to the last fused report, reports/s, and CPU seconds per million reports
 * of all the run's worker processes (on a 2-core machine more processes cannot be faster in wall
 * time; CPU per report shows what the extra hop costs and what more machines would give).
 *
 *   node --import tsx bench/scale-out.ts [--vessels 60] [--hours 8] [--rounds 1]
 *
 * Not a test: it asserts nothing about time. Every run must fuse the same number of reports
 * (the distinct reports of the backlog), or it says so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { MockClusterProcess } from '../src/embedded/mock-cluster-process.js';
import { simulate } from '../src/sim/simulate.js';
import type { WorkerConfigFile } from '../src/worker/worker-config.js';
import { cpuSeconds } from './process-cpu.js';
import { metricSum } from './prometheus-text.js';
import { backlogMessages, countDecodable, produceBacklog } from './raw-feed-backlog.js';
import { WorkerProcess } from './worker-process.js';

const PARTITIONS = 4;
const LINES_PER_MESSAGE = 500;
/** The run is over when the fused count has not moved for this long (every upstream idle: 1 s). */
const SETTLED_MS = 4000;
const POLL_MS = 100;
/** Time given to each process to join both consumer groups before the backlog is produced. */
const JOIN_MS = 8000;

interface Variant {
  readonly label: string;
  readonly processes: number;
  readonly stages: boolean;
}

const VARIANTS: readonly Variant[] = [
  { label: 'one worker (no stages)', processes: 1, stages: false },
  { label: '1 process, decode + fusion stages', processes: 1, stages: true },
  { label: '2 processes, decode + fusion stages', processes: 2, stages: true },
];

interface Result {
  readonly variant: Variant;
  readonly reports: number;
  /**
   * Reports that arrived after the watermark had passed them (a partition caught up with the
   * producer and quiet for the idle time): a late copy is fused as a report of its own, so the
   * fused count differs by about as much between runs.
   */
  readonly late: number;
  /** Reports fused between the first and the last observation (what the rate and CPU cover). */
  readonly rateReports: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
}

async function runVariant(
  variant: Variant,
  id: string,
  brokers: string,
  feeds: readonly { member: string; lines: readonly string[] }[],
  dir: string,
): Promise<Result> {
  const prefix = `${id}.raw.`;
  const backlog = backlogMessages(feeds, prefix, LINES_PER_MESSAGE, PARTITIONS);
  // A line that is not NMEA on every raw partition first (a dead letter, no event time), so the
  // topics exist and every process of both groups holds its partitions before the measured
  // backlog arrives (a process joining mid-run moves partitions whose state does not move yet:
  // docs/scale-out.md), and the backlog is fused from its start as in `replay`.
  const warmUp = [...new Set(backlog.map((m) => m.topic))].flatMap((topic) =>
    Array.from({ length: PARTITIONS }, (_, partition) => ({
      topic,
      partition,
      key: 'warm-up',
      value: Buffer.from('warm-up\n'),
      lines: 1,
    })),
  );
  await produceBacklog(brokers, warmUp);
  const config: WorkerConfigFile = {
    kafka: {
      groupId: id,
      rawTopicPrefix: prefix,
      topics: { fused: `${id}.tracks`, alerts: `${id}.alerts`, rejected: `${id}.rejected` },
      sessionTimeoutMs: 6000,
    },
    postgres: { enabled: false },
    watermark: { idlePartitionSeconds: 1 },
    scale: { stages: variant.stages, reportsTopic: `${id}.reports`, watermarkIntervalMs: 200 },
  };
  const workers: WorkerProcess[] = [];
  for (let i = 0; i < variant.processes; i++) {
    workers.push(
      await WorkerProcess.start({
        config,
        configPath: join(dir, `${id}-${i}.json`),
        brokers,
        databaseUrl: 'postgresql://unused',
      }),
    );
  }
  try {
    const pids = workers.map((w) => w.pid);
    await Promise.all(workers.map((w) => w.waitReady(120_000)));
    const fusedNow = async (): Promise<number> => {
      let sum = 0;
      for (const w of workers) sum += metricSum(await w.scrape(), 'tidewatch_reports_fused_total');
      return sum;
    };
    // Every process in both groups with its partitions (a join takes ~3 s per rebalance).
    await sleep(JOIN_MS * variant.processes);
    const before = await fusedNow();
    const started = performance.now();
    const cpuAtStart = cpuSeconds(pids);
    await produceBacklog(brokers, backlog);
    const end = await settle(fusedNow, started, before, () => cpuSeconds(pids));
    let late = 0;
    for (const w of workers) late += metricSum(await w.scrape(), 'tidewatch_late_reports_total');
    return {
      variant,
      late,
      reports: end.fused,
      rateReports: end.fused - before,
      seconds: (end.at - started) / 1000,
      cpuSeconds: end.cpu - cpuAtStart,
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

/**
 * Polls `fused` until it has moved past `from` and then not moved for SETTLED_MS; returns the
 * last change: when, the count, and `cpu()` then.
 */
async function settle(
  fused: () => Promise<number>,
  started: number,
  from = 0,
  cpu: () => number = () => 0,
): Promise<{ at: number; fused: number; cpu: number }> {
  let last = { at: started, fused: from, cpu: cpu() };
  while (last.fused === from || performance.now() - last.at < SETTLED_MS) {
    await sleep(POLL_MS);
    const now = await fused();
    if (now !== last.fused) last = { at: performance.now(), fused: now, cpu: cpu() };
    if (performance.now() - started > 600_000) throw new Error('not settled after 10 minutes');
  }
  return last;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      vessels: { type: 'string', default: '60' },
      hours: { type: 'string', default: '8' },
      rounds: { type: 'string', default: '1' },
    },
  });
  const sim = simulate({ seed: 16, vessels: Number(values.vessels), hours: Number(values.hours) });
  const decodable = countDecodable(sim.feeds);
  const cluster = await MockClusterProcess.spawn();
  const dir = mkdtempSync(join(tmpdir(), 'tidewatch-scale-bench-'));
  const results: Result[] = [];
  try {
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const [i, variant] of VARIANTS.entries()) {
        const result = await runVariant(
          variant,
          `b${round}v${i}`,
          cluster.bootstrapServers,
          sim.feeds,
          dir,
        );
        results.push(result);
        console.error(`${variant.label}: ${JSON.stringify(result)}`);
      }
    }
  } finally {
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const baseline = results[0]!;
  console.log(
    `scale-out bench: ${decodable} decodable messages (seed 16, ${values.vessels} vessels, ${values.hours} h, 3 members, ${PARTITIONS} partitions each); ${cpus()[0]?.model ?? '?'} × ${availableParallelism()}, Node ${process.version}, load ${loadavg()[0]!.toFixed(1)}`,
  );
  console.log(
    '| variant | reports fused | wall s | reports/s | CPU s per M reports | CPU vs one worker |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  const baseCpu = baseline.cpuSeconds / baseline.rateReports;
  for (const r of results) {
    const perReport = r.cpuSeconds / r.rateReports;
    console.log(
      `| ${r.variant.label} | ${r.reports} | ${r.late} | ${r.seconds.toFixed(1)} | ${Math.round(r.rateReports / r.seconds)} | ${(perReport * 1e6).toFixed(1)} | ${(perReport / baseCpu).toFixed(2)}× |`,
    );
  }
  if (new Set(results.map((r) => r.reports)).size > 1) {
    console.log('NOTE: the runs fused different numbers of reports (see the table).');
  }
}

await main();
