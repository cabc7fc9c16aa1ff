import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Producer } from 'node-rdkafka';
import { describe, expect, it } from 'vitest';
import { rawTopic } from '../../../src/io/kafka/raw-topic.js';
import { createLogger } from '../../../src/util/logger.js';
import { startWorkerService } from '../../../src/worker/worker-service.js';
import { RUN } from '../kafka/kafka-test-support.js';
import type { Scenario } from '../postgres/scenario-run.js';
import { count, createTestDatabase } from '../postgres/test-database.js';
import {
  expectEachReportOnce,
  expectExactlyOnce,
  feedLines,
  scenarioFixture,
  spawnWorker,
  storedPositions,
  testWorkerConfig,
  waitFor,
} from './worker-support.js';

const require = createRequire(import.meta.url);
const Kafka = require('node-rdkafka') as typeof import('node-rdkafka');

const PARTITIONS = 4;
const LINES_PER_MESSAGE = 40;

/**
 * A plain librdkafka producer that puts each member's feed round robin over the 4 partitions of
 * its topic (issue 16: how the defect was found), choosing the partition itself, not by key.
 */
class RoundRobinProducer {
  private readonly sent = new Map<string, number>();
  private produced = 0;
  private delivered = 0;

  private constructor(private readonly producer: Producer) {
    producer.on('delivery-report', () => this.delivered++);
    producer.setPollInterval(10);
  }

  static async connect(brokers: string): Promise<RoundRobinProducer> {
    const producer = new Kafka.Producer({ 'bootstrap.servers': brokers, dr_cb: true });
    await new Promise<void>((resolve, reject) => {
      producer.once('ready', () => resolve());
      producer.once('event.error', reject);
      producer.connect();
    });
    return new RoundRobinProducer(producer);
  }

  /** `lines` as one message, on the topic's next partition. */
  send(topic: string, lines: readonly string[]): void {
    const n = this.sent.get(topic) ?? 0;
    this.sent.set(topic, n + 1);
    this.producer.produce(topic, n % PARTITIONS, Buffer.from(`${lines.join('\n')}\n`, 'latin1'));
    this.produced++;
  }

  /** Resolves once every message sent so far is in Kafka. */
  delivery(): Promise<void> {
    return waitFor(
      () => this.delivered === this.produced,
      60_000,
      () => `delivered ${this.delivered}/${this.produced}`,
    );
  }

  async close(): Promise<void> {
    await this.delivery();
    await new Promise<void>((resolve) => this.producer.disconnect(() => resolve()));
  }
}

/** A member's feed and how much of it has been sent. */
interface FeedCursor {
  readonly topic: string;
  readonly lines: readonly string[];
  next: number;
}

function cursors(scenario: Scenario, prefix: string): Map<string, FeedCursor> {
  return new Map(
    scenario.feeds.map((feed) => [
      feed.member,
      { topic: rawTopic(feed.member, prefix), lines: feedLines(feed.path), next: 0 },
    ]),
  );
}

/** Sends up to `lines` lines of `feed` in messages of `perMessage` lines. */
function sendLines(producer: RoundRobinProducer, feed: FeedCursor, lines: number, perMessage = 40) {
  const end = Math.min(feed.lines.length, feed.next + lines);
  while (feed.next < end) {
    const to = Math.min(end, feed.next + perMessage);
    producer.send(feed.topic, feed.lines.slice(feed.next, to));
    feed.next = to;
  }
}

/** Sends what is left of every feed, the members taking turns a message each. */
function sendRest(producer: RoundRobinProducer, feeds: Iterable<FeedCursor>): void {
  const all = [...feeds];
  for (let more = true; more; ) {
    more = false;
    for (const feed of all) {
      if (feed.next >= feed.lines.length) continue;
      more = true;
      sendLines(producer, feed, LINES_PER_MESSAGE);
    }
  }
}

/** One sample of a metric of the worker's `/metrics` text, NaN when absent. */
function metric(text: string, sample: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? Number.NaN : Number(line.slice(sample.length + 1));
}

