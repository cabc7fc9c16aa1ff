import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MockClusterProcess } from '../../../src/embedded/mock-cluster-process.js';
import type { BatchConsumer } from '../../../src/io/kafka/batch-consumer.js';
import { memberOfRawTopic, rawTopic } from '../../../src/io/kafka/raw-topic.js';
import {
  nmeaLine,
  RUN,
  readUntil,
  subscribedConsumer,
  TEST_SESSION_TIMEOUT_MS,
} from './kafka-test-support.js';

const PRODUCER = fileURLToPath(new URL('./produce-child.ts', import.meta.url));
const LINES_PER_MEMBER = 5000;
const CHILD_TIMEOUT_MS = 60_000;

interface ChildResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a TypeScript script in a child process; SIGKILL after `CHILD_TIMEOUT_MS`. */
function runScript(script: string, args: readonly string[]): Promise<ChildResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe.skipIf(!RUN)('mock cluster, producers and consumer in separate processes', () => {
  it('consumes what producer processes write to a mock cluster hosted by another process', async () => {
    const cluster = await MockClusterProcess.spawn();
    let consumer: BatchConsumer | undefined;
    try {
      expect(cluster.bootstrapServers).toMatch(/^127\.0\.0\.1:\d+$/);
      const members = ['alpha', 'bravo'];
      // The producers run while the consumer joins: topics appear under its pattern subscription.
      const producers = members.map((member) =>
        runScript(PRODUCER, [cluster.bootstrapServers, member, String(LINES_PER_MEMBER)]),
      );
      consumer = await subscribedConsumer({
        bootstrapServers: cluster.bootstrapServers,
        groupId: 'cross-process',
        sessionTimeoutMs: TEST_SESSION_TIMEOUT_MS,
        topicRefreshIntervalMs: 1000,
      });
      const expected = new Map<string, string>();
      for (const member of members) {
        for (let i = 0; i < LINES_PER_MEMBER; i++) expected.set(nmeaLine(member, i), member);
      }
      const seen = new Map<string, string>();
      await readUntil(consumer, {
        until: () => seen.size === expected.size,
        // The join races the topics' creation on purpose; once in a CI run (of many) the mock
        // cluster took over 60 s to assign, so allow it more (the test's own limit is 180 s).
        timeoutMs: 150_000,
        onBatch: (batch) => {
          for (const part of batch.partitions) {
            for (const message of part.messages) {
              const line = message.value!.toString('latin1');
              expect(seen.has(line)).toBe(false);
              seen.set(line, memberOfRawTopic(part.topic));
            }
          }
        },
      });
      for (const result of await Promise.all(producers)) {
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        expect(JSON.parse(result.stdout)).toMatchObject({ produced: LINES_PER_MEMBER });
      }
      expect(seen).toEqual(expected);
      expect(consumer.assignment().map((p) => p.topic)).toEqual(
        expect.arrayContaining(members.map((member) => rawTopic(member))),
      );
    } finally {
      await consumer?.close();
      // The cluster process stops its brokers and exits cleanly on SIGTERM.
      expect(await cluster.close()).toBe(0);
    }
  });

  it('reports a cluster process that cannot start', async () => {
    await expect(MockClusterProcess.spawn({ brokers: 0 })).rejects.toMatchObject({
      code: 'KAFKA_MOCK_CLUSTER',
    });
  });
});
