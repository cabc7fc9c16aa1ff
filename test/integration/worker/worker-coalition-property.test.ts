import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockCluster } from '../../../src/embedded/mock-cluster.js';
import { BatchProducer } from '../../../src/io/kafka/batch-producer.js';
import { createRandom } from '../../../src/util/random.js';
import { randomScenarioCoalitionDocument } from '../../support/random-coalition.js';
import { RUN } from '../kafka/kafka-test-support.js';
import { writeScenario } from '../postgres/scenario-run.js';
import { createMigratedDatabase } from '../postgres/test-database.js';
import {
  expectMemberRows,
  plainViews,
  readMemberTopics,
  replayedMembers,
} from './member-topics.js';
import { produceScenario, runUntilSettled, testWorkerConfig, zonesFile } from './worker-support.js';

/**
 * Issue 13's equivalence for the worker, property based: random coalitions (2–6 members, random
 * modules, `to` lists, `inside` rules, a sub-national member, areas; the generator of the replay
 * property test, test/support/random-coalition.ts) over simulated scenarios. For each, the
 * worker, consuming the scenario from the librdkafka mock cluster and writing to Postgres, gives
 * every member on `tracks.fused.<m>` / `alerts.<m>` and in the rows its `member_<m>` role reads
 * exactly the picture `replay --coalition` computes for it. The seed is in each test's name.
 * Seeds chosen for spread: 5 members with many inside rules (2), 6 with a parent chain (4), 2 with
 * an area on the sovereign member (7), 4 with two members with areas (13).
 */
const SEEDS = [2, 4, 7, 13];

describe.skipIf(!RUN)('tidewatch run over random coalitions equals replay --coalition', () => {
  let cluster: MockCluster;

  beforeAll(async () => {
    cluster = await MockCluster.start();
  });

  afterAll(async () => {
    await cluster?.close();
  });

  for (const seed of SEEDS) {
    it(`random coalition, seed ${seed}`, async () => {
      const random = createRandom(seed);
      const memberCount = random.int(2, 6);
      const members = Array.from({ length: memberCount }, (_, i) => `m${i}`);
      const scenario = writeScenario(seed, random.int(20, 40), 6, undefined, {
        members,
        intervalScale: 4,
      });
      const db = await createMigratedDatabase(`wcp_${seed}`, 'auto');
      try {
        const zones = zonesFile(scenario);
        const document = randomScenarioCoalitionDocument(
          seed,
          memberCount,
          scenario.zones.zones.map((zone) => zone.id),
        );
        const coalition = join(dirname(zones), `coalition-${seed}.json`); // YAML reads JSON
        writeFileSync(coalition, JSON.stringify(document));
        const expected = await replayedMembers(scenario, coalition);
        const label = `seed ${seed} (${JSON.stringify(document)})`;
        // The property says something only if some member receives something.
        const received = [...expected.members.values()];
        expect(
          received.reduce((sum, view) => sum + view.tracks.size + view.alerts.length, 0),
          label,
        ).toBeGreaterThan(20);

        const prefix = `p${seed}.`;
        const producer = await BatchProducer.connect({
          bootstrapServers: cluster.bootstrapServers,
        });
        let produced: number;
        try {
          produced = await produceScenario(producer, scenario, 200, {}, `${prefix}ais.raw.`);
        } finally {
          await producer.close();
        }
        const topics = { fused: `${prefix}tracks`, alerts: `${prefix}alerts`, rejected: '' };
        const config = testWorkerConfig(cluster.bootstrapServers, db.url, zones, `wcp-${seed}`, {
          coalition,
          kafka: {
            brokers: cluster.bootstrapServers,
            groupId: `wcp-${seed}`,
            sessionTimeoutMs: 6000,
            rawTopicPrefix: `${prefix}ais.raw.`,
            topics,
          },
          checkpoint: { enabled: false },
          output: { trackIntervalSeconds: 600 },
        });
        await runUntilSettled(config, produced);

        const read = await readMemberTopics(cluster, members, topics, `wcp-${seed}-reader`);
        expect(read.plainMessages, label).toBe(0);
        expect([...read.versions], label).toEqual([expected.version]);
        expect(plainViews(read.members), label).toEqual(plainViews(expected.members));
        expect(await expectMemberRows(db.pool, expected, label), label).toBeGreaterThan(100);
      } finally {
        await db.drop();
        scenario.remove();
      }
    }, 240_000);
  }
});
