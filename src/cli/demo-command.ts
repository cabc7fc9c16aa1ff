import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import type { Alert } from '../detect/alert.js';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../embedded/embedded-postgres.js';
import { MockCluster } from '../embedded/mock-cluster.js';
import { PacedPlayer } from '../feed/paced-player.js';
import { BatchProducer } from '../io/kafka/batch-producer.js';
import { CheckpointStore } from '../io/postgres/checkpoint-store.js';
import { createPostgresPool } from '../io/postgres/postgres-pool.js';
import type { PictureService } from '../serve/picture-service.js';
import { SIMULATE_DEFAULTS, simulate } from '../sim/simulate.js';
import { createLogger, type Logger } from '../util/logger.js';
import { resolveWorkerConfig } from '../worker/worker-config.js';
import { startWorkerService, type WorkerService } from '../worker/worker-service.js';
import { MemberAlertBoard } from './member-alert-board.js';
import { integerOption, portOption, positiveNumberOption } from './number-option.js';
import { startDemoPicture } from './serve-command.js';

export interface DemoOptions {
  speed: string;
  vessels: string;
  hours: string;
  seed: string;
  metricsPort: string;
  dataDir: string;
  coalition: string;
  exitWhenDone?: boolean;
}

/** The demo's coalition: three sovereign members and a port authority (docs/coalition.md). */
export const DEMO_COALITION = fileURLToPath(
  new URL('../../config/coalition.demo.yaml', import.meta.url),
);

/** `tidewatch demo` (`npm start`): the whole pipeline on embedded Kafka and Postgres (issue 4). */
export function demoCommand(): Command {
  return new Command('demo')
    .description(
      'The whole pipeline on one machine with nothing installed: an embedded Kafka (librdkafka ' +
        'mock cluster), an embedded Postgres (unless DATABASE_URL is set), simulated member feeds ' +
        'played into Kafka, and the streaming worker. This is `npm start`.',
    )
    .option('--speed <x>', 'event seconds per wall second the feeds are played at', '60')
    .option('--vessels <n>', 'simulated background vessels', String(SIMULATE_DEFAULTS.vessels))
    .option('--hours <h>', 'simulated hours (at least 6: the injected events span them)', '6')
    .option('--seed <n>', 'simulation seed', '1')
    .option('--metrics-port <port>', 'port of /metrics, /livez, /readyz (0: any free one)', '9464')
    .option('--data-dir <dir>', 'where the embedded Postgres keeps its cluster', '.tidewatch')
    .option(
      '--coalition <file>',
      "coalition policy (docs/coalition.md); 'none': one picture for everyone",
      DEMO_COALITION,
    )
    .option('--exit-when-done', 'stop once the feeds are played and the worker has caught up')
    .addHelpText(
      'after',
      `
What runs (all in this process, except Postgres):
  Kafka      librdkafka's mock cluster: the real Kafka protocol on a loopback port
  Postgres   DATABASE_URL when set, otherwise embedded-postgres in <data-dir>/postgres
             (kept between runs; the connection string is printed)
  feeds      \`tidewatch simulate\` traffic of members ca, no, au, stamped from now and
             played into ais.raw.<member> at --speed times real time
  worker     \`tidewatch run --coalition\`: each member's picture on alerts.<member> and
             tracks.fused.<member>; every 10 s, and at the end, each member's alert counts by
             kind side by side, read from its alerts topic (what its operations centre sees).
             The default coalition is config/coalition.demo.yaml: ca, no, au release to
             different partners and keep some zones to themselves; ca-kb, a port authority
             under Canada, receives only what happens in its area. With --coalition none: one
             picture, alerts printed as they happen.

Ctrl-C stops everything cleanly (the worker flushes and commits first).

Examples:
  npm start
  npm start -- --speed 600 --exit-when-done
  npm start -- --coalition my-coalition.yaml`,
    )
    .action(async (options: DemoOptions) => {
      process.exitCode = await runDemo(options);
    });
}

