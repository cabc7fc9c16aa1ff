import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { integerOption } from '../src/cli/number-option.js';
import { MockClusterProcess } from '../src/embedded/mock-cluster-process.js';
import { simulate } from '../src/sim/simulate.js';
import { createBenchDatabase } from './bench-database.js';
import { type CpuProfile, summarizeProfile } from './cpu-profile.js';
import { formatNumber } from './format.js';
import {
  cpuSeconds,
  peakResidentBytes,
  postgresCpuSince,
  readPostgresCpu,
  totalSeconds,
} from './process-cpu.js';
import { readHistogram } from './prometheus-text.js';
import { backlogMessages, countDecodable, produceBacklog } from './raw-feed-backlog.js';
import { WorkerProcess } from './worker-process.js';

const HELP = `Usage: npm run bench:profile-worker -- [options]

Runs the end-to-end benchmark's throughput backlog (a simulated 6 h scenario, 500 lines per
Kafka message, 4 partitions per member topic) through \`tidewatch run\` in its own process under
V8's CPU profiler, and prints reports/s, the cores the worker, Postgres (by kind of process, per
positions row) and the mock cluster used, the worker's peak RSS, and the functions with the most
self time. The .cpuprofile is kept (open it in Chrome DevTools or speedscope). Needs a Postgres
server (DATABASE_URL or postgresql://postgres@127.0.0.1:5432) unless --no-postgres. Runs from
src/ through tsx: do not edit src/ while it runs. Interleave runs of two trees to compare them
(this machine's speed varies by more than 10 % from one hour to the next).

Options:
  --vessels N      background vessels of the scenario (default 600, as the full benchmark)
  --seed N         simulation seed (default 1)
  --no-postgres    postgres.enabled: false (decode, core, Kafka outputs only)
  --top N          functions to print (default 30)
  --out DIR        where the .cpuprofile goes (default: a new directory under the OS temp dir)
  -h, --help       this text`;

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const PREFIX = 'profile.raw.';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      vessels: { type: 'string', default: '600' },
      seed: { type: 'string', default: '1' },
      'no-postgres': { type: 'boolean', default: false },
      top: { type: 'string', default: '30' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const vessels = integerOption('vessels', values.vessels, 1);
  const seed = integerOption('seed', values.seed);
  const top = integerOption('top', values.top, 1);
  const history = !values['no-postgres'];
  const out = values.out ?? mkdtempSync(join(tmpdir(), 'tidewatch-profile-'));
  const work = mkdtempSync(join(tmpdir(), 'tidewatch-profile-work-'));

  console.error(`simulating ${vessels} vessels, 6 h (seed ${seed})`);
  const scenario = simulate({ seed, vessels, hours: 6 });
  const reports = countDecodable(scenario.feeds);
  const messages = backlogMessages(scenario.feeds, PREFIX, 500, 4);
  const zones = join(work, 'zones.geojson');
  writeFileSync(zones, JSON.stringify(scenario.zones));
  const cluster = await MockClusterProcess.spawn();
  const db = await createBenchDatabase();
  let worker: WorkerProcess | undefined;
  try {
    console.error(`producing ${messages.length} Kafka messages (${reports} AIS messages)`);
    await produceBacklog(cluster.bootstrapServers, messages);
    worker = await WorkerProcess.start({
      config: {
        zones: [zones],
        kafka: {
          groupId: 'profile',
          rawTopicPrefix: PREFIX,
          topics: {
            fused: 'profile.tracks',
            alerts: 'profile.alerts',
            rejected: 'profile.rejected',
          },
          sessionTimeoutMs: 6000,
        },
        postgres: { postgis: 'auto', enabled: history },
        watermark: { idlePartitionSeconds: 0 },
      },
      configPath: join(work, 'worker.json'),
      brokers: cluster.bootstrapServers,
      databaseUrl: db.url,
      nodeArgs: ['--cpu-prof', '--cpu-prof-dir', out, '--cpu-prof-interval', '500'],
    });
    await worker.waitReady(60_000);
    const cpuBefore = {
      worker: cpuSeconds([worker.pid]),
      postgres: readPostgresCpu(),
      kafka: cpuSeconds([cluster.pid]),
    };
    const started = performance.now();
    for (;;) {
      const text = await worker.scrape();
      // One observation per Kafka message whose offset was stored (see end-to-end.bench.ts).
      if (readHistogram(text, 'tidewatch_output_latency_seconds').count >= messages.length) break;
      await sleep(100);
    }
    const seconds = (performance.now() - started) / 1000;
    const postgresCpu = postgresCpuSince(cpuBefore.postgres);
    const cores = {
      worker: (cpuSeconds([worker.pid]) - cpuBefore.worker) / seconds,
      postgres: totalSeconds(postgresCpu) / seconds,
      kafka: (cpuSeconds([cluster.pid]) - cpuBefore.kafka) / seconds,
    };
    const peakRss = peakResidentBytes(worker.pid) ?? Number.NaN;
    const code = await worker.stop(60_000);
    if (code !== 0) throw new Error(`tidewatch run exited with ${code}${worker.tail()}`);
    const rows = history ? await db.count('positions') : 0;
    const file = readdirSync(out).find((name) => name.endsWith('.cpuprofile'));
    if (file === undefined) throw new Error(`no .cpuprofile written to ${out}`);
    const profile = JSON.parse(readFileSync(join(out, file), 'utf8')) as CpuProfile;
    console.log(
      `${formatNumber(reports / seconds)} reports/s (${reports} in ${seconds.toFixed(1)} s, ${history ? 'Kafka + Postgres' : 'Kafka only'}); cores used meanwhile: worker ${cores.worker.toFixed(2)}, Postgres ${cores.postgres.toFixed(2)}${history ? ` (${rows} positions rows, ${formatNumber((cores.postgres * seconds * 1e6) / rows)} µs of Postgres CPU per row)` : ''}, mock cluster ${cores.kafka.toFixed(2)}; worker peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
    );
    if (history) {
      const kinds = [...postgresCpu].sort((a, b) => b[1] - a[1]);
      console.log(
        `Postgres CPU by process: ${kinds.map(([kind, cpu]) => `${kind} ${formatNumber((cpu * 1e6) / rows)} µs/row`).join(', ')}`,
      );
    }
    console.log('the worker process (start-up and shutdown included) by self time:');
    for (const row of summarizeProfile(profile, { top, root: ROOT })) {
      console.log(`${row.selfPercent.toFixed(1).padStart(5)} %  ${row.function}`);
    }
    console.log(`profile: ${join(out, file)}`);
  } finally {
    await worker?.stop(5000);
    await db.drop();
    await cluster.close();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exitCode = 1;
});