describe.skipIf(!RUN)('tidewatch run: feeds spread over partitions (issue 16)', () => {
  const fixture = scenarioFixture(16);

  it('stores every report when the group rebalances while the read-ahead limit holds partitions', async () => {
    // How the defect was found, made deterministic: a spawned `tidewatch run` with the default
    // watermark settings; member ca's backlog, round robin in 40-line messages, held by the
    // read-ahead limit behind member no's live feed; then member au's topic appears and the group
    // rebalances. librdkafka kept the held partitions paused through the new assignment, so they
    // never delivered nor reached their end, the watermark stayed where it was and the core kept
    // what it held (before the fix: positions stopped short, tidewatch_held_reports stayed put).
    const { cluster, scenario, expected, zones } = fixture;
    const db = await createTestDatabase('partitions_rebalance');
    const prefix = 'rr.';
    const configPath = join(dirname(zones), 'worker-partitions.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        zones: [zones],
        // 6 s (Kafka's minimum) makes the mock cluster's rebalance quicker than the default 10 s.
        kafka: { groupId: 'rr-rebalance', sessionTimeoutMs: 6000, rawTopicPrefix: prefix },
        metrics: { port: 0, host: '127.0.0.1' },
      }),
    );
    const feeds = cursors(scenario, prefix);
    const [ca, no, au] = ['ca', 'no', 'au'].map((member) => feeds.get(member)!);
    const producer = await RoundRobinProducer.connect(cluster.bootstrapServers);
    try {
      sendLines(producer, no!, PARTITIONS * LINES_PER_MESSAGE);
      sendLines(producer, ca!, ca!.lines.length);
      await producer.delivery();
      const worker = spawnWorker(configPath, cluster.bootstrapServers, db.url, 'info');
      let metricsUrl: string | undefined;
      await waitFor(
        () => {
          metricsUrl = /"metrics":"([^"]+)"/.exec(worker.log())?.[1];
          return metricsUrl !== undefined;
        },
        60_000,
        () => `no metrics URL in the worker's log:\n${worker.log()}`,
      );
      const metrics = async (): Promise<string> => (await fetch(metricsUrl!)).text();
      // no's feed goes on live, a line at a time (each partition hears within the idle time),
      // so its partitions stay active and the watermark stays hours behind ca's backlog.
      const live = async (until: () => Promise<boolean> | boolean, what: string) => {
        const deadline = Date.now() + 60_000;
        while (!(await until())) {
          if (Date.now() > deadline) throw new Error(`timed out: ${what}\n${worker.log()}`);
          sendLines(producer, no!, 1, 1);
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      };
      await live(
        async () =>
          metric(await metrics(), 'tidewatch_read_ahead_paused_partitions{member="ca"}') ===
          PARTITIONS,
        "ca's partitions held for read-ahead",
      );
      // A new member's topic: the pattern subscription picks it up and the group rebalances.
      sendLines(producer, au!, LINES_PER_MESSAGE);
      await live(
        () => worker.log().includes(`"${rawTopic('au', prefix)}[`),
        "the assignment with au's topic",
      );
      sendRest(producer, feeds.values());
      await producer.delivery();

      const state = async () => {
        const text = await metrics();
        return `positions ${await count(db.pool, 'positions')}/${expected.positions.size}, held reports ${metric(text, 'tidewatch_held_reports')}, watermark ${metric(text, 'tidewatch_event_time_watermark_seconds')}, ca read-ahead paused ${metric(text, 'tidewatch_read_ahead_paused_partitions{member="ca"}')}`;
      };
      await waitFor(
        async () => (await count(db.pool, 'positions')) >= expected.positions.size,
        60_000,
        state,
      );
      // Every partition idle: the core fuses what it holds.
      await waitFor(
        async () => metric(await metrics(), 'tidewatch_held_reports') === 0,
        30_000,
        state,
      );
      worker.child.kill('SIGTERM');
      expect(await worker.exit).toBe(0);
      // no and au partly arrived after the watermark had passed them (late reports are fused as
      // they come): each report once, its time within the dedupe window of replay's.
      expectEachReportOnce(await storedPositions(db), expected);
    } finally {
      await producer.close();
      await db.drop();
    }
  });

  it('stores every report, in-process worker, every feed produced round robin at once', async () => {
    const { cluster, scenario, expected, zones } = fixture;
    const db = await createTestDatabase('partitions');
    const prefix = 'rr-once.';
    const config = testWorkerConfig(cluster.bootstrapServers, db.url, zones, 'rr-once', {
      kafka: {
        brokers: cluster.bootstrapServers,
        groupId: 'rr-once',
        sessionTimeoutMs: 6000,
        rawTopicPrefix: prefix,
      },
    });
    const service = await startWorkerService(config, createLogger({ level: 'warn' }));
    const producer = await RoundRobinProducer.connect(cluster.bootstrapServers);
    try {
      sendRest(producer, cursors(scenario, prefix).values());
      await producer.delivery();
      await waitFor(
        async () => (await count(db.pool, 'positions')) >= expected.positions.size,
        120_000,
        async () =>
          `positions ${await count(db.pool, 'positions')}/${expected.positions.size}, queued ${service.worker.core.queuedReports}, worker ${JSON.stringify(service.worker.summary())}`,
      );
      await waitFor(
        () => service.worker.core.queuedReports === 0,
        30_000,
        () => `queued ${service.worker.core.queuedReports}`,
      );
    } finally {
      await producer.close();
      await service.stop();
    }
    try {
      expectExactlyOnce(await storedPositions(db), expected);
    } finally {
      await db.drop();
    }
  });
});