async function runDemo(options: DemoOptions): Promise<number> {
  // A bad option throws before anything starts: main.ts prints it and exits 2.
  const speed = positiveNumberOption('speed', options.speed);
  const vessels = integerOption('vessels', options.vessels, 1);
  const hours = positiveNumberOption('hours', options.hours);
  const seed = integerOption('seed', options.seed);
  const metricsPort = portOption('metrics-port', options.metricsPort);
  const log = createLogger({ name: 'tidewatch', level: process.env.TIDEWATCH_LOG_LEVEL || 'warn' });
  const say = (text: string): void => {
    process.stdout.write(`${text}\n`);
  };
  const stopping = new AbortController();
  const onSignal = (): void => {
    if (stopping.signal.aborted) process.exit(130);
    say('\nstopping: the worker flushes and commits, then everything closes (Ctrl-C again: now)');
    stopping.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let cluster: MockCluster | undefined;
  let postgres: EmbeddedPostgres | undefined;
  let producer: BatchProducer | undefined;
  let service: WorkerService | undefined;
  let picture: PictureService | undefined;
  let board: MemberAlertBoard | undefined;
  try {
    say('Tidewatch demo: embedded Kafka, Postgres, simulated members, the worker');
    cluster = await MockCluster.start();
    say(`  Kafka     ${cluster.bootstrapServers} (librdkafka mock cluster)`);
    let databaseUrl = process.env.DATABASE_URL;
    if (databaseUrl === undefined) {
      say('  Postgres  starting embedded-postgres (the first start runs initdb: a few seconds)');
      postgres = await startEmbeddedPostgres({
        dataDir: join(resolve(options.dataDir), 'postgres'),
        log,
      });
      databaseUrl = postgres.url;
    }
    say(`  Postgres  psql "${databaseUrl}"`);

    // The scenario starts now, so event time follows the wall clock at --speed.
    const startMs = Math.floor(Date.now() / 1000) * 1000;
    const sim = simulate({ seed, vessels, hours, start: startMs });
    const demoDir = join(resolve(options.dataDir), 'demo');
    mkdirSync(demoDir, { recursive: true });
    const zonesPath = join(demoDir, 'zones.geojson');
    writeFileSync(zonesPath, JSON.stringify(sim.zones));
    say(
      `  feeds     ${sim.summary.members.join(', ')}: ${sim.summary.lines.toLocaleString('en')} lines, ${hours} h of traffic at ${speed}x (${sim.labels.length} labelled events)`,
    );

    producer = await BatchProducer.connect({ bootstrapServers: cluster.bootstrapServers });
    const player = new PacedPlayer(producer, sim.feeds, { speed });
    // The topics exist before the worker subscribes (a pattern subscription sees them at once).
    const playing = player.run(stopping.signal);

    const coalitionPath = options.coalition === 'none' ? undefined : options.coalition;
    const config = resolveWorkerConfig({
      zones: [zonesPath],
      coalition: coalitionPath,
      kafka: { brokers: cluster.bootstrapServers, groupId: 'tidewatch-demo' },
      postgres: { url: databaseUrl },
      metrics: { port: metricsPort, host: '127.0.0.1' },
      watermark: { idlePartitionSeconds: 5 },
    });
    const counts = new Map<string, number>();
    const onAlert = (alert: Alert): void => {
      // With a coalition the same event is raised in several pictures: the board counts them.
      if (alert.revision !== 1 || coalitionPath !== undefined) return;
      counts.set(alert.kind, (counts.get(alert.kind) ?? 0) + 1);
      const other = alert.otherMmsi === undefined ? '' : ` with ${alert.otherMmsi}`;
      const zone = alert.zoneId === undefined ? '' : ` zone ${alert.zoneId}`;
      say(
        `  ALERT ${new Date(alert.start).toISOString().slice(11, 19)} ${alert.kind} MMSI ${alert.mmsi}${other}${zone} at ${alert.lat.toFixed(3)},${alert.lon.toFixed(3)} (heard by ${alert.sources.join(',')})`,
      );
    };
    if (await discardCheckpoint(databaseUrl, config.kafka.groupId, log)) {
      say(
        "  state     the previous demo run's checkpoint is discarded (its embedded Kafka is gone)",
      );
    }
    service = await startWorkerService(config, log, onAlert);
    say(`  metrics   ${service.health.url}/metrics   (/livez, /readyz)`);
    const worker = service.worker;
    if (coalitionPath !== undefined) {
      const topics = new Map<string, string>();
      for (const member of worker.coalitionMembers) {
        topics.set(member, `${config.kafka.topics.alerts}.${member}`);
      }
      board = await MemberAlertBoard.start({
        bootstrapServers: cluster.bootstrapServers,
        topics,
        groupPrefix: 'tidewatch-demo-board-',
      });
      say(
        `  coalition ${coalitionPath} (policy ${worker.policyVersion}): ${worker.cores.length} pictures for ${topics.size} members`,
      );
    }
    picture = await startDemoPicture(
      { bootstrapServers: cluster.bootstrapServers, databaseUrl, zonesPath, coalitionPath },
      log,
      say,
    );
    say('  Ctrl-C to stop\n');

    const status = setInterval(() => {
      const s = service!.worker.summary();
      const p = player.progress();
      say(
        `  [${new Date(p.eventTimeMs).toISOString().slice(11, 19)} sim] ${p.lines.toLocaleString('en')} lines in, ${s.reports!.toLocaleString('en')} reports fused, ${s.vessels} vessels, ${s.positionsWritten!.toLocaleString('en')} positions stored${board === undefined ? `, alerts ${formatCounts(counts)}` : ''}`,
      );
      if (board !== undefined) say(board.table());
    }, 10_000);
    status.unref();
    try {
      await Promise.race([service.done, playing]);
      if (!stopping.signal.aborted) {
        await playing;
        say('  feeds played to the end');
        if (options.exitWhenDone === true) {
          await waitForCatchUp(service, stopping.signal);
        } else {
          say('  the worker keeps running; Ctrl-C to stop');
          await Promise.race([
            service.done,
            new Promise((done) => stopping.signal.addEventListener('abort', done)),
          ]);
        }
      }
    } finally {
      clearInterval(status);
    }
    await service.stop();
    const summary = service.worker.summary();
    say(
      `\nDone: ${summary.reports!.toLocaleString('en')} reports fused, ${summary.positionsWritten!.toLocaleString('en')} positions stored, ${summary.deadLetters} lines dead-lettered${board === undefined ? `, alerts ${formatCounts(counts)}` : ''}`,
    );
    if (board !== undefined) {
      // What reached each member's topic, read to its end.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      say(`Alerts each member received (alerts.<member>, distinct alerts):\n${board.table()}`);
    }
    say(`History: psql "${databaseUrl}" (see docs/analyst-queries.md)`);
    return 0;
  } catch (error) {
    say(`demo failed: ${(error as Error).message}`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await picture?.stop().catch(() => {});
    await service?.stop().catch(() => {});
    await board?.close();
    await producer?.close(1000).catch(() => {});
    await cluster?.close();
    await postgres?.stop();
  }
}

/** Waits until the worker has written everything it read (the demo's `--exit-when-done`). */
async function waitForCatchUp(service: WorkerService, signal: AbortSignal): Promise<void> {
  let quietRounds = 0;
  let last = -1;
  while (!signal.aborted && quietRounds < 6) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const s = service.worker.summary();
    const depth = service.worker.sinkQueueDepth();
    const settled = s.batchesWaiting === 0 && depth.postgres === 0 && depth.kafka === 0;
    quietRounds = settled && s.positionsWritten === last ? quietRounds + 1 : 0;
    last = s.positionsWritten!;
  }
}

function formatCounts(counts: ReadonlyMap<string, number>): string {
  if (counts.size === 0) return 'none yet';
  return [...counts].map(([kind, n]) => `${kind} ${n}`).join(', ');
}

/** Deletes the group's state checkpoint: it belongs to a previous run's embedded Kafka. */
async function discardCheckpoint(
  databaseUrl: string,
  groupId: string,
  log: Logger,
): Promise<boolean> {
  const pool = createPostgresPool({ databaseUrl, log });
  try {
    return await new CheckpointStore(pool).clear(groupId);
  } finally {
    await pool.end();
  }
}
