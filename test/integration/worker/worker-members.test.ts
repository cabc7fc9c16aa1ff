import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockCluster } from '../../../src/embedded/mock-cluster.js';
import { BatchProducer } from '../../../src/io/kafka/batch-producer.js';
import { isHistoryPosition } from '../../../src/io/postgres/position-copy-writer.js';
import { createLogger } from '../../../src/util/logger.js';
import { startWorkerService, type WorkerService } from '../../../src/worker/worker-service.js';
import { RUN } from '../kafka/kafka-test-support.js';
import { replayInto, type Scenario, writeScenario } from '../postgres/scenario-run.js';
import { count, createTestDatabase, type TestDatabase } from '../postgres/test-database.js';
import {
  feedLines,
  produceScenario,
  testWorkerConfig,
  waitFor,
  zonesFile,
} from './worker-support.js';

const ids = (from: number, to: number): string[] =>
  Array.from({ length: to - from }, (_, i) => `m${String(from + i).padStart(2, '0')}`);
/** The coalition the worker starts with: 32 members, as many as a 32-bit mask held. */
const FIRST = ids(0, 32);
/** Members whose raw topics appear while the worker runs (issue 13: the 33rd stopped it). */
const LATER = ids(32, 40);

/**
 * `feeds` dealt out to `members`: member k takes every n-th line of feed k mod `feeds.length`
 * (n: how many members share that feed), so every member hears vessels, and a transmission in
 * two of the feeds is heard by two of these members.
 */
function dealOut(
  scenario: Scenario,
  members: readonly string[],
  feeds: readonly { path: string }[] = scenario.feeds,
): Scenario {
  const dir = dirname(scenario.feeds[0]!.path);
  const sources = feeds.map((feed) => feedLines(feed.path));
  const dealt = members.map((member, k) => {
    const f = k % sources.length;
    const sharing = members.filter((_, j) => j % sources.length === f).length;
    const share = Math.floor(k / sources.length);
    const lines = sources[f]!.filter((_, i) => i % sharing === share);
    const path = join(dir, `${member}.dealt.nmea`);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return { member, path };
  });
  return { ...scenario, feeds: dealt };
}

/** What `replay` makes of the feeds: each position report's members, each vessel's members. */
interface Replayed {
  /** Every distinct position report as `mmsi time hash` → its members, sorted and joined. */
  readonly positions: Map<string, string>;
  /** Every vessel's members, sorted and joined. */
  readonly vessels: Map<number, string>;
}

async function replayed(scenario: Scenario): Promise<Replayed> {
  const reports: { key: string; report: Parameters<typeof isHistoryPosition>[0] }[] = [];
  const core = await replayInto(scenario, () => ({
    output: {
      alert: () => {},
      report: (report) => {
        if (isHistoryPosition(report)) {
          reports.push({ key: `${report.mmsi} ${report.time} ${report.payloadHash | 0}`, report });
        }
      },
    },
  }));
  const names = (set: Parameters<typeof core.members.idsOf>[0]) =>
    core.members.idsOf(set).join(',');
  // Read once replay is over: a duplicate merged after the report was fused counts too.
  return {
    positions: new Map(reports.map(({ key, report }) => [key, names(report.sourceSet)])),
    vessels: new Map([...core.tracks].map(([mmsi, track]) => [mmsi, names(track.sourceSet)])),
  };
}

