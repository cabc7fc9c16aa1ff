import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CORE_CONFIG } from '../src/pipeline/core-config.js';
import { defaultDetectors } from '../src/pipeline/default-detectors.js';
import { replay } from '../src/pipeline/replay.js';
import { simulate } from '../src/sim/simulate.js';
import { parseZoneCollection } from '../src/zones/parse-zones.js';
import { ZoneIndex } from '../src/zones/zone-index.js';
import { type Benchmark, type BenchRow, compareWith } from './benchmark.js';
import { formatRatio } from './format.js';
import { gpsdecodeVersion, runGpsdecode } from './gpsdecode.js';
import { summarize } from './stats.js';
import { timeRuns } from './timing.js';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(PROJECT_ROOT, 'dist/cli/main.js');

function secondsRow(scenario: string, seconds: readonly number[]): BenchRow {
  return {
    benchmark: 'replay',
    scenario,
    unit: 's',
    higherIsBetter: false,
    summary: summarize(seconds),
  };
}

/** Newest modification time of the files under `dir`, ms. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** True when `dist/` was built after the last change under `src/`. */
function distIsFresh(): boolean {
  return existsSync(CLI) && statSync(CLI).mtimeMs >= newestMtime(join(PROJECT_ROOT, 'src'));
}

/**
 * Wall time of `tidewatch replay` over a simulated scenario (`simulate`, 6 h, 200 background
 * vessels and the injected events; quick: 40 vessels at half the report rate) — the built CLI in
 * its own process, and `replay()` in this one — against `gpsdecode -j` merely decoding the same
 * lines (the member feeds concatenated), in the same run.
 */
export const replayBenchmark: Benchmark = {
  name: 'replay',
  description: 'tidewatch replay wall time on a simulated scenario vs gpsdecode -j',
  async run(context) {
    const options = context.quick
      ? { seed: context.seed, hours: 6, vessels: 40, intervalScale: 2 }
      : { seed: context.seed, hours: 6, vessels: 200 };
    context.log(`replay: simulating ${options.vessels} vessels, ${options.hours} h`);
    const scenario = simulate(options);
    const dir = join(context.tmpDir, 'replay');
    mkdirSync(dir, { recursive: true });
    const feeds = scenario.feeds.map((feed) => ({
      member: feed.member,
      path: join(dir, `${feed.member}.nmea`),
    }));
    scenario.feeds.forEach((feed, i) => {
      writeFileSync(feeds[i]!.path, `${feed.lines.join('\n')}\n`, 'latin1');
    });
    const allLines = join(dir, 'all-feeds.nmea');
    writeFileSync(
      allLines,
      scenario.feeds.map((feed) => `${feed.lines.join('\n')}\n`).join(''),
      'latin1',
    );
    const zonesPath = join(dir, 'zones.geojson');
    writeFileSync(zonesPath, JSON.stringify(scenario.zones));
    const lines = scenario.summary.lines;
    const megabytes = statSync(allLines).size / 1e6;
    const timing = context.quick ? { warmupRuns: 1, runs: 3 } : { warmupRuns: 1, runs: 5 };
    // A process per run starts cold anyway, and the files are in the page cache already.
    const processTiming = { warmupRuns: 0, runs: timing.runs };
    const rows: BenchRow[] = [];

    // In this process: the same core and feed readers, no process start, no output files.
    const zones = new ZoneIndex(parseZoneCollection(scenario.zones, zonesPath).zones);
    let alertsInProcess = 0;
    context.log(`replay: replay() in process × ${timing.runs}`);
    const inProcess = secondsRow(
      'replay() in process',
      await timeRuns(async () => {
        const result = await replay({
          feeds,
          zones,
          config: DEFAULT_CORE_CONFIG,
          detectors: defaultDetectors(DEFAULT_CORE_CONFIG),
        });
        alertsInProcess = result.alerts.length;
      }, timing),
    );
    rows.push(inProcess);

    let cli: BenchRow | undefined;
    let alertsCli = 0;
    if (distIsFresh()) {
      const out = join(dir, 'out');
      const args = [CLI, 'replay', ...feeds.flatMap((f) => ['--feed', `${f.member}=${f.path}`])];
      args.push('--zones', zonesPath, '--out', out);
      context.log(`replay: node dist/cli/main.js replay × ${timing.runs}`);
      cli = secondsRow(
        'tidewatch replay (node dist/cli/main.js)',
        await timeRuns(() => {
          const result = spawnSync(process.execPath, args, {
            cwd: PROJECT_ROOT,
            stdio: ['ignore', 'ignore', 'pipe'],
          });
          if (result.error !== undefined) throw result.error;
          if (result.status !== 0) {
            throw new Error(`tidewatch replay exited with ${result.status}: ${result.stderr}`);
          }
        }, processTiming),
      );
      alertsCli = readFileSync(join(out, 'alerts.ndjson'), 'utf8')
        .split('\n')
        .filter(Boolean).length;
      rows.push(cli);
    } else {
      context.note(
        'replay: dist/ is older than src/ (run `npm run build`): the CLI process was not timed, only replay() in this process.',
      );
    }

    const version = gpsdecodeVersion();
    const described = `${lines} lines (${megabytes.toFixed(1)} MB) in ${feeds.length} feeds, ${scenario.summary.crossMemberDuplicates} messages heard by several members; seed ${options.seed}, ${options.vessels} background vessels, ${options.hours} h${context.quick ? ', half the report rate' : ''}`;
    if (version === undefined) {
      context.note(`replay: ${described}. gpsdecode not found (Debian gpsd-clients): no baseline.`);
      return rows;
    }
    context.log(`replay: gpsdecode -j × ${timing.runs}`);
    const gpsdecode = secondsRow(
      'gpsdecode -j (decode only)',
      await timeRuns(() => runGpsdecode(['-j'], allLines), processTiming),
    );
    rows.push(gpsdecode);
    compareWith(inProcess, gpsdecode);
    if (cli !== undefined) compareWith(cli, gpsdecode);
    const headline = cli ?? inProcess;
    context.note(
      `replay: ${described}. ${headline.scenario} ${headline.summary.median.toFixed(2)} s vs gpsdecode -j ${gpsdecode.summary.median.toFixed(2)} s on the same lines concatenated (${formatRatio(headline.ratio!)}; above ×1 replay is faster); ${version}, whole process, output to /dev/null. Alerts: ${alertsInProcess} in process${cli === undefined ? '' : `, ${alertsCli} from the CLI`}; the CLI also writes alerts, tracks and rejected lines to disk.`,
    );
    return rows;
  },
};
