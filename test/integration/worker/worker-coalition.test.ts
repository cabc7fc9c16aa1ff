import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockCluster } from '../../../src/embedded/mock-cluster.js';
import { BatchProducer } from '../../../src/io/kafka/batch-producer.js';
import { createLogger } from '../../../src/util/logger.js';
import { startWorkerService, type WorkerService } from '../../../src/worker/worker-service.js';
import { RUN } from '../kafka/kafka-test-support.js';
import { type Scenario, writeScenario } from '../postgres/scenario-run.js';
import { count, createMigratedDatabase } from '../postgres/test-database.js';
import {
  expectMemberRows,
  plainViews,
  readMemberTopics,
  replayedMembers,
} from './member-topics.js';
import {
  feedLines,
  produceScenario,
  runUntilSettled,
  settled,
  spawnWorker,
  testWorkerConfig,
  waitFor,
  zonesFile,
} from './worker-support.js';

/**
 * The demo's policy (config/coalition.demo.yaml): three sovereign members whose `to` lists and
 * `inside` rules give each a different picture, and a sub-national member (no feed of its own)
 * that sees what its parent and Norway release to it, inside its area. The simulated zones make
 * eez-1 private to ca, no, au and restricted-1 private to ca.
 */
const COALITION = fileURLToPath(new URL('../../../config/coalition.demo.yaml', import.meta.url));
const MEMBERS = ['au', 'ca', 'ca-kb', 'no'];
/** A raw topic of a member the coalition file does not know. */
const STRANGER = 'zz';

