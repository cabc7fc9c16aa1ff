import { availableParallelism, loadavg } from 'node:os';
import { DEFAULT_CORE_CONFIG } from '../src/pipeline/core-config.js';
import { type Benchmark, type BenchRow, compareWith } from './benchmark.js';
import type { CheckpointProbeInput, CheckpointProbeResult } from './checkpoint-probe.js';
import { runBenchChild } from './child.js';
import { formatNumber, formatRatio } from './format.js';
import { summarize } from './stats.js';

/** `replay`'s default watermark lag (DEFAULT_CORE_CONFIG.allowedLatenessSeconds). */
const LATENESS_SECONDS = DEFAULT_CORE_CONFIG.allowedLatenessSeconds;
/**
 * Event time fed before the checkpoint: the queue's full depth (allowed lateness + dedupe
 * window, 150 s) and a minute more, so that every vessel's first report (within 30 s, fleet.ts)
 * has been fused into a track.
 */
const FEED_SECONDS = LATENESS_SECONDS + DEFAULT_CORE_CONFIG.dedupeWindowSeconds + 60;
/** Lines between watermark moves, as in the `core` benchmark (`replay`: one 1 MiB chunk). */
const ADVANCE_EVERY_LINES = 8192;

function label(vessels: number): string {
  return `${vessels / 1000} k vessels`;
}

