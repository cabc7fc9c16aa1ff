import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, onTestFinished } from 'vitest';
import { StreamDecoder } from '../../../src/ais/stream-decoder.js';
import type { Alert } from '../../../src/detect/alert.js';
import { MockCluster } from '../../../src/embedded/mock-cluster.js';
import type { SourceSet } from '../../../src/fusion/member-registry.js';
import type { VesselTrack } from '../../../src/fusion/vessel-track.js';
import type { BatchProducer } from '../../../src/io/kafka/batch-producer.js';
import { rawTopic } from '../../../src/io/kafka/raw-topic.js';
import { isHistoryPosition } from '../../../src/io/postgres/position-copy-writer.js';
import { createLogger } from '../../../src/util/logger.js';
import { resolveWorkerConfig, type WorkerConfig } from '../../../src/worker/worker-config.js';
import { startWorkerService, type WorkerService } from '../../../src/worker/worker-service.js';
import { replayInto, type Scenario, writeScenario } from '../postgres/scenario-run.js';
import type { TestDatabase } from '../postgres/test-database.js';

/** What `replay` makes of a scenario: the worker must give the same. */
export interface Expected {
  /** Distinct position reports that become `positions` rows, as `mmsi time hash` keys. */
  positions: Set<string>;
  /** Final revision of every alert. */
  alerts: Map<string, Alert>;
  /** Final track of every vessel. */
  tracks: Map<number, VesselTrack>;
  members: (set: SourceSet) => readonly string[];
  /** Every rejected line as `member reason line`, sorted. */
  rejected: string[];
}

/** The lines a member's feed sends: the file's, then `extra`. */
export function feedLines(path: string, extra: readonly string[] = []): string[] {
  const lines = readFileSync(path, 'latin1')
    .split('\n')
    .filter((line) => line !== '');
  lines.push(...extra);
  return lines;
}

export async function expectedOf(
  scenario: Scenario,
  extraLines: Readonly<Record<string, readonly string[]>> = {},
): Promise<Expected> {
  const positions = new Set<string>();
  const alerts = new Map<string, Alert>();
  const core = await replayInto(scenario, () => ({
    output: {
      alert: (alert) => alerts.set(alert.id, alert),
      report: (report) => {
        if (isHistoryPosition(report))
          positions.add(`${report.mmsi} ${report.time} ${report.payloadHash | 0}`);
      },
    },
  }));
  const rejected: string[] = [];
  for (const feed of scenario.feeds) {
    const decoder = new StreamDecoder({
      requireTime: true,
      onReject: (reason, buf, start, end) =>
        rejected.push(
          `${feed.member} ${reason} ${Buffer.from(buf.subarray(start, end)).toString('latin1')}`,
        ),
    });
    for (const line of feedLines(feed.path, extraLines[feed.member])) {
      const bytes = Buffer.from(line, 'latin1');
      decoder.decodeLine(bytes, 0, bytes.length);
    }
  }
  return {
    rejected: rejected.sort(),
    positions,
    alerts,
    tracks: new Map(core.tracks),
    members: (set) => core.members.idsOf(set),
  };
}

/** What a worker test file shares: a simulated scenario, replay's result, its zones, a cluster. */
export interface ScenarioFixture {
  readonly scenario: Scenario;
  readonly expected: Expected;
  /** The scenario's zones file. */
  readonly zones: string;
  readonly cluster: MockCluster;
}

/**
 * Sets up a `ScenarioFixture` for the calling `describe` (simulate `seed`: 60 vessels, 8 h) before
 * its tests and removes it after them; its fields are there once the tests run.
 */
export function scenarioFixture(seed: number): ScenarioFixture {
  const fixture = {} as { -readonly [K in keyof ScenarioFixture]: ScenarioFixture[K] };
  beforeAll(async () => {
    fixture.scenario = writeScenario(seed, 60, 8);
    fixture.expected = await expectedOf(fixture.scenario);
    fixture.zones = zonesFile(fixture.scenario);
    fixture.cluster = await MockCluster.start();
  });
  afterAll(async () => {
    await fixture.cluster?.close();
    fixture.scenario?.remove();
  });
  return fixture;
}