describe.skipIf(!RUN)('tidewatch run with a 33rd to 40th raw topic appearing (issue 13)', () => {
  let cluster: MockCluster;
  let db: TestDatabase;
  let first: Scenario;
  let later: Scenario;
  let expected: Replayed;
  let expectedFirst: number;

  beforeAll(async () => {
    // Two scenarios, the second after the first in event time: the new members' feeds are
    // live traffic, not a backlog behind the watermark. The new members share one simulated
    // feed, a line each: a metadata refresh can find their topics one at a time, and copies
    // of a transmission in two of them could then come late (fused apart, as they would be
    // live, but not replay's answer); with one feed there are none.
    first = dealOut(writeScenario(9, 5, 6, '2024-06-01T21:00:00Z', { intervalScale: 3 }), FIRST);
    const second = writeScenario(10, 5, 6, '2024-06-02T05:00:00Z', { intervalScale: 3 });
    later = dealOut(second, LATER, [second.feeds[0]!]);
    expectedFirst = (await replayed(first)).positions.size;
    expected = await replayed({
      ...first,
      feeds: [...first.feeds, ...later.feeds],
      remove: () => {},
    });
    cluster = await MockCluster.start();
    db = await createTestDatabase('worker_members');
  });

  afterAll(async () => {
    await db?.drop();
    await cluster?.close();
    first?.remove();
    later?.remove();
  });

  it('keeps running, and stores every member’s reports with their sources', async () => {
    const producer = await BatchProducer.connect({ bootstrapServers: cluster.bootstrapServers });
    let service: WorkerService | undefined;
    try {
      await produceScenario(producer, first, 200);
      // Subscribed by pattern (^ais\.raw\.), no member list: a new topic is a new member.
      // Each member's partition holds a thin share of a feed (a line per half minute), so the
      // median of its latest 255 times (ProgressClock) lags its end by about two hours; once
      // every partition is idle the worker still fuses everything, as replay does at the end of
      // its files: up to the end of each partition's run of latest times (Watermark.end), with
      // the default future tolerance of 10 min as the largest step.
      const config = testWorkerConfig(cluster.bootstrapServers, db.url, zonesFile(first), 'wm', {
        watermark: { idlePartitionSeconds: 1 },
      });
      service = await startWorkerService(config, createLogger({ level: 'warn' }));
      let failure: unknown;
      service.done.catch((error: unknown) => {
        failure = error;
      });
      const stored = () => count(db.pool, 'positions');
      const progress = async () =>
        `positions ${await stored()}/${expected.positions.size}, failure ${String(failure)}, worker ${JSON.stringify(service!.worker.summary())}`;
      await waitFor(async () => (await stored()) >= expectedFirst, 120_000, progress);
      expect(service.worker.core.members.size).toBe(32);

      // Eight more members' topics appear; the worker finds them at its next metadata refresh.
      // So does a topic the pattern matches that names no member (anyone able to create topics
      // could): its lines are dead letters, not a stop.
      const unnamed = feedLines(later.feeds[0]!.path).slice(0, 2);
      unnamed.push('this is not NMEA');
      producer.produce('ais.raw.', Buffer.from(`${unnamed.join('\n')}\n`, 'latin1'), 'x');
      await produceScenario(producer, later, 200);
      await waitFor(
        async () => failure !== undefined || (await stored()) >= expected.positions.size,
        120_000,
        progress,
      );
      expect(failure).toBeUndefined();
      expect(service.worker.live).toBe(true);
      expect(service.worker.core.members.size).toBe(40);
      const metrics = await (await fetch(`${service.health.url}/metrics`)).text();
      for (const member of [...FIRST, ...LATER]) {
        expect(metrics).toMatch(
          new RegExp(`tidewatch_messages_in_total\\{member="${member}"\\} [1-9]`),
        );
      }
      expect(metrics).toContain('tidewatch_lines_rejected_total{member="",reason="no_member"} 3\n');
    } finally {
      await producer.close();
      await service?.stop();
    }

    const { rows } = await db.pool.query<{ key: string; sources: string[] }>(
      `SELECT mmsi || ' ' || (extract(epoch FROM time) * 1000)::bigint || ' ' || payload_hash AS key,
              sources FROM positions`,
    );
    expect(rows.length).toBe(expected.positions.size);
    const wrong = rows.filter((row) => expected.positions.get(row.key) !== row.sources.join(','));
    expect(
      wrong
        .slice(0, 5)
        .map((row) => `${row.key}: ${row.sources} (replay ${expected.positions.get(row.key)})`),
    ).toEqual([]);
    const heard = new Set(rows.flatMap((row) => row.sources));
    expect([...heard].sort()).toEqual([...FIRST, ...LATER]);
    // Every vessel with the members of replay's track: the new members' sets are unions too.
    const vessels = await db.pool.query<{ mmsi: number; sources: string[] }>(
      'SELECT mmsi, sources FROM vessels',
    );
    expect(new Map(vessels.rows.map((row) => [row.mmsi, row.sources.join(',')]))).toEqual(
      expected.vessels,
    );
    expect([...expected.vessels.values()]).toContain(LATER.join(','));
  });
});
