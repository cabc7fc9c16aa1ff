import { availableParallelism, loadavg } from 'node:os';
import { type Benchmark, type BenchRow, compareWith } from './benchmark.js';
import { runBenchChild } from './child.js';
import type { CoreScenarioInput, CoreScenarioResult, TimedPath } from './core-scenario.js';
import { formatNumber, formatRatio } from './format.js';
import { summarize } from './stats.js';
import { benchZoneSet } from './zone-set.js';

/** Issue 3's speed target: the whole core at 1 M reports/s for 50 k live vessels. */
const TARGET_REPORTS_PER_SECOND = 1_000_000;
const TARGET_VESSELS = 50_000;
/** `replay`'s default watermark lag (DEFAULT_CORE_CONFIG.allowedLatenessSeconds). */
const REPLAY_LATENESS_SECONDS = 120;
/**
 * Lines between watermark moves (`replay` moves it after each 1 MiB chunk of a feed, about
 * 14 000 of these lines).
 */
const ADVANCE_EVERY_LINES = 8192;

function label(vessels: number): string {
  return vessels >= 1000 ? `${vessels / 1000} k vessels` : `${vessels} vessels`;
}

/** Reports per second of each timed segment of one path. */
function pathRow(scenario: string, path: TimedPath): BenchRow {
  return {
    benchmark: 'core',
    scenario,
    unit: 'reports/s',
    higherIsBetter: true,
    summary: summarize(path.messages.map((n, i) => n / path.seconds[i]!)),
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function percent(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(0)} %`;
}

/**
 * Reports per second through the whole core hot path — decode → dedupe → fuse → index → zones
 * → detect, FusionCore with every default detector — for 5 k, 50 k and 500 k live vessels over
 * a zone set with a 5 000-vertex polygon, 36 small areas and 8 ports; the core alone on
 * messages decoded beforehand (so decode's share shows); and the naive baseline (turf on every
 * zone, rbush remove + insert on every report) in the same process. Each vessel count runs in
 * its own process (`core-scenario.ts`).
 */
export const coreBenchmark: Benchmark = {
  name: 'core',
  description: 'reports/s decode → detect, 5 k / 50 k / 500 k vessels, vs naive turf + rbush',
  async run(context) {
    const loadBefore = loadavg()[0]!;
    const vesselCounts = context.quick ? [5_000, 50_000] : [5_000, 50_000, 500_000];
    // Quick (CI): the watermark at the newest event time, so the warm-up need only outlast the
    // 30 s dedupe hold-back; otherwise replay's 120 s lag, whose queue takes 150 s to fill.
    const latenessSeconds = context.quick ? 0 : REPLAY_LATENESS_SECONDS;
    const rows: BenchRow[] = [];
    const zoneSet = benchZoneSet(context.seed);
    context.note(
      `core: zone set: ${zoneSet.zones.length} zones, ${zoneSet.vertices} vertices (an EEZ-like 5 000-vertex star with 4 holes, 36 areas of 12–60 vertices, 8 ports), over ${(zoneSet.area[2] - zoneSet.area[0]).toFixed(0)}° × ${(zoneSet.area[3] - zoneSet.area[1]).toFixed(0)}°.`,
    );
    for (const vessels of vesselCounts) {
      const input: CoreScenarioInput = {
        vessels,
        seed: context.seed,
        segmentLines: context.quick ? 30_000 : 150_000,
        runs: context.quick ? 4 : 7,
        warmupSeconds: latenessSeconds + (context.quick ? 40 : 60),
        naiveLines: context.quick ? 1_000 : 5_000,
        latenessSeconds,
        advanceEveryLines: ADVANCE_EVERY_LINES,
        profileBelowRate: vessels === TARGET_VESSELS ? TARGET_REPORTS_PER_SECOND : 0,
        profileSegments: context.quick ? 2 : 4,
      };
      context.log(`core: ${label(vessels)} (own process)`);
      // The event-time queue holds (lag + 30 s) of reports: about 3 GB at 500 k vessels.
      const heapMiB = Math.max(4096, Math.ceil(vessels / 1000) * 16);
      const result = await runBenchChild<CoreScenarioResult>('core-scenario.ts', input, [
        `--max-old-space-size=${heapMiB}`,
      ]);
      const name = label(vessels);
      const full = pathRow(`${name}: decode → detect`, result.full);
      const alone = pathRow(`${name}: core alone (decoded beforehand)`, result.coreAlone);
      const decode = pathRow(`${name}: decode alone (same lines)`, result.decodeOnly);
      const naive = pathRow(`${name}: naive (turf every zone, rbush every report)`, result.naive);
      compareWith(full, naive);
      rows.push(full, alone, decode, naive);

      // Paired per segment: decode alone and the full path ran on the same lines, back to back.
      const decodeShare = summarize(
        result.decodeOnly.seconds.map((s, i) => s / result.full.seconds[i]!),
      ).median;
      const linesPerSecond = summarize(
        result.full.lines.map((n, i) => n / result.full.seconds[i]!),
      );
      context.note(
        `core: ${name}: ${input.runs} segments per path of ≥ ${input.segmentLines} lines (${result.eventSecondsPerSegment.toFixed(1)} s of traffic each) after a warm-up of ${result.warmupLines} lines; ${(100 * result.duplicateShare).toFixed(0)} % cross-member duplicates, ${(100 * result.positionShare).toFixed(0)} % position reports; ${formatNumber(linesPerSecond.median)} lines/s. Decode is ${(100 * decodeShare).toFixed(0)} % of the full path's time per report. Garbage collection: ${percent(sum(result.full.gcSeconds), sum(result.full.seconds))} of the full path, ${percent(sum(result.coreAlone.gcSeconds), sum(result.coreAlone.seconds))} of the core alone, ${percent(sum(result.naive.gcSeconds), sum(result.naive.seconds))} of the naive; process CPU time / wall time during the full path ${percent(sum(result.full.cpuSeconds), sum(result.full.seconds))} (V8's GC helper threads included: well under 100 % means the machine was busy). End state: ${result.tracks} tracks, ${result.pendingTimers} timers, ${result.coreStats.reports} reports fused of ${result.coreStats.messages} messages (${result.coreStats.duplicates} merged duplicates), ${result.alerts} alert events; heap used at the end ${result.heapUsedMiB.toFixed(0)} MiB (garbage included). Naive: ${formatRatio(full.ratio!)} slower than the full path, timed on the first ${input.naiveLines} lines of each full-path segment.`,
      );
      if (vessels === TARGET_VESSELS) {
        const median = full.summary.median;
        const verdict =
          median >= TARGET_REPORTS_PER_SECOND
            ? 'reached'
            : `missed: ${((100 * median) / TARGET_REPORTS_PER_SECOND).toFixed(0)} % of it`;
        context.note(
          `core: target ≥ 1 M reports/s at 50 k vessels (issue 3): ${verdict} (median ${formatNumber(median)} reports/s, wall time).`,
        );
        if (result.profile !== undefined) {
          context.note(
            `core: CPU profile of ${input.profileSegments} more full-path segments at 50 k vessels (V8 sampling profiler, as node --cpu-prof), self time: ${result.profile
              .slice(0, 12)
              .map((entry) => `${entry.function} ${entry.selfPercent.toFixed(1)} %`)
              .join('; ')}.`,
          );
        }
      }
    }
    context.note(
      `core: reports = AIS messages as the member feeds deliver them (a cross-member duplicate counts, a two-sentence type 5 once). Watermark moved every ${ADVANCE_EVERY_LINES} lines to the newest event time${latenessSeconds === 0 ? ' (quick: no allowed lateness; the core still holds 30 s back for dedupe)' : ` less ${latenessSeconds} s (replay's allowed lateness)`}. 1-min load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after, on ${availableParallelism()} cores.`,
    );
    return rows;
  },
};