/** Writes the scenario's zones next to its feeds (the worker reads zones from files). */
export function zonesFile(scenario: Scenario): string {
  const path = join(dirname(scenario.feeds[0]!.path), 'zones.geojson');
  writeFileSync(path, JSON.stringify(scenario.sim.zones));
  return path;
}

/**
 * Produces every member feed of a scenario to `<prefix><member>`, `linesPerMessage` NMEA lines
 * per Kafka message, keyed by member (one partition per feed keeps its order, as the feed
 * bridge does). Members take turns, a message each, so their event times stay level; with
 * `pauseMs`, the producer sleeps that long after every round of `roundMessages` messages (a feed
 * arriving over time rather than all at once); `share` produces that part of every feed. Returns the
 * number of Kafka messages.
 */
export async function produceScenario(
  producer: BatchProducer,
  scenario: Scenario,
  linesPerMessage = 200,
  extraLines: Readonly<Record<string, readonly string[]>> = {},
  topicPrefix = 'ais.raw.',
  pace: { roundMessages: number; pauseMs: number } | undefined = undefined,
  share: { from: number; to: number } = { from: 0, to: 1 },
): Promise<number> {
  const feeds = scenario.feeds.map((feed) => {
    const all = feedLines(feed.path, extraLines[feed.member]);
    return {
      member: feed.member,
      topic: rawTopic(feed.member, topicPrefix),
      // A share of each feed (by line count: a cut may split a two-part message, like a link
      // outage would; the decoder rejects the lone part as `fragment`).
      lines: all.slice(Math.round(all.length * share.from), Math.round(all.length * share.to)),
      next: 0,
    };
  });
  let messages = 0;
  for (let more = true; more; ) {
    more = false;
    for (const feed of feeds) {
      if (feed.next >= feed.lines.length) continue;
      more = true;
      const chunk = feed.lines.slice(feed.next, feed.next + linesPerMessage);
      feed.next += linesPerMessage;
      const value = Buffer.from(`${chunk.join('\n')}\n`, 'latin1');
      if (!producer.produce(feed.topic, value, feed.member)) await producer.whenWritable();
      messages++;
      if (pace !== undefined && messages % pace.roundMessages === 0) {
        await new Promise((resolve) => setTimeout(resolve, pace.pauseMs));
      }
    }
  }
  await producer.flush();
  return messages;
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** `tidewatch run` in its own process (it can be SIGKILLed), and what it logged. */
export interface WorkerChild {
  readonly child: ChildProcess;
  readonly exit: Promise<number | null>;
  /** Everything it wrote to stdout and stderr (JSON log lines). */
  readonly log: () => string;
}

/**
 * Starts `tidewatch run --config configPath` against the mock cluster and a test database (inside
 * a test: the process is killed when the test ends, if still running).
 */
export function spawnWorker(
  configPath: string,
  brokers: string,
  databaseUrl: string,
  logLevel = 'warn',
): WorkerChild {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'run', '--config', configPath],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        KAFKA_BROKERS: brokers,
        DATABASE_URL: databaseUrl,
        TIDEWATCH_LOG_LEVEL: logLevel,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  const collect = (chunk: Buffer): void => {
    log += chunk.toString();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  // A test that fails or times out must not leave its worker running (it would load the machine
  // and the next tests).
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, exit, log: () => log };
}

/** A worker configuration for tests: the mock cluster, a test database, quick idle detection. */
export function testWorkerConfig(
  brokers: string,
  databaseUrl: string,
  zones: string,
  groupId: string,
  overrides: Record<string, unknown> = {},
): WorkerConfig {
  return resolveWorkerConfig({
    zones: [zones],
    kafka: { brokers, groupId, sessionTimeoutMs: 6000 },
    postgres: { url: databaseUrl, postgis: 'auto' },
    metrics: { port: 0, host: '127.0.0.1' },
    watermark: { idlePartitionSeconds: 1 },
    ...overrides,
  });
}