describe.skipIf(!RUN)('tidewatch run with a coalition (issue 13, DESIGN.md §6)', () => {
  let cluster: MockCluster;
  let scenario: Scenario;
  let zones: string;
  let expected: Awaited<ReturnType<typeof replayedMembers>>;
  let strangerLines: string[];
  /** Kafka messages of the scenario's feeds (on ais.raw.<member>). */
  let produced: number;

  beforeAll(async () => {
    scenario = writeScenario(41, 60, 8);
    zones = zonesFile(scenario);
    expected = await replayedMembers(scenario, COALITION);
    cluster = await MockCluster.start();
    const producer = await BatchProducer.connect({ bootstrapServers: cluster.bootstrapServers });
    try {
      produced = await produceScenario(producer, scenario, 200);
      strangerLines = feedLines(scenario.feeds[0]!.path).slice(0, 40);
      producer.produce(
        `ais.raw.${STRANGER}`,
        Buffer.from(`${strangerLines.join('\n')}\n`, 'latin1'),
        STRANGER,
      );
      await producer.flush();
    } finally {
      await producer.close();
    }
  });

  afterAll(async () => {
    await cluster?.close();
    scenario?.remove();
  });

  it("publishes each member exactly its replay --coalition picture; an unknown member's lines are dead letters", async () => {
    // The replay differs between members, or the comparison below would prove little.
    const replayed = plainViews(expected.members);
    expect(new Set(MEMBERS.map((m) => JSON.stringify(replayed[m]))).size).toBe(MEMBERS.length);
    for (const member of ['au', 'ca', 'no']) {
      expect(expected.members.get(member)!.alerts.length).toBeGreaterThan(3);
    }
    expect(expected.members.get('ca-kb')!.tracks.size).toBeGreaterThan(10);
    expect(expected.members.get('ca-kb')!.alerts.length).toBeGreaterThan(0);

    let service: WorkerService | undefined;
    try {
      const config = testWorkerConfig(cluster.bootstrapServers, '', zones, 'wc', {
        coalition: COALITION,
        postgres: { enabled: false },
        checkpoint: { enabled: false },
        // Fewer track messages (a vessel's last one still carries its final state).
        output: { trackIntervalSeconds: 600 },
      });
      service = await startWorkerService(config, createLogger({ level: 'warn' }));
      await settled(service, produced);
      expect(service.worker.live).toBe(true);
      const metrics = await (await fetch(`${service.health.url}/metrics`)).text();
      expect(metrics).toContain(
        `tidewatch_lines_rejected_total{member="${STRANGER}",reason="unknown_member"} ${strangerLines.length}\n`,
      );
      // Memory gauges count every picture's vessels, not the first picture's only.
      const cores = service.worker.cores;
      expect(cores.length).toBeGreaterThan(1);
      const live = Number(/^tidewatch_live_vessels (\d+)$/m.exec(metrics)?.[1]);
      expect(live).toBe(cores.reduce((vessels, core) => vessels + core.tracks.size, 0));
      expect(live).toBeGreaterThan(cores[0]!.tracks.size);
    } finally {
      await service?.stop();
    }

    const read = await readMemberTopics(
      cluster,
      MEMBERS,
      { fused: 'tracks.fused', alerts: 'alerts', rejected: 'ais.rejected' },
      'wc-reader',
    );
    expect(read.plainMessages, 'nothing on the coalition-less topics').toBe(0);
    expect([...read.versions]).toEqual([expected.version]);
    expect(plainViews(read.members)).toEqual(replayed);
    const stranger = read.rejected.filter((letter) => letter.member === STRANGER);
    expect(stranger.map((letter) => `${letter.reason} ${letter.line}`)).toEqual(
      strangerLines.map((line) => `unknown_member ${line}`),
    );
    expect(stranger.every((letter) => letter.topic === `ais.raw.${STRANGER}`)).toBe(true);
  });

  it('withdraws what leaves an area: a port authority watching its port and a marine park', async () => {
    // Everyone releases everything (no modules, no release rules); ca-kb's area is small, and
    // vessels enter and leave it.
    const example = join(dirname(zones), 'coalition-open.yaml');
    writeFileSync(
      example,
      [
        'members:',
        '  ca: { name: Canada }',
        '  no: { name: Norway }',
        '  au: { name: Australia }',
        '  ca-kb: { name: Kestrel Bay Port Authority, parent: ca, voting: false, area: [port-1, mpa-1] }',
      ].join('\n'),
    );
    const want = await replayedMembers(scenario, example);
    const topics = { fused: 'ex.tracks', alerts: 'ex.alerts', rejected: 'ex.rejected' };
    const config = testWorkerConfig(cluster.bootstrapServers, '', zones, 'wc-example', {
      coalition: example,
      kafka: { brokers: cluster.bootstrapServers, groupId: 'wc-example', topics },
      postgres: { enabled: false },
      checkpoint: { enabled: false },
      output: { trackIntervalSeconds: 600 },
    });
    await runUntilSettled(config, produced);
    const read = await readMemberTopics(cluster, MEMBERS, topics, 'wc-example-reader');
    expect([...read.versions]).toEqual([want.version]);
    expect(plainViews(read.members)).toEqual(plainViews(want.members));
    expect(read.tombstones.get('ca-kb') ?? 0, 'vessels left the area').toBeGreaterThan(0);
    expect(read.tombstones.get('ca') ?? 0, 'no area, nothing withdrawn').toBe(0);
  });

  it('refuses an invalid coalition file at start, naming every error, before consuming', async () => {
    const dir = dirname(zones);
    const bad = join(dir, 'bad-coalition.yaml');
    writeFileSync(
      bad,
      [
        'members:',
        '  ca: { name: Canada, parent: xx }',
        '  no: { name: Norway, area: [no-such-zone] }',
        'modules:',
        '  border: { members: [ca, no], outputs: [piracy] }',
      ].join('\n'),
    );
    const configPath = join(dir, 'worker-bad-coalition.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        zones: [zones],
        coalition: 'bad-coalition.yaml', // relative to this file
        kafka: { groupId: 'bad', sessionTimeoutMs: 6000 },
        postgres: { enabled: false },
        metrics: { port: 0, host: '127.0.0.1' },
      }),
    );
    const worker = spawnWorker(configPath, cluster.bootstrapServers, '', 'info');
    const code = await worker.exit;
    expect(code).not.toBe(0);
    const log = worker.log();
    expect(log).toContain(bad);
    expect(log).toMatch(/xx/);
    expect(log).toMatch(/no-such-zone/);
    expect(log).toMatch(/piracy/);
    expect(log).not.toContain('partitions assigned');
    expect(log).not.toContain('worker running');
  }, 60_000);

  it('restarted from its checkpoint after SIGKILL, still gives every member its replay picture', async () => {
    const db = await createMigratedDatabase('worker_coalition_restore', 'auto');
    const prefix = 'crestore.';
    const topics = { fused: 'cr.tracks', alerts: 'cr.alerts', rejected: '' };
    const producer = await BatchProducer.connect({ bootstrapServers: cluster.bootstrapServers });
    await produceScenario(producer, scenario, 100, {}, prefix);
    await producer.close();
    const configPath = join(dirname(zones), 'worker-coalition-restore.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        zones: [zones],
        coalition: COALITION,
        kafka: {
          groupId: 'crestore',
          sessionTimeoutMs: 6000,
          rawTopicPrefix: prefix,
          maxBatchMessages: 20,
          topics,
        },
        // A small sink buffer paces the worker on Postgres, so the kill lands mid-backlog.
        postgres: { highWaterMarkRows: 3000 },
        checkpoint: { intervalSeconds: 1 },
        metrics: { port: 0, host: '127.0.0.1' },
        output: { trackIntervalSeconds: 600 },
        watermark: { idlePartitionSeconds: 0 },
      }),
    );
    const start = () => spawnWorker(configPath, cluster.bootstrapServers, db.url, 'info');
    const checkpoints = () => count(db.pool, 'worker_checkpoints');
    const positions = () => count(db.pool, 'positions');
    try {
      const first = start();
      await waitFor(
        async () => (await checkpoints()) > 0 && (await positions()) > 3000,
        120_000,
        async () => `checkpoints ${await checkpoints()}: ${first.log().slice(-2000)}`,
      );
      first.child.kill('SIGKILL');
      await first.exit;
      const atKill = await positions();

      const second = start();
      let lastPositions = -1;
      let quiet = 0;
      // Done when the history stops growing for a while after the restart caught up. It must
      // have grown first (the kill landed mid-backlog): on a loaded machine the restored worker
      // can take longer than the quiet period to write its first rows after the assignment.
      await waitFor(
        async () => {
          const now = await positions();
          quiet =
            now === lastPositions && now > atKill && second.log().includes('partitions assigned')
              ? quiet + 1
              : 0;
          lastPositions = now;
          return quiet >= 24;
        },
        240_000,
        async () => `positions ${await positions()}: ${second.log().slice(-3000)}`,
      );
      second.child.kill('SIGTERM');
      expect(await second.exit).toBe(0);
      expect(second.log()).toContain('state restored from checkpoint');
      expect(await positions(), 'the kill landed mid-backlog').toBeGreaterThan(atKill);
      const read = await readMemberTopics(cluster, MEMBERS, topics, 'cr-reader');
      expect(read.plainMessages).toBe(0);
      expect([...read.versions]).toEqual([expected.version]);
      expect(plainViews(read.members)).toEqual(plainViews(expected.members));

      // The history, read as each member's role (row-level security, stored pictures).
      expect(await expectMemberRows(db.pool, expected)).toBeGreaterThan(10_000);
    } finally {
      await db.drop();
    }
  }, 480_000);
});
