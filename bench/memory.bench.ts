import type { Benchmark, BenchRow } from './benchmark.js';
import { runBenchChild } from './child.js';
import { formatNumber } from './format.js';
import type { MemoryProbeInput, MemoryProbeResult } from './memory-probe.js';
import { summarize } from './stats.js';

/** Issue 3: state memory under 1 KB per live vessel. */
const TARGET_BYTES_PER_VESSEL = 1024;
/** Every vessel's first position report and static data come within this many seconds. */
const FIRST_REPORTS_SECONDS = 10;

function label(vessels: number): string {
  return vessels >= 1_000_000 ? `${vessels / 1_000_000} M vessels` : `${vessels / 1000} k vessels`;
}

function bytesRow(scenario: string, perVessel: number[]): BenchRow {
  return {
    benchmark: 'memory',
    scenario,
    unit: 'bytes/vessel',
    higherIsBetter: false,
    summary: summarize(perVessel),
  };
}

/**
 * Bytes of core state per live vessel (issue 5): V8 heap used, after a full GC, by FusionCore
 * with every default detector and the bench zone set, before and after every vessel of a seeded
 * fleet has sent a position report or a few and its static data — at 50 k and 1 M vessels
 * (quick: 50 k and 200 k), each in its own `node --expose-gc` process (`memory-probe.ts`).
 */
export const memoryBenchmark: Benchmark = {
  name: 'memory',
  description: 'bytes of core state per live vessel, 50 k and 1 M vessels',
  async run(context) {
    const counts = context.quick ? [50_000, 200_000] : [50_000, 1_000_000];
    const rows: BenchRow[] = [];
    // Heap figures do not depend on CPU time: the probes run side by side.
    context.log(`memory: ${counts.map(label).join(' and ')} (own processes, --expose-gc)`);
    const results = await Promise.all(
      counts.map((vessels) => {
        const input: MemoryProbeInput = {
          vessels,
          seed: context.seed,
          seconds: FIRST_REPORTS_SECONDS,
          // The figure hardly moves between runs (same seeded lines, fresh core): quick runs
          // the big fleet once.
          runs: context.quick ? (vessels > 50_000 ? 1 : 2) : 3,
        };
        const heapMiB = Math.max(4096, Math.ceil(vessels / 1000) * 8);
        return runBenchChild<MemoryProbeResult>('memory-probe.ts', input, [
          '--expose-gc',
          `--max-old-space-size=${heapMiB}`,
        ]);
      }),
    );
    for (const result of results) {
      const name = label(result.vessels);
      const settled = result.after.map((after, i) => (after - result.before[i]!) / result.tracks);
      // Before the watermark moves, every distinct report waits in the event-time queue and the
      // dedupe index, and no track exists yet.
      const perQueuedReport = result.queued.map((q, i) => (q - result.before[i]!) / result.reports);
      const row = bytesRow(`${name}: core state`, settled);
      const queuedRow: BenchRow = {
        ...bytesRow(`${name}: a report waiting for the watermark`, perQueuedReport),
        unit: 'bytes/report',
      };
      rows.push(row, queuedRow);
      const median = row.summary.median;
      context.note(
        `memory: ${name}: ${result.lines} lines (${result.messages} messages, ${result.reports} distinct reports: ${(result.messages / result.tracks).toFixed(1)} per vessel, static data included) into a fresh core per run (${result.before.length} run${result.before.length === 1 ? '' : 's'}); ${result.tracks} tracks, ${result.pendingTimers} timers; ${formatNumber(median)} bytes/vessel once fused (target < 1 KB: ${median < TARGET_BYTES_PER_VESSEL ? 'met' : 'missed'}); before the watermark moved, ${formatNumber(queuedRow.summary.median)} bytes per distinct report waiting in the event-time queue and dedupe index (the core holds every report for the dedupe window plus the watermark's lag).`,
      );
    }
    context.note(
      'memory: V8 heap used after a full GC (--expose-gc), empty core subtracted: tracks, detector state, timers, indexes, coverage cells and stations; the zone index is built before and not counted.',
    );
    return rows;
  },
};
