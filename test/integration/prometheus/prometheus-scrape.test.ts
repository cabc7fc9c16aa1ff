import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { freePort } from '../../../src/io/free-port.js';
import { BatchProducer } from '../../../src/io/kafka/batch-producer.js';
import { RUN } from '../kafka/kafka-test-support.js';
import { count, createMigratedDatabase } from '../postgres/test-database.js';
import {
  produceScenario,
  scenarioFixture,
  spawnWorker,
  waitFor,
} from '../worker/worker-support.js';
import { PrometheusServer } from './prometheus-server.js';

const RULES = fileURLToPath(new URL('../../../deploy/prometheus/rules.yml', import.meta.url));
/** The job name the rules select on (deploy/prometheus/prometheus.yml scrapes the worker as it). */
const JOB = 'tidewatch-worker';

interface RuleFile {
  groups: { name: string; rules: { alert: string; expr: string }[] }[];
}

describe.skipIf(!RUN)('a real Prometheus scraping a running worker', () => {
  const fixture = scenarioFixture(43);

  it('sees the series the alert rules use, evaluates every rule, and sees the worker go down', async () => {
    const { cluster, scenario, expected, zones } = fixture;
    const db = await createMigratedDatabase('worker_prometheus', 'auto');
    const prefix = 'prom.';
    const producer = await BatchProducer.connect({ bootstrapServers: cluster.bootstrapServers });
    await produceScenario(producer, scenario, 100, {}, prefix);
    await producer.close();

    const metricsPort = await freePort();
    const configPath = join(dirname(zones), 'worker-prometheus.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        zones: [zones],
        kafka: {
          groupId: 'prometheus',
          sessionTimeoutMs: 6000,
          rawTopicPrefix: prefix,
          topics: { fused: 'prom-out.tracks', alerts: 'prom-out.alerts', rejected: '' },
        },
        metrics: { port: metricsPort, host: '127.0.0.1' },
        watermark: { idlePartitionSeconds: 1 },
      }),
    );
    const worker = spawnWorker(configPath, cluster.bootstrapServers, db.url);
    const target = `127.0.0.1:${metricsPort}`;
    const prometheus = await PrometheusServer.start({
      job: JOB,
      targets: [target],
      ruleFiles: [RULES],
    });
    const state = async () =>
      `positions ${await count(db.pool, 'positions')}/${expected.positions.size}; worker: ${worker
        .log()
        .slice(-1500)}; prometheus: ${prometheus.logTail()}`;
    try {
      const up = async () => (await prometheus.query(`up{job="${JOB}"}`))[0]?.value;
      await waitFor(async () => (await up()) === 1, 60_000, state);

      // The whole input stored: Prometheus then holds the series every rule reads, as scraped.
      await waitFor(
        async () => (await count(db.pool, 'positions')) >= expected.positions.size,
        150_000,
        state,
      );
      const members = scenario.feeds.map((feed) => feed.member).sort();
      await waitFor(
        async () => {
          const lag = await prometheus.query('tidewatch_consumer_lag_messages');
          const messages = await prometheus.query('tidewatch_messages_in_total');
          const held = await prometheus.query('tidewatch_held_reports');
          return (
            lag.length === members.length &&
            lag.every((sample) => sample.value === 0) &&
            messages.length === members.length &&
            held[0]?.value === 0
          );
        },
        30_000,
        async () =>
          `lag ${JSON.stringify(await prometheus.query('tidewatch_consumer_lag_messages'))}, held ${JSON.stringify(await prometheus.query('tidewatch_held_reports'))}`,
      );
      const lag = await prometheus.query('tidewatch_consumer_lag_messages');
      expect(lag.map((sample) => sample.metric.member).sort()).toEqual(members);
      for (const sample of lag) {
        expect(sample.metric).toMatchObject({ job: JOB, instance: target });
      }
      // Every member's messages counted, as the worker read them.
      const messagesIn = await prometheus.query('sum(tidewatch_messages_in_total)');
      expect(messagesIn[0]!.value).toBeGreaterThan(0);
      for (const name of [
        'tidewatch_event_time_watermark_seconds',
        'tidewatch_postgres_retries_total',
        'tidewatch_paused_partitions',
        'tidewatch_sink_queue_depth',
      ]) {
        expect((await prometheus.query(name)).length, name).toBeGreaterThan(0);
      }
      // The watermark reached the scenario's end (seconds since the epoch, as scraped).
      const watermark = (await prometheus.query('tidewatch_event_time_watermark_seconds'))[0]!;
      expect(watermark.value).toBeGreaterThan(Date.parse('2000-01-01') / 1000);

      // Every rule of rules.yml loaded and evaluated against the real series without an error,
      // and none fires on a healthy worker that has caught up.
      const file = parse(readFileSync(RULES, 'utf8')) as RuleFile;
      const names = file.groups.flatMap((group) => group.rules.map((rule) => rule.alert)).sort();
      await waitFor(
        async () => (await prometheus.rules()).every((rule) => rule.health === 'ok'),
        10_000,
        async () => JSON.stringify(await prometheus.rules()),
      );
      const rules = await prometheus.rules();
      expect(rules.map((rule) => rule.name).sort()).toEqual(names);
      for (const rule of rules) expect(rule, rule.name).toMatchObject({ health: 'ok' });
      expect(await prometheus.alerts()).toEqual([]);

      // Killed, the worker shows as down: `up` is 0 and TidewatchWorkerDown is pending (it fires
      // after its minute: the `for` is unit-tested in deploy/prometheus/rules.test.yml).
      worker.child.kill('SIGKILL');
      await worker.exit;
      await waitFor(async () => (await up()) === 0, 30_000, state);
      await waitFor(
        async () =>
          (await prometheus.alerts()).some(
            (alert) => alert.labels.alertname === 'TidewatchWorkerDown',
          ),
        15_000,
        async () => JSON.stringify(await prometheus.alerts()),
      );
      const down = (await prometheus.alerts()).filter(
        (alert) => alert.labels.alertname === 'TidewatchWorkerDown',
      );
      expect(down).toHaveLength(1);
      expect(down[0]!.labels).toMatchObject({ instance: target, job: JOB, severity: 'critical' });
      expect(['pending', 'firing']).toContain(down[0]!.state);
    } finally {
      await prometheus.stop();
      await db.drop();
    }
  });
});
