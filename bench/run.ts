/**
 * Tidewatch's benchmark suite (issue 5): `npm run bench -- [--quick] [--json FILE]
 * [--compare FILE] [--only NAME[,NAME]] [--seed N]`. Prints a table (scenario, figure, spread,
 * baseline, ratio) with the machine and commit; fails only when a benchmark breaks, never on a
 * timing.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Benchmark, BenchReport, BenchRow } from './benchmark.js';
import { checkpointBenchmark } from './checkpoint.bench.js';
import { type Change, compareReports, parseReport } from './compare.js';
import { coreBenchmark } from './core.bench.js';
import { decodeBenchmark } from './decode.bench.js';
import { endToEndBenchmark } from './end-to-end.bench.js';
import { machineInfo } from './machine.js';
import { memoryBenchmark } from './memory.bench.js';
import { picturesBenchmark } from './pictures.bench.js';
import { replayBenchmark } from './replay.bench.js';
import { renderReport } from './table.js';
import { vesselIndexBenchmark } from './vessel-index.bench.js';
import { zonesBenchmark } from './zones.bench.js';

/** Every benchmark of the suite, in the order they run. */
const BENCHMARKS: readonly Benchmark[] = [
  decodeBenchmark,
  vesselIndexBenchmark,
  zonesBenchmark,
  coreBenchmark,
  replayBenchmark,
  memoryBenchmark,
  picturesBenchmark,
  checkpointBenchmark,
  endToEndBenchmark,
];

const USAGE = `Usage: npm run bench -- [options]

  --quick            small sizes and few runs (the whole suite in under a minute)
  --json FILE        also write the results as JSON
  --compare FILE     compare with an earlier --json result; changes worse than 10 % are marked
  --only NAME[,...]  run only these benchmarks (${BENCHMARKS.map((b) => b.name).join(', ')})
  --seed N           seed of the generated data (default 1)
  --help             this text

AIS_DATA_DIR (default ../shared/data) is the real data the decode mix is drawn from; without it
the mix is generated. gpsdecode (Debian gpsd-clients) is the decode baseline when installed.
end-to-end needs a Postgres server (DATABASE_URL, default postgresql://postgres@127.0.0.1:5432;
a fresh database per run, dropped after) and is skipped without one; it starts librdkafka's mock
cluster and tidewatch run in processes of their own (quick: ~1 min, full: ~5 min).`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'string' },
      compare: { type: 'string' },
      only: { type: 'string' },
      seed: { type: 'string', default: '1' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed: ${values.seed} is not an integer.`);
  const selected = select(values.only);
  const previous =
    values.compare === undefined
      ? undefined
      : parseReport(readFileSync(values.compare, 'utf8'), values.compare);

  const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const dataDir = resolve(projectRoot, process.env.AIS_DATA_DIR ?? '../shared/data');
  const tmpDir = mkdtempSync(join(tmpdir(), 'tidewatch-bench-'));
  const report: BenchReport = {
    version: 1,
    date: new Date().toISOString(),
    quick: values.quick,
    seed,
    machine: machineInfo(),
    rows: [],
    notes: [],
    failures: [],
  };
  if (!existsSync(dataDir)) report.notes.push(`${dataDir} not found: generated data only.`);
  const context = {
    quick: values.quick,
    seed,
    dataDir: existsSync(dataDir) ? dataDir : undefined,
    tmpDir,
    log: (message: string) => process.stderr.write(`[bench] ${message}\n`),
    note: (message: string) => void report.notes.push(message),
  };
  try {
    for (const benchmark of selected) {
      const started = Date.now();
      context.log(`${benchmark.name}: ${benchmark.description}`);
      try {
        const rows: BenchRow[] = await benchmark.run(context);
        report.rows.push(...rows);
      } catch (error) {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        report.failures.push({ benchmark: benchmark.name, error: message });
      }
      context.log(`${benchmark.name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }

  let changes: Map<string, Change> | undefined;
  if (previous !== undefined) {
    changes = compareReports(report.rows, previous);
    const regressions = [...changes.values()].filter((c) => c.regression).length;
    report.notes.push(
      `compared with ${values.compare} (commit ${previous.machine.commit}, ${previous.machine.cpuModel}): ${regressions} regression(s) over 10 %.`,
    );
  }
  console.log(renderReport(report, changes));
  if (values.json !== undefined) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
  // Timings never fail the suite (STYLE.md); a benchmark that breaks does.
  return report.failures.length > 0 ? 1 : 0;
}

function select(only: string | undefined): readonly Benchmark[] {
  if (only === undefined) return BENCHMARKS;
  const names = only.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `--only: no benchmark named ${unknown.join(', ')} (there are: ${BENCHMARKS.map((b) => b.name).join(', ')}).`,
    );
  }
  return BENCHMARKS.filter((b) => names.includes(b.name));
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    console.error(USAGE);
    process.exitCode = 2;
  },
);
