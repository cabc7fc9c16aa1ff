import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BatchProducer } from '../../../src/io/kafka/batch-producer.js';
import { createLogger } from '../../../src/util/logger.js';
import { resolveWorkerConfig } from '../../../src/worker/worker-config.js';
import { startWorkerService } from '../../../src/worker/worker-service.js';
import { RUN } from '../kafka/kafka-test-support.js';
import { count, createMigratedDatabase, type TestDatabase } from '../postgres/test-database.js';
import {
  type Expected,
  expectExactlyOnce,
  produceScenario,
  scenarioFixture,
  spawnWorker,
  storedPositions,
  waitFor,
} from './worker-support.js';

/** `alerts` rows as `id → revision end`. */
async function storedAlerts(db: TestDatabase): Promise<Map<string, string>> {
  const { rows } = await db.pool.query<{ id: string; revision: number; end_ms: string | null }>(
    `SELECT id, revision, (extract(epoch FROM end_time) * 1000)::bigint AS end_ms FROM alerts`,
  );
  return new Map(rows.map((row) => [row.id, `${row.revision} ${row.end_ms ?? 'open'}`]));
}

function expectedAlerts(expected: Expected): Map<string, string> {
  return new Map(
    [...expected.alerts].map(([id, alert]) => [id, `${alert.revision} ${alert.end ?? 'open'}`]),
  );
}

describe.skipIf(!RUN)('tidewatch run restarted from its state checkpoint', () => {
  const fixture = scenarioFixture(31);

  it('after SIGKILL mid-backlog, gives exactly the alerts and positions of replay', async () => {
    const { cluster, scenario, expected, zones } = fixture;
    const db = await createMigratedDatabase('worker_restore', 'auto');
    const prefix = 'restore.';
    const producer = await BatchProducer.connect({ bootstrapServers: cluster.bootstrapServers });
    await produceScenario(producer, scenario, 100, {}, prefix);
    await producer.close();
    const configPath = join(dirname(zones), 'worker-restore.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        zones: [zones],
        kafka: {
          groupId: 'restore',
          sessionTimeoutMs: 6000,
          rawTopicPrefix: prefix,
          maxBatchMessages: 20,
          topics: { fused: 'restore-out.tracks', alerts: 'restore-out.alerts', rejected: '' },
        },
        // A small sink buffer paces the worker on Postgres, so the kill lands mid-backlog.
        postgres: { highWaterMarkRows: 3000 },
        checkpoint: { intervalSeconds: 1 },
        metrics: { port: 0, host: '127.0.0.1' },
        // The backlog is complete before the worker starts: a partition at its end (the three
        // empty ones of each topic) holds nothing back, so reports are fused as they are read
        // and the sink paces the worker from the start (with a quiet spell first, a fast machine
        // read the whole backlog before any was fused, and wrote it in one flush).
        watermark: { idlePartitionSeconds: 0 },
      }),
    );
    const start = () => spawnWorker(configPath, cluster.bootstrapServers, db.url, 'info');
    const checkpoints = () => count(db.pool, 'worker_checkpoints');
    try {
      const first = start();
      await waitFor(
        async () =>
          (await checkpoints()) > 0 &&
          (await count(db.pool, 'positions')) > expected.positions.size / 4,
        120_000,
        async () =>
          `checkpoints ${await checkpoints()}, positions ${await count(db.pool, 'positions')}: ${first.log().slice(-2000)}`,
      );
      first.child.kill('SIGKILL');
      await first.exit;
      const atKill = await count(db.pool, 'positions');
      expect(atKill, 'the kill landed mid-backlog').toBeLessThan(expected.positions.size * 0.9);

      const second = start();
      const want = expectedAlerts(expected);
      await waitFor(
        async () =>
          (await count(db.pool, 'positions')) >= expected.positions.size &&
          (await storedAlerts(db)).size >= want.size,
        180_000,
        async () =>
          `positions ${await count(db.pool, 'positions')}/${expected.positions.size}, alerts ${(await storedAlerts(db)).size}/${want.size}: ${second.log().slice(-3000)}`,
      );
      second.child.kill('SIGTERM');
      expect(await second.exit).toBe(0);
      expect(second.log()).toContain('state restored from checkpoint');
      // Every alert of replay, with its final revision and end: open alerts, timers and tracks
      // went over with the state (rebuilt from the committed offsets, they would not match).
      expect(await storedAlerts(db)).toEqual(want);
      expectExactlyOnce(await storedPositions(db), expected);

      // Another core configuration: the checkpoint is not used (its state answers other
      // thresholds); the worker starts from the committed offsets and says why.
      const changed = resolveWorkerConfig(
        {
          ...JSON.parse(readFileSync(configPath, 'utf8')),
          kafka: { brokers: cluster.bootstrapServers, groupId: 'restore', rawTopicPrefix: prefix },
          postgres: { url: db.url },
          core: { loitering: { minDurationSeconds: 3 * 3600 } },
        },
        {},
      );
      const third = await startWorkerService(changed, createLogger({ level: 'silent' }));
      try {
        await waitFor(
          () => third.worker.readiness().ready,
          60_000,
          () => JSON.stringify(third.worker.readiness()),
        );
        const metrics = await (await fetch(`${third.health.url}/metrics`)).text();
        expect(metrics).toContain('tidewatch_state_restores_total{result="mismatch"} 1');
        expect(third.worker.core.tracks.size).toBe(0);
      } finally {
        await third.stop();
      }
    } finally {
      await db.drop();
    }
    // Its waits (120 s + 180 s + 60 s) fit inside: a slow or wrong run fails with what it saw.
  }, 420_000);
});
