import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BatchProducer } from '../../../src/io/kafka/batch-producer.js';
import { createLogger } from '../../../src/util/logger.js';
import { startWorkerService } from '../../../src/worker/worker-service.js';
import { RUN } from '../kafka/kafka-test-support.js';
import { TcpProxy } from '../postgres/tcp-proxy.js';
import { count, createMigratedDatabase } from '../postgres/test-database.js';
import {
  expectEachReportOnce,
  produceScenario,
  scenarioFixture,
  spawnWorker,
  storedPositions,
  testWorkerConfig,
  waitFor,
} from './worker-support.js';

/** About 15 s of production for the scenario: the worker keeps up, faults land mid-stream. */
const PACE = { roundMessages: 30, pauseMs: 100 };

describe.skipIf(!RUN)('tidewatch run under faults: no report lost, none written twice', () => {
  const fixture = scenarioFixture(23);

  it('waits for Postgres while it is unreachable and catches up without loss', async () => {
    const { cluster, scenario, expected, zones } = fixture;
    const db = await createMigratedDatabase('worker_pg_outage', 'auto');
    const proxy = await TcpProxy.reserve('127.0.0.1', 5432);
    await proxy.open();
    const url = new URL(db.url);
    url.port = String(proxy.port);
    const topicPrefix = 'outage.';
    // Produced while the worker runs (about 15 s), so the outage lands mid-stream.
    const producer = await BatchProducer.connect({ bootstrapServers: cluster.bootstrapServers });
    const produced = produceScenario(producer, scenario, 100, {}, topicPrefix, PACE).finally(() =>
      producer.close(),
    );
    const config = testWorkerConfig(cluster.bootstrapServers, url.toString(), zones, 'outage', {
      kafka: {
        brokers: cluster.bootstrapServers,
        groupId: 'outage',
        sessionTimeoutMs: 6000,
        rawTopicPrefix: topicPrefix,
      },
    });
    const service = await startWorkerService(config, createLogger({ level: 'silent' }));
    try {
      await waitFor(
        async () => (await count(db.pool, 'positions')) > expected.positions.size / 5,
        120_000,
        () => 'no positions written',
      );
      await proxy.close();
      expect(await count(db.pool, 'positions')).toBeLessThan(expected.positions.size / 2);
      const cutAt = await count(db.pool, 'positions');
      await new Promise((resolve) => setTimeout(resolve, 4000));
      expect(await count(db.pool, 'positions')).toBe(cutAt);
      expect(service.worker.readiness().ready).toBe(false);
      await proxy.open();
      await waitFor(
        async () => (await count(db.pool, 'positions')) >= expected.positions.size,
        120_000,
        async () => `positions ${await count(db.pool, 'positions')}/${expected.positions.size}`,
      );
      expect(service.worker.postgresRetries).toBeGreaterThan(0);
      await produced;
    } finally {
      await service.stop();
      await proxy.close();
    }
    expectEachReportOnce(await storedPositions(db), expected);
    await db.drop();
  });

  it('restarts after SIGKILL mid-stream and stores every report exactly once', async () => {
    const { cluster, scenario, expected, zones } = fixture;
    const db = await createMigratedDatabase('worker_sigkill', 'auto');
    const topicPrefix = 'crash.';
    // Produced while the worker runs (about 15 s), so the kill lands mid-stream.
    const producer = await BatchProducer.connect({ bootstrapServers: cluster.bootstrapServers });
    const produced = produceScenario(producer, scenario, 100, {}, topicPrefix, PACE).finally(() =>
      producer.close(),
    );
    const configPath = join(dirname(zones), 'worker-crash.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        zones: [zones],
        kafka: { groupId: 'crash', sessionTimeoutMs: 6000, rawTopicPrefix: topicPrefix },
        metrics: { port: 0, host: '127.0.0.1' },
        watermark: { idlePartitionSeconds: 1 },
      }),
    );
    const start = () => spawnWorker(configPath, cluster.bootstrapServers, db.url);
    try {
      const first = start();
      await waitFor(
        async () => (await count(db.pool, 'positions')) > 0,
        120_000,
        () => 'the first worker wrote nothing',
      );
      first.child.kill('SIGKILL');
      await first.exit;
      const atKill = await count(db.pool, 'positions');
      expect(atKill).toBeLessThan(expected.positions.size);
      await produced;

      const second = start();
      await waitFor(
        async () => (await count(db.pool, 'positions')) >= expected.positions.size,
        180_000,
        async () => `positions ${await count(db.pool, 'positions')}/${expected.positions.size}`,
      );
      // Graceful stop: flush, commit, exit 0.
      second.child.kill('SIGTERM');
      expect(await second.exit).toBe(0);
    } finally {
      expectEachReportOnce(await storedPositions(db), expected);
      await db.drop();
    }
  });

  it('hands over to a new worker after a graceful stop mid-stream: every report exactly once', async () => {
    const { cluster, scenario, expected, zones } = fixture;
    const db = await createMigratedDatabase('worker_handover', 'auto');
    const topicPrefix = 'handover.';
    const config = testWorkerConfig(cluster.bootstrapServers, db.url, zones, 'handover', {
      kafka: {
        brokers: cluster.bootstrapServers,
        groupId: 'handover',
        sessionTimeoutMs: 6000,
        rawTopicPrefix: topicPrefix,
      },
    });
    const produce = async (share: { from: number; to: number }) => {
      const producer = await BatchProducer.connect({ bootstrapServers: cluster.bootstrapServers });
      try {
        await produceScenario(producer, scenario, 100, {}, topicPrefix, undefined, share);
      } finally {
        await producer.close();
      }
    };
    try {
      // The first worker reads the first half and stops with reports still in its core (the
      // last event-time hold): it commits only what it finished; the second re-reads the rest.
      await produce({ from: 0, to: 0.5 });
      const first = await startWorkerService(config, createLogger({ level: 'silent' }));
      await waitFor(
        async () => (await count(db.pool, 'positions')) > expected.positions.size / 4,
        120_000,
        () => 'the first worker wrote nothing',
      );
      await first.stop();
      const handedOver = await count(db.pool, 'positions');
      expect(handedOver).toBeLessThan(expected.positions.size * 0.6);
      await produce({ from: 0.5, to: 1 });
      const second = await startWorkerService(config, createLogger({ level: 'silent' }));
      try {
        await waitFor(
          async () => (await count(db.pool, 'positions')) >= expected.positions.size,
          180_000,
          async () => `positions ${await count(db.pool, 'positions')}/${expected.positions.size}`,
        );
        // The first worker's final checkpoint carried its state over (tracks, open alerts,
        // the reports its core still held).
        const metrics = await (await fetch(`${second.health.url}/metrics`)).text();
        expect(metrics).toContain('tidewatch_state_restores_total{result="restored"} 1');
      } finally {
        await second.stop();
      }
      expectEachReportOnce(await storedPositions(db), expected);
    } finally {
      await db.drop();
    }
  });
});
