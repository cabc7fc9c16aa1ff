import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockCluster } from '../../../src/embedded/mock-cluster.js';
import { BatchProducer } from '../../../src/io/kafka/batch-producer.js';
import { decodeAlert } from '../../../src/io/protobuf/alert-codec.js';
import { decodeFusedTrack } from '../../../src/io/protobuf/fused-track-codec.js';
import { decodeRejectedLine } from '../../../src/io/protobuf/rejected-line-codec.js';
import { createLogger } from '../../../src/util/logger.js';
import { startWorkerService, type WorkerService } from '../../../src/worker/worker-service.js';
import {
  RUN,
  readToEnd,
  subscribedConsumer,
  TEST_SESSION_TIMEOUT_MS,
} from '../kafka/kafka-test-support.js';
import { type Scenario, writeScenario } from '../postgres/scenario-run.js';
import { count, createTestDatabase, type TestDatabase } from '../postgres/test-database.js';
import {
  type Expected,
  expectExactlyOnce,
  expectedOf,
  produceScenario,
  storedPositions,
  testWorkerConfig,
  waitFor,
  zonesFile,
} from './worker-support.js';

const MALFORMED = {
  ca: ['!AIVDM,1,1,,A,13aEOK?P00PD2wVMdLDRhgvL289?,0*00', 'this is not NMEA'],
};

const TRACK_INTERVAL_SECONDS = 60;

