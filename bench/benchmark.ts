import type { MachineInfo } from './machine.js';
import { type Summary, summarize } from './stats.js';

/** One benchmark of the suite (`bench/*.bench.ts`), registered in `bench/run.ts`. */
export interface Benchmark {
  /** Short name for `--only` and the table: `decode`, `core`, `zones`, ... */
  readonly name: string;
  readonly description: string;
  run(context: BenchContext): Promise<BenchRow[]>;
}

export interface BenchContext {
  /** Small sizes and few runs: the whole suite in under a minute (CI). */
  readonly quick: boolean;
  /** Seed of every generated data set. */
  readonly seed: number;
  /** The shared real data (`AIS_DATA_DIR`, default `../shared/data`), or undefined when absent. */
  readonly dataDir: string | undefined;
  /** A temporary directory of this run, removed at the end. */
  readonly tmpDir: string;
  /** Progress, on stderr. */
  log(message: string): void;
  /** A remark printed under the table and kept in the JSON (data used, skipped parts, ...). */
  note(message: string): void;
}

/** One line of the table: a measured figure, optionally against a baseline of the same run. */
export interface BenchRow {
  benchmark: string;
  scenario: string;
  /** Unit of the figure: `sentences/s`, `µs/op`, `bytes/vessel`, ... */
  unit: string;
  higherIsBetter: boolean;
  summary: Summary;
  /** Scenario of the same benchmark this one is compared with (gpsdecode, the naive baseline). */
  baseline?: string;
  baselineMedian?: number;
  /** Ours against the baseline, > 1 when ours is better (faster, smaller). */
  ratio?: number;
}

/** The suite's output, also written by `--json` and read by `--compare`. */
export interface BenchReport {
  version: 1;
  date: string;
  quick: boolean;
  seed: number;
  machine: MachineInfo;
  rows: BenchRow[];
  notes: string[];
  /** Benchmarks that threw: the only thing that makes `npm run bench` fail. */
  failures: { benchmark: string; error: string }[];
}

/** A throughput row: `work` units done per run, `seconds` per measured run. */
export function rateRow(
  benchmark: string,
  scenario: string,
  unit: string,
  work: number,
  seconds: readonly number[],
): BenchRow {
  return {
    benchmark,
    scenario,
    unit,
    higherIsBetter: true,
    summary: summarize(seconds.map((s) => work / s)),
  };
}

/** Sets `row`'s baseline and the ratio of the medians, in the better direction. */
export function compareWith(row: BenchRow, baseline: BenchRow): BenchRow {
  const ours = row.summary.median;
  const theirs = baseline.summary.median;
  row.baseline = baseline.scenario;
  row.baselineMedian = theirs;
  row.ratio = row.higherIsBetter ? ours / theirs : theirs / ours;
  return row;
}
