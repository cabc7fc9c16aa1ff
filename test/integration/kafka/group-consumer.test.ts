import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockCluster } from '../../../src/embedded/mock-cluster.js';
import type { BatchConsumer, ConsumedBatch } from '../../../src/io/kafka/batch-consumer.js';
import { BatchProducer } from '../../../src/io/kafka/batch-producer.js';
import { partitionKey } from '../../../src/io/kafka/partition-key.js';
import { memberOfRawTopic, rawTopic } from '../../../src/io/kafka/raw-topic.js';
import {
  lineMmsi,
  nmeaLine,
  RUN,
  rate,
  readToEnd,
  readUntil,
  type SubscribedConsumerOptions,
  subscribedConsumer,
  TEST_SESSION_TIMEOUT_MS,
} from './kafka-test-support.js';

const MEMBERS = ['alpha', 'bravo'] as const;
const LINES = 10_000;
const PRODUCE_BATCH = 500;
const READ_TIMEOUT_MS = 60_000;

/** `topic|partition|offset` of a message: its identity in the log. */
function position(topic: string, partition: number, offset: number): string {
  return `${topic}|${partition}|${offset}`;
}

describe.skipIf(!RUN)('batch producer and group consumer on the mock cluster', () => {
  let cluster: MockCluster;
  /** A consumer of `groupId` on the test cluster (every raw topic unless `options` say). */
  const connect = (
    groupId: string,
    options: Omit<SubscribedConsumerOptions, 'bootstrapServers' | 'groupId'> = {},
  ): Promise<BatchConsumer> =>
    subscribedConsumer({
      bootstrapServers: cluster.bootstrapServers,
      groupId,
      sessionTimeoutMs: TEST_SESSION_TIMEOUT_MS,
      ...options,
    });
  /** Line text → member it was produced for. */
  const memberOfLine = new Map<string, string>();

  beforeAll(async () => {
    cluster = await MockCluster.start();
    const producer = await BatchProducer.connect({ bootstrapServers: cluster.bootstrapServers });
    try {
      const started = performance.now();
      for (let i = 0; i < LINES; i++) {
        const member = MEMBERS[i % MEMBERS.length]!;
        const line = nmeaLine(member, i);
        memberOfLine.set(line, member);
        if (!producer.produce(rawTopic(member), Buffer.from(line), String(lineMmsi(i)))) {
          await producer.whenWritable();
        }
        if ((i + 1) % PRODUCE_BATCH === 0) await producer.flush();
      }
      await producer.flush();
      const elapsedMs = performance.now() - started;
      console.info(
        `produced ${LINES} lines in batches of ${PRODUCE_BATCH}: ${rate(LINES, elapsedMs)} msg/s`,
      );
    } finally {
      await producer.close();
    }
  });

  afterAll(async () => {
    await cluster?.close();
  });

  it('delivers every line once, with the member id of its topic; marks done, restart reads only the unmarked', async () => {
    const connectMember = (): Promise<BatchConsumer> =>
      connect('at-least-once', { maxBatchMessages: 700 });

    // First run: read everything; mark done only the batches that bring the count to half.
    const first = await connectMember();
    const seen = new Map<string, string>();
    const marked = new Set<string>();
    const unmarked = new Set<string>();
    const finishedOffsets = new Map<string, number>();
    let markedCount = 0;
    let firstAssignmentMs: number | undefined;
    const started = performance.now();
    let firstMessageAt = 0;
    try {
      await readUntil(first, {
        until: () => seen.size === LINES,
        timeoutMs: READ_TIMEOUT_MS,
        markDone: false,
        onBatch: (batch: ConsumedBatch) => {
          if (batch.messageCount > 0 && firstMessageAt === 0) firstMessageAt = performance.now();
          const markThis = markedCount < LINES / 2;
          for (const part of batch.partitions) {
            const member = memberOfRawTopic(part.topic);
            expect(MEMBERS).toContain(member);
            for (const message of part.messages) {
              const line = message.value!.toString('latin1');
              expect(memberOfLine.get(line)).toBe(member);
              expect(message.key!.toString()).toMatch(/^\d{9}$/);
              expect(seen.has(line)).toBe(false);
              seen.set(line, member);
              const id = position(part.topic, part.partition, message.offset);
              (markThis ? marked : unmarked).add(id);
            }
            if (markThis) {
              finishedOffsets.set(
                `${part.topic}|${part.partition}`,
                part.messages.at(-1)!.offset + 1,
              );
            }
          }
          if (markThis && batch.messageCount > 0) {
            first.markDone(batch);
            markedCount += batch.messageCount;
          }
        },
      });
      const readMs = performance.now() - firstMessageAt;
      firstAssignmentMs = first.stats().firstAssignmentMs;
      console.info(
        `consumed ${LINES} lines: ${rate(LINES, readMs)} msg/s after the first message; group join ${firstAssignmentMs} ms, first message ${Math.round(firstMessageAt - started)} ms after connect`,
      );
      expect([...seen.values()].filter((member) => member === 'alpha')).toHaveLength(LINES / 2);

      // Offsets of the marked batches only are committed.
      first.commit();
      const committed = await first.committed();
      expect(committed).toHaveLength(8);
      for (const { topic, partition, offset } of committed) {
        const expected = finishedOffsets.get(`${topic}|${partition}`);
        // A partition none of whose messages was marked has no committed offset (negative).
        if (expected === undefined) expect(offset).toBeLessThan(0);
        else expect(offset).toBe(expected);
      }
    } finally {
      await first.close();
    }
    expect(markedCount).toBeGreaterThanOrEqual(LINES / 2);
    expect(unmarked.size).toBe(LINES - markedCount);

    // Restart: exactly the unmarked messages come back, none of the marked ones.
    const second = await connectMember();
    const reread = new Set<string>();
    try {
      await readToEnd(second, READ_TIMEOUT_MS, (batch) => {
        for (const part of batch.partitions) {
          for (const message of part.messages) {
            const id = position(part.topic, part.partition, message.offset);
            expect(marked.has(id)).toBe(false);
            expect(memberOfLine.get(message.value!.toString('latin1'))).toBe(
              memberOfRawTopic(part.topic),
            );
            reread.add(id);
          }
        }
      });
    } finally {
      await second.close();
    }
    expect(reread).toEqual(unmarked);

    // A third member of the group finds everything committed by the second's close.
    const third = await connectMember();
    let after = 0;
    try {
      await readToEnd(third, READ_TIMEOUT_MS, (batch) => {
        after += batch.messageCount;
      });
    } finally {
      await third.close();
    }
    expect(after).toBe(0);
  });

  it('starts at given offsets (a restored state) and commits them once the hand-over batch is done, nothing else marked', async () => {
    const startAt = 3;
    let assigned = 0;
    const consumer = await connect('hand-over', {
      topics: [rawTopic('alpha')],
      listener: {
        startOffsets: (partitions) => {
          assigned = partitions.length;
          return new Map(partitions.map((p) => [partitionKey(p.topic, p.partition), startAt]));
        },
      },
    });
    try {
      // The first batch comes after the assignment: it starts at the given offsets.
      const first = await consumer.nextBatch();
      let batch = first;
      while (batch.messageCount === 0) batch = await consumer.nextBatch();
      for (const part of batch.partitions) expect(part.messages[0]!.offset).toBe(startAt);
      expect(assigned).toBe(4);
      const handOver = consumer.takeHandOver()!;
      expect(handOver.messageCount).toBe(0);
      expect(handOver.partitions.map((p) => p.partition).sort()).toEqual([0, 1, 2, 3]);
      expect(consumer.takeHandOver()).toBeUndefined(); // handed out once
      // Only the hand-over is marked done: the start offsets are what gets committed.
      consumer.markDone(handOver);
      consumer.commit();
      const committed = await consumer.committed();
      expect(committed.map((c) => c.offset)).toEqual([startAt, startAt, startAt, startAt]);
    } finally {
      await consumer.close();
    }
  });

  it('pauses and resumes its partitions without losing or repeating a message', async () => {
    const consumer = await connect('pause-resume', {
      maxBatchMessages: 500,
    });
    const seen = new Set<string>();
    const onBatch = (batch: ConsumedBatch): void => {
      for (const part of batch.partitions) {
        for (const message of part.messages) {
          const id = position(part.topic, part.partition, message.offset);
          expect(seen.has(id)).toBe(false);
          seen.add(id);
        }
      }
    };
    try {
      await readUntil(consumer, {
        until: () => seen.size > 0,
        timeoutMs: READ_TIMEOUT_MS,
        onBatch,
      });
      consumer.pause();
      // librdkafka drops what it had fetched for paused partitions: no batch brings messages.
      let whilePaused = 0;
      for (let i = 0; i < 5; i++) {
        const batch = await consumer.nextBatch();
        whilePaused += batch.messageCount;
        consumer.markDone(batch);
      }
      expect(whilePaused).toBe(0);
      const beforeResume = seen.size;
      expect(beforeResume).toBeLessThan(LINES);
      consumer.resume();
      await readUntil(consumer, {
        until: () => seen.size === LINES,
        timeoutMs: READ_TIMEOUT_MS,
        onBatch,
      });
      expect(consumer.caughtUp() || consumer.lag().every((p) => p.messages === 0)).toBe(true);
    } finally {
      await consumer.close();
    }
  });

  it('reports a finite lag for every partition, the empty ones included (no NaN for Prometheus)', async () => {
    // One key: every message in one of the topic's partitions; the others stay empty, and
    // librdkafka gives their position without an offset. Not a raw topic: the other tests here
    // subscribe to every raw topic and count their lines.
    const topic = 'lag-probe';
    const producer = await BatchProducer.connect({ bootstrapServers: cluster.bootstrapServers });
    for (let i = 0; i < 50; i++) producer.produce(topic, Buffer.from(nmeaLine('lagprobe', i)), 'k');
    await producer.flush();
    await producer.close();
    const consumer = await connect('lag-probe', { topics: [topic] });
    try {
      let read = 0;
      await readUntil(consumer, {
        until: () => read === 50 && consumer.caughtUp(),
        timeoutMs: READ_TIMEOUT_MS,
        onBatch: (batch) => {
          read += batch.messageCount;
        },
      });
      const lag = consumer.lag();
      expect(lag.length).toBeGreaterThan(1);
      for (const partition of lag) expect(partition.messages, JSON.stringify(partition)).toBe(0);
    } finally {
      await consumer.close();
    }
  });

  it('holds chosen partitions apart from pause() (resume() leaves them held, hold([]) frees them); batches of about maxBatchBytes', async () => {
    const consumer = await connect('hold', {
      maxBatchMessages: 200,
      // About 60 lines a batch: the byte bound, not the message count, sizes the batches.
      maxBatchBytes: 4096,
    });
    let largestBatchBytes = 0;
    const seen = new Set<string>();
    const seenOf = { alpha: 0, bravo: 0 };
    let held = false;
    let heldArrivals = 0;
    const onBatch = (batch: ConsumedBatch): void => {
      let bytes = 0;
      for (const part of batch.partitions) {
        for (const message of part.messages) bytes += message.value?.length ?? 0;
      }
      largestBatchBytes = Math.max(largestBatchBytes, bytes);
      for (const part of batch.partitions) {
        for (const message of part.messages) {
          const id = position(part.topic, part.partition, message.offset);
          expect(seen.has(id)).toBe(false);
          seen.add(id);
          const member = memberOfRawTopic(part.topic);
          seenOf[member as 'alpha' | 'bravo']++;
          if (held && member === 'alpha') heldArrivals++;
        }
      }
    };
    try {
      await readUntil(consumer, {
        until: () => seen.size > 0,
        timeoutMs: READ_TIMEOUT_MS,
        onBatch,
      });
      const alpha = consumer.assignment().filter((p) => p.topic === rawTopic('alpha'));
      expect(alpha.length).toBeGreaterThan(0);
      consumer.hold(alpha);
      held = true;
      expect(consumer.pausedCount).toBe(alpha.length);
      const alphaAtHold = seenOf.alpha;
      expect(alphaAtHold).toBeLessThan(LINES / 2);
      // Backpressure on and off meanwhile: the held partitions stay held.
      consumer.pause();
      expect(consumer.pausedCount).toBe(consumer.assignment().length);
      consumer.resume();
      expect(consumer.pausedCount).toBe(alpha.length);
      await readUntil(consumer, {
        until: () => seenOf.bravo === LINES / 2,
        timeoutMs: READ_TIMEOUT_MS,
        onBatch,
      });
      for (let i = 0; i < 5; i++) onBatch(await consumer.nextBatch());
      expect(heldArrivals).toBe(0);
      expect(seenOf.alpha).toBe(alphaAtHold);
      held = false;
      consumer.hold([]);
      expect(consumer.pausedCount).toBe(0);
      await readUntil(consumer, {
        until: () => seen.size === LINES,
        timeoutMs: READ_TIMEOUT_MS,
        onBatch,
      });
      expect(seenOf.alpha).toBe(LINES / 2);
      // Lines differ in length by a few bytes: a batch is sized at the previous one's mean.
      expect(largestBatchBytes).toBeGreaterThan(2048);
      expect(largestBatchBytes).toBeLessThanOrEqual(4096 * 1.1);
    } finally {
      await consumer.close();
    }
  });

  it('shares partitions with a second member: each line processed once, offsets handed over on rebalance', async () => {
    const revokedCounts: number[] = [];
    const options = {
      bootstrapServers: cluster.bootstrapServers,
      groupId: 'two-members',
      sessionTimeoutMs: TEST_SESSION_TIMEOUT_MS,
      maxBatchMessages: 200,
    };
    const processed = new Map<string, number>();
    const record = (batch: ConsumedBatch): void => {
      for (const part of batch.partitions) {
        for (const message of part.messages) {
          const line = message.value!.toString('latin1');
          processed.set(line, (processed.get(line) ?? 0) + 1);
        }
      }
    };
    const a = await subscribedConsumer({
      ...options,
      listener: {
        onRevoked: (partitions) => {
          revokedCounts.push(partitions.length);
        },
      },
    });
    let b: BatchConsumer | undefined;
    try {
      // `a` reads a first part alone and pauses, so that the rest is read after `b` joins.
      await readUntil(a, {
        until: () => processed.size >= 1000,
        timeoutMs: READ_TIMEOUT_MS,
        onBatch: record,
      });
      a.pause();
      // librdkafka's mock cluster refuses offset commits while a group is joining
      // (REBALANCE_IN_PROGRESS; Kafka accepts them from the current generation), so the commit
      // `a` makes when its partitions are revoked is lost there: commit before `b` joins.
      a.commit();
      b = await subscribedConsumer(options);
      const both = [a, b] as const;
      const done = (): boolean =>
        processed.size === LINES && both.every((consumer) => consumer.assignment().length > 0);
      let resumed = false;
      const loop = (consumer: BatchConsumer): Promise<void> =>
        readUntil(consumer, {
          until: done,
          timeoutMs: READ_TIMEOUT_MS,
          onBatch: (batch) => {
            record(batch);
            // Pauses survive the rebalance; lift them once `b` has its share.
            if (!resumed && both.every((member) => member.assignment().length > 0)) {
              a.resume();
              resumed = true;
            }
          },
        });
      await Promise.all(both.map(loop));
      expect(a.assignment().length + b.assignment().length).toBe(8);
      expect(revokedCounts[0]).toBe(8);
      expect(processed.size).toBe(LINES);
      // What `a` marked done was committed when its partitions were revoked: no line twice.
      expect([...processed.values()].filter((count) => count !== 1)).toEqual([]);
    } finally {
      await Promise.all([a.close(), b?.close()]);
    }
  });

  it('fetches a partition held when a rebalance revoked it once it is assigned again (issue 16)', async () => {
    // librdkafka keeps an application pause through unassign and assign; the consumer's
    // bookkeeping ends holds with the revocation, so it must lift the pause too.
    const topics = ['held.alpha', 'held.bravo'] as const;
    const producer = await BatchProducer.connect({ bootstrapServers: cluster.bootstrapServers });
    const produce = async (topic: string, from: number, to: number): Promise<void> => {
      for (let i = from; i < to; i++) {
        const line = nmeaLine(topic, i);
        if (!producer.produce(topic, Buffer.from(line), String(lineMmsi(i)))) {
          await producer.whenWritable();
        }
      }
      await producer.flush();
    };
    let assignments = 0;
    const consumer = await connect('held-rebalance', {
      topics: [/^held\./],
      listener: { onAssigned: () => void assignments++ },
    });
    // Distinct offsets read per partition (a rebalance may re-read what was not committed).
    const seen = new Map<string, Set<number>>();
    const onBatch = (batch: ConsumedBatch): void => {
      for (const part of batch.partitions) {
        const key = partitionKey(part.topic, part.partition);
        let offsets = seen.get(key);
        if (offsets === undefined) {
          offsets = new Set();
          seen.set(key, offsets);
        }
        for (const message of part.messages) offsets.add(message.offset);
      }
    };
    const alpha = (partition: number) => seen.get(partitionKey(topics[0], partition))?.size ?? 0;
    try {
      await produce(topics[0], 0, 400);
      await readToEnd(consumer, READ_TIMEOUT_MS, onBatch);
      const held = consumer.assignment().filter((p) => p.partition === 1);
      expect(held).toEqual([{ topic: topics[0], partition: 1 }]);
      consumer.hold(held);
      const heldBefore = alpha(1);
      // A new topic the pattern matches: the group rebalances, revoking and assigning again.
      await produce(topics[1], 0, 40);
      await readUntil(consumer, {
        until: () => assignments >= 2 && consumer.assignment().length === 8,
        timeoutMs: READ_TIMEOUT_MS,
        onBatch,
      });
      expect(consumer.pausedCount).toBe(0);
      await produce(topics[0], 400, 800);
      // Every partition reaches its end again, the one held before the rebalance too.
      await readUntil(consumer, {
        until: () => consumer.caughtUp() && alpha(1) > heldBefore,
        timeoutMs: 20_000,
        onBatch,
      });
      let alphaTotal = 0;
      for (let partition = 0; partition < 4; partition++) alphaTotal += alpha(partition);
      expect(alphaTotal).toBe(800);
      // And it closes while a partition is held (a resume during the close's revocation blocks
      // the event loop in librdkafka for good: the test would time out here).
      consumer.hold(held);
      await consumer.close();
      expect(consumer.assignment()).toEqual([]);
    } finally {
      await consumer.close();
      await producer.close();
    }
  });
});