describe.skipIf(!RUN)('tidewatch run: Kafka in, Kafka and Postgres out', () => {
  let cluster: MockCluster;
  let db: TestDatabase;
  let scenario: Scenario;
  let expected: Expected;
  let kafkaMessages = 0;

  beforeAll(async () => {
    scenario = writeScenario(21, 40, 6);
    expected = await expectedOf(scenario, MALFORMED);
    cluster = await MockCluster.start();
    db = await createTestDatabase('worker');
    const producer = await BatchProducer.connect({ bootstrapServers: cluster.bootstrapServers });
    kafkaMessages = await produceScenario(producer, scenario, 200, MALFORMED);
    await producer.close();
  });

  /** Waits until `target` holds as many positions and alerts as replay gives. */
  async function waitForHistory(target: TestDatabase, service: WorkerService): Promise<void> {
    const counts = async () => ({
      positions: await count(target.pool, 'positions'),
      alerts: await count(target.pool, 'alerts'),
    });
    await waitFor(
      async () => {
        const now = await counts();
        return now.positions >= expected.positions.size && now.alerts >= expected.alerts.size;
      },
      120_000,
      async () => {
        const now = await counts();
        return `positions ${now.positions}/${expected.positions.size}, alerts ${now.alerts}/${expected.alerts.size}, worker ${JSON.stringify(service.worker.summary())}`;
      },
    );
  }

  afterAll(async () => {
    await db?.drop();
    await cluster?.close();
    scenario?.remove();
  });

  it('gives the same positions, alerts and sources as replay, and dead-letters bad lines', async () => {
    expect(kafkaMessages).toBeGreaterThan(100);

    const config = testWorkerConfig(cluster.bootstrapServers, db.url, zonesFile(scenario), 'w1', {
      output: { trackIntervalSeconds: TRACK_INTERVAL_SECONDS },
    });
    const service = await startWorkerService(config, createLogger({ level: 'warn' }));
    try {
      await waitForHistory(db, service);
      const metrics = await (await fetch(`${service.health.url}/metrics`)).text();
      // Rejects counted by member and reason, as many as the decoder finds in the feeds.
      const counted = new Map<string, number>();
      for (const line of expected.rejected) {
        const [member, reason] = line.split(' ');
        counted.set(`${member} ${reason}`, (counted.get(`${member} ${reason}`) ?? 0) + 1);
      }
      expect(counted.get('ca checksum')).toBeGreaterThan(1);
      for (const [label, n] of counted) {
        const [member, reason] = label.split(' ');
        expect(metrics).toContain(
          `tidewatch_lines_rejected_total{member="${member}",reason="${reason}"} ${n}\n`,
        );
      }
      expect((await fetch(`${service.health.url}/readyz`)).status).toBe(200);
    } finally {
      await service.stop();
    }

    expectExactlyOnce(await storedPositions(db), expected);

    // The alerts of replay, at their final revision.
    const alertRows = await db.pool.query<{ id: string; revision: number }>(
      'SELECT id, revision FROM alerts',
    );
    const revisions = new Map(alertRows.rows.map((row) => [row.id, row.revision]));
    expect(new Map([...expected.alerts].map(([id, a]) => [id, a.revision]))).toEqual(revisions);

    // Kafka outputs, decoded with the protobuf schema.
    const reader = await subscribedConsumer({
      bootstrapServers: cluster.bootstrapServers,
      groupId: 'reader',
      topics: ['alerts', 'tracks.fused', 'ais.rejected'],
      sessionTimeoutMs: TEST_SESSION_TIMEOUT_MS,
    });
    const alerts = new Map<string, number>();
    const latestTrack = new Map<number, ReturnType<typeof decodeFusedTrack>>();
    const rejected: ReturnType<typeof decodeRejectedLine>[] = [];
    let trackMessages = 0;
    try {
      await readToEnd(reader, 60_000, (batch) => {
        for (const part of batch.partitions) {
          for (const message of part.messages) {
            if (part.topic === 'alerts') {
              const alert = decodeAlert(message.value!);
              expect(message.key!.toString()).toBe(alert.id);
              alerts.set(alert.id, Math.max(alert.revision, alerts.get(alert.id) ?? 0));
            } else if (part.topic === 'tracks.fused') {
              const track = decodeFusedTrack(message.value!);
              expect(message.key!.toString()).toBe(String(track.mmsi));
              const before = latestTrack.get(track.mmsi);
              if (before === undefined || before.lastSeen <= track.lastSeen) {
                latestTrack.set(track.mmsi, track);
              }
              trackMessages++;
            } else {
              rejected.push(decodeRejectedLine(message.value!));
            }
          }
        }
      });
    } finally {
      await reader.close();
    }
    expect(alerts).toEqual(revisions);
    const letters = rejected.map((r) => `${r.member} ${r.reason} ${r.line}`).sort();
    expect(letters).toEqual(expected.rejected);
    expect(letters).toContain(`ca checksum ${MALFORMED.ca[0]}`);
    for (const letter of rejected) expect(letter.topic).toBe(`ais.raw.${letter.member}`);
    // Throttled: far fewer messages than reports, one vessel per key, the sources of replay.
    // At most one message per vessel per interval of the scenario's 6 h (plus the first and last).
    const perVessel = (6 * 3600) / TRACK_INTERVAL_SECONDS + 2;
    expect(trackMessages).toBeLessThanOrEqual(expected.tracks.size * perVessel);
    expect(trackMessages).toBeLessThan(expected.positions.size / 4);
    expect([...latestTrack.keys()].sort()).toEqual(
      [...expected.tracks.values()]
        .filter((track) => Number.isFinite(track.lastSeen))
        .map((track) => track.mmsi)
        .sort(),
    );
    for (const [mmsi, track] of expected.tracks) {
      const published = latestTrack.get(mmsi);
      if (published === undefined) continue;
      expect(published.sources).toEqual(expected.members(track.sourceSet));
    }
  });

  it('keeps partitions within maxReadAheadSeconds of the slowest (memory bounded), and still gives replay', async () => {
    const ahead = await createTestDatabase('worker_ahead');
    const config = testWorkerConfig(
      cluster.bootstrapServers,
      ahead.url,
      zonesFile(scenario),
      'w2',
      {
        kafka: {
          brokers: cluster.bootstrapServers,
          groupId: 'w2',
          sessionTimeoutMs: 6000,
          // A few Kafka messages per batch, so that partitions get ahead of each other.
          maxBatchBytes: 32 * 1024,
          topics: { fused: 'ahead.tracks', alerts: 'ahead.alerts', rejected: 'ahead.rejected' },
        },
        watermark: { idlePartitionSeconds: 1, maxReadAheadSeconds: 900 },
      },
    );
    const service = await startWorkerService(config, createLogger({ level: 'warn' }));
    let mostHeld = 0;
    let mostQueued = 0;
    const watch = setInterval(() => {
      mostHeld = Math.max(mostHeld, service.worker.readAheadPausedPartitions);
      mostQueued = Math.max(mostQueued, service.worker.core.queuedReports);
    }, 5);
    try {
      await waitForHistory(ahead, service);
      expect(mostHeld).toBeGreaterThan(0);
      // What waits for the watermark stays near 900 s of input (without the limit: all of it,
      // read while the empty partitions were not yet idle).
      expect(mostQueued, `${mostQueued} reports queued at most`).toBeLessThan(
        expected.positions.size / 5,
      );
      // Everything read: nothing is held back any more.
      expect(service.worker.readAheadPausedPartitions).toBe(0);
      expectExactlyOnce(await storedPositions(ahead), expected);
      const { rows } = await ahead.pool.query<{ id: string; revision: number }>(
        'SELECT id, revision FROM alerts',
      );
      expect(new Map(rows.map((row) => [row.id, row.revision]))).toEqual(
        new Map([...expected.alerts].map(([id, a]) => [id, a.revision])),
      );
    } finally {
      clearInterval(watch);
      await service.stop();
      await ahead.drop();
    }
  });

  it('skips a state checkpoint that would hold the loop longer than maxStallSeconds', async () => {
    const target = await createTestDatabase('worker_stall');
    try {
      const config = testWorkerConfig(
        cluster.bootstrapServers,
        target.url,
        zonesFile(scenario),
        'w3',
        {
          kafka: {
            brokers: cluster.bootstrapServers,
            groupId: 'w3',
            sessionTimeoutMs: 6000,
            topics: { fused: 'stall.tracks', alerts: 'stall.alerts', rejected: 'stall.rejected' },
          },
          // Every checkpoint costs more than no time at all: each one is skipped, the last at stop.
          checkpoint: { intervalSeconds: 1, maxStallSeconds: 0 },
        },
      );
      const service = await startWorkerService(config, createLogger({ level: 'error' }));
      let metrics: string;
      try {
        await waitForHistory(target, service);
        metrics = await (await fetch(`${service.health.url}/metrics`)).text();
      } finally {
        await service.stop();
      }
      expect(metrics).toMatch(/^tidewatch_checkpoints_total\{result="skipped"\} [1-9]/m);
      expect(metrics).not.toMatch(/^tidewatch_checkpoints_total\{result="saved"\} [1-9]/m);
      expect(await count(target.pool, 'worker_checkpoints')).toBe(0);
      expectExactlyOnce(await storedPositions(target), expected);
    } finally {
      await target.drop();
    }
  });
});
