import { type Benchmark, type BenchRow, compareWith } from './benchmark.js';
import { runBenchChild } from './child.js';
import { formatNumber } from './format.js';
import type { PicturesScenarioInput, PicturesScenarioResult } from './pictures-scenario.js';
import { summarize } from './stats.js';

/** Issue 13's goal: 4 distinct pictures cost at most twice one picture's time per report. */
const GOAL_PICTURES = 4;
const GOAL_TIME_RATIO = 2;
/** `replay` moves the watermark after each 1 MiB chunk (about 14 000 of these lines). */
const ADVANCE_EVERY_LINES = 8192;

function label(pictures: number): string {
  return pictures === 0
    ? 'plain core (no coalition)'
    : `${pictures} distinct picture${pictures === 1 ? '' : 's'}`;
}

/**
 * `replay --coalition`'s core (issue 13): input messages per second through a PictureSet of 1, 2,
 * 4 and 8 distinct pictures — every one seeing nearly all the traffic, the worst case — against
 * the plain FusionCore in the same process, on the same seeded fleet decoded beforehand (decode
 * is done once whatever the number of pictures, so it is left out); and the heap each picture
 * holds. One `node --expose-gc` child (`pictures-scenario.ts`).
 */
export const picturesBenchmark: Benchmark = {
  name: 'pictures',
  description:
    'replay --coalition core: messages/s with 1, 2, 4, 8 distinct pictures, heap per picture',
  async run(context) {
    const input: PicturesScenarioInput = {
      vessels: context.quick ? 5_000 : 20_000,
      seed: context.seed,
      pictureCounts: [0, 1, 2, 4, 8],
      segmentLines: context.quick ? 30_000 : 100_000,
      runs: context.quick ? 3 : 5,
      warmupSeconds: context.quick ? 40 : 90,
      advanceEveryLines: ADVANCE_EVERY_LINES,
    };
    context.log(
      `pictures: ${input.vessels} vessels, pictures ${input.pictureCounts.join(', ')} (own process)`,
    );
    const result = await runBenchChild<PicturesScenarioResult>('pictures-scenario.ts', input, [
      '--expose-gc',
      '--max-old-space-size=8192',
    ]);
    const rows: BenchRow[] = [];
    const rowOf = new Map<number, BenchRow>();
    for (const path of result.paths) {
      const row: BenchRow = {
        benchmark: 'pictures',
        scenario: `${result.vessels / 1000} k vessels: ${label(path.pictures)}`,
        unit: 'messages/s',
        higherIsBetter: true,
        summary: summarize(path.messagesPerSecond),
      };
      rowOf.set(path.pictures, row);
      rows.push(row);
    }
    const plain = rowOf.get(0)!;
    for (const [pictures, row] of rowOf) if (pictures > 0) compareWith(row, plain);
    const one = rowOf.get(1)!.summary.median;
    const costs = result.paths
      .filter((p) => p.pictures > 0)
      .map((p) => `${p.pictures}: ${(one / rowOf.get(p.pictures)!.summary.median).toFixed(2)}×`)
      .join(', ');
    const memory = result.paths
      .map((p) => {
        const perPicture = p.pictures === 0 ? p.heapBytes : p.heapBytes / p.pictures;
        return `${label(p.pictures)} ${formatNumber(p.heapBytes / 2 ** 20)} MiB (${formatNumber(perPicture / 2 ** 20)} MiB per picture, ${formatNumber(perPicture / p.tracks)} bytes per vessel per picture)`;
      })
      .join('; ');
    const goal = one / rowOf.get(GOAL_PICTURES)!.summary.median;
    const fused = result.paths
      .map((p) => `${label(p.pictures)} ${p.fusedPerMessage.toFixed(2)}`)
      .join(', ');
    context.note(
      `pictures: ${formatNumber(result.messagesPerSegment)} messages per timed segment, ${result.paths[0]!.tracks} live vessels; time per input message relative to 1 picture — ${costs}. Goal (issue 13): 4 distinct pictures at most ${GOAL_TIME_RATIO}× one picture's time: ${goal <= GOAL_TIME_RATIO ? 'met' : 'missed'} (${goal.toFixed(2)}×) in this worst case, where every picture fuses nearly all the traffic. Reports fused over all pictures per input message: ${fused}.`,
    );
    context.note(
      `pictures: heap held after a full GC, the fleet and its decoded input excluded: ${memory}.`,
    );
    return rows;
  },
};