function msRow(scenario: string, samples: readonly number[]): BenchRow {
  return {
    benchmark: 'checkpoint',
    scenario,
    unit: 'ms',
    higherIsBetter: false,
    summary: summarize(samples),
  };
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/**
 * What the streaming worker's state checkpoint costs (src/worker/worker-state.ts): the time to
 * take one of a FusionCore (every default detector, the bench zone set) holding 5 k, 50 k and
 * 500 k live vessels and replay's 150 s of queued reports, its size, and the time to restore it
 * into a freshly built core — against the same run's baseline, a fresh core fusing the same
 * input again (a restart without a checkpoint). Each size runs in its own `node --expose-gc`
 * process (`checkpoint-probe.ts`), which checks every restored core against the original.
 */
export const checkpointBenchmark: Benchmark = {
  name: 'checkpoint',
  description:
    'worker state checkpoint: take, size, restore vs rebuild, 5 k / 50 k / 500 k vessels',
  async run(context) {
    const loadBefore = loadavg()[0]!;
    const counts = context.quick ? [5_000, 50_000] : [5_000, 50_000, 500_000];
    const rows: BenchRow[] = [];
    const failures: string[] = [];
    for (const vessels of counts) {
      const input: CheckpointProbeInput = {
        vessels,
        seed: context.seed,
        feedSeconds: FEED_SECONDS,
        latenessSeconds: LATENESS_SECONDS,
        advanceEveryLines: ADVANCE_EVERY_LINES,
        // A 500 k-vessel round takes minutes (take, restore and rebuild).
        runs: context.quick ? (vessels > 5_000 ? 2 : 3) : vessels > 50_000 ? 2 : 5,
      };
      context.log(`checkpoint: ${label(vessels)}, ${input.runs} runs (own process, --expose-gc)`);
      // A core and the snapshot's mirror, or the restored core: about 1 GiB at 50 k vessels.
      const heapMiB = Math.max(4096, Math.ceil(vessels / 1000) * 32);
      let result: CheckpointProbeResult;
      try {
        result = await runBenchChild<CheckpointProbeResult>('checkpoint-probe.ts', input, [
          '--expose-gc',
          `--max-old-space-size=${heapMiB}`,
        ]);
      } catch (error) {
        // The other sizes still run; the benchmark fails at the end (a checkpoint that cannot be
        // taken is a breakage, not a slow figure).
        const message = error instanceof Error ? error.message : String(error);
        failures.push(`${label(vessels)}: ${message}`);
        context.note(
          `checkpoint: ${label(vessels)}: FAILED (${message.split('\n', 2).join(' ')}).`,
        );
        continue;
      }
      const name = label(vessels);
      const tracks = result.figures.tracks;
      const take = msRow(`${name}: take (encodeState + gzip -1)`, result.takeMs);
      const encode = msRow(`${name}: take, encodeState alone`, result.encodeMs);
      const gzip = msRow(`${name}: take, gzip -1 alone`, result.gzipMs);
      const rebuild = msRow(
        `${name}: rebuild (fresh core fuses the input again)`,
        result.rebuildMs,
      );
      const restore = compareWith(
        msRow(`${name}: restore (fresh core + gunzip + restoreState)`, result.restoreMs),
        rebuild,
      );
      const size: BenchRow = {
        benchmark: 'checkpoint',
        scenario: `${name}: checkpoint size (gzip -1)`,
        unit: 'bytes/vessel',
        higherIsBetter: false,
        summary: summarize(result.gzipBytes.map((bytes) => bytes / tracks)),
      };
      const rawSize: BenchRow = {
        ...size,
        scenario: `${name}: checkpoint size before gzip`,
        summary: summarize(result.rawBytes.map((bytes) => bytes / tracks)),
      };
      rows.push(take, encode, gzip, restore, rebuild, size, rawSize);

      const gzipBytes = summarize(result.gzipBytes).median;
      const rawBytes = summarize(result.rawBytes).median;
      const restoreStateMs = summarize(result.restoreStateMs).median;
      const gunzipMs = summarize(result.gunzipMs).median;
      // Rebuild time per second of traffic: how much input a restore is worth re-fusing.
      const rebuildMsPerEventSecond = rebuild.summary.median / result.eventSeconds;
      const f = result.figures;
      context.note(
        `checkpoint: ${name}: ${result.eventSeconds.toFixed(0)} s of seeded traffic (${result.lines} lines, ${result.messages} messages) fed as replay does, watermark ${LATENESS_SECONDS} s behind the newest event time, moved every ${ADVANCE_EVERY_LINES} lines; checkpoint of ${f.tracks} tracks, ${f.queuedReports} queued reports (${result.queuedSeconds.toFixed(0)} s of event time: dedupe window + allowed lateness), ${f.pendingTimers} timers, ${f.stats.reports} reports fused so far; ${input.runs} runs. Checkpoint ${mib(gzipBytes)} (${mib(rawBytes)} before gzip, ${(rawBytes / gzipBytes).toFixed(1)}:1); take = encodeState ${formatNumber(encode.summary.median)} ms + gzip ${formatNumber(gzip.summary.median)} ms; restore = gunzip ${formatNumber(gunzipMs)} ms + restoreState ${formatNumber(restoreStateMs)} ms (+ building the core). Restore ${formatRatio(restore.ratio!)} the rebuild's speed (${restore.ratio! >= 1 ? 'faster' : 'slower'}); the rebuild re-fuses ${formatNumber(rebuildMsPerEventSecond)} ms per second of traffic, so a restore costs as much as re-fusing ${formatNumber(restore.summary.median / rebuildMsPerEventSecond)} s of it. Highest heap used after a restore ${(result.heapUsedMiB / 1024).toFixed(2)} GiB (garbage included). Every restored and rebuilt core matched the original (tracks, queued reports, timers, alerts raised, watermark, stats).`,
      );
    }
    context.note(
      `checkpoint: take = what encodeWorkerState does to the core alone (gzipSync(encodeState(core, coreStateExternals(core, output).byObject), { level: 1 })), synchronous: the worker loop stalls this long; the worker's partition decoders and track throttle are not included. restore = a new FusionCore with the same config, zones and detectors, then restoreState(gunzipSync(bytes), fresh, coreStateExternals(fresh, output).byName). rebuild = a new core and new decoders through the same NMEA lines with the same watermark moves (decode included, Kafka reads not): the baseline only re-fuses the ${FEED_SECONDS} s fed here, while a real restart without a checkpoint must also rebuild detector state that spans hours (rendezvous 2 h, loitering 4 h, dark-gap coverage 24 h), so the rebuild figure is a lower bound. A full GC before each timed step; ratio > 1 means restoring is faster than rebuilding. 1-min load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after, on ${availableParallelism()} cores.`,
    );
    if (failures.length > 0) {
      throw new Error(
        `checkpoint failed at ${failures.join('; ')}\n(the figures of the sizes that ran are in the notes)`,
      );
    }
    return rows;
  },
};