/** Polls `check` until it returns true; throws `describe()` after `timeoutMs`. */
export async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  describe: () => Promise<string> | string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${await describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** `positions` as `mmsi time hash` keys, duplicates kept. */
export async function storedPositions(db: TestDatabase): Promise<string[]> {
  const { rows } = await db.pool.query<{ key: string }>(
    `SELECT mmsi || ' ' || (extract(epoch FROM time) * 1000)::bigint || ' ' || payload_hash AS key FROM positions`,
  );
  return rows.map((row) => row.key);
}

/** Every distinct report of `replay` is stored, each once, with replay's time. */
export function expectExactlyOnce(stored: readonly string[], expected: Expected): void {
  expect(stored.length).toBe(expected.positions.size);
  expect(new Set(stored)).toEqual(expected.positions);
}

/**
 * Every distinct report of `replay` is stored exactly once, its time within the dedupe window of
 * replay's. For input that arrived over time with faults in between: a copy of a transmission
 * that arrives after the report was fused (late: a partition idle, then back) leaves the report
 * with the copy it was fused with, so its time can be another copy's, as in any live run.
 */
export function expectEachReportOnce(
  stored: readonly string[],
  expected: Expected,
  windowMs = 30_000,
): void {
  const byTransmission = (keys: Iterable<string>) => {
    const groups = new Map<string, number[]>();
    for (const key of keys) {
      const [mmsi, time, hash] = key.split(' ');
      const id = `${mmsi} ${hash}`;
      let times = groups.get(id);
      if (times === undefined) {
        times = [];
        groups.set(id, times);
      }
      times.push(Number(time));
    }
    for (const times of groups.values()) times.sort((a, b) => a - b);
    return groups;
  };
  const want = byTransmission(expected.positions);
  const got = byTransmission(stored);
  const problems: string[] = [];
  for (const [id, times] of want) {
    const storedTimes = got.get(id) ?? [];
    const close =
      storedTimes.length === times.length &&
      times.every((time, i) => Math.abs(time - storedTimes[i]!) <= windowMs);
    if (!close) problems.push(`${id}: replay ${times.join(',')}, stored ${storedTimes.join(',')}`);
  }
  for (const id of got.keys()) if (!want.has(id)) problems.push(`${id}: stored, not in replay`);
  expect(problems.slice(0, 10)).toEqual([]);
  expect(stored.length).toBe(expected.positions.size);
}

/**
 * Waits until a worker run in this process has consumed, fused and put out all `produced`
 * messages held: no lag, nothing queued in a core, no batch waiting, both sinks drained.
 */
export async function settled(service: WorkerService, produced: number): Promise<void> {
  let quiet = 0;
  await waitFor(
    () => {
      const worker = service.worker;
      // An empty partition's lag is unknown (NaN): it holds nothing.
      const lag = worker
        .consumerLag()
        .reduce((sum, p) => sum + (Number.isFinite(p.messages) ? p.messages : 0), 0);
      const done =
        worker.cores.every((core) => core.queuedReports === 0) &&
        lag === 0 &&
        worker.summary().batchesWaiting === 0 &&
        worker.sinkQueueDepth().kafka === 0 &&
        worker.sinkQueueDepth().postgres === 0 &&
        worker.coreCounts().reports > 0 &&
        produced > 0;
      quiet = done ? quiet + 1 : 0;
      return quiet >= 8;
    },
    150_000,
    () =>
      JSON.stringify({
        summary: service.worker.summary(),
        cores: service.worker.cores.map((core) => [core.queuedReports, core.releasedUntil]),
        lag: service.worker.consumerLag(),
        depth: service.worker.sinkQueueDepth(),
      }),
  );
}

/** Runs a worker in this process on `config` until it has put out all it holds, then stops it. */
export async function runUntilSettled(config: WorkerConfig, produced: number): Promise<void> {
  const service = await startWorkerService(config, createLogger({ level: 'warn' }));
  try {
    await settled(service, produced);
  } finally {
    await service.stop();
  }
}
