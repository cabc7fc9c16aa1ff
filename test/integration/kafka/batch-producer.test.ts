import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockCluster } from '../../../src/embedded/mock-cluster.js';
import { BatchConsumer } from '../../../src/io/kafka/batch-consumer.js';
import { BatchProducer } from '../../../src/io/kafka/batch-producer.js';
import { KafkaError } from '../../../src/io/kafka/kafka-error.js';
import {
  RUN,
  readUntil,
  subscribedConsumer,
  TEST_SESSION_TIMEOUT_MS,
} from './kafka-test-support.js';

const MESSAGES = 10_000;
const KEYS = 16;

describe.skipIf(!RUN)('batch producer on the mock cluster', () => {
  let cluster: MockCluster;

  beforeAll(async () => {
    cluster = await MockCluster.start();
  });

  afterAll(async () => {
    await cluster?.close();
  });

  it('holds messages while the local queue is full, then delivers all of them in order', async () => {
    // A queue of 50 messages: backpressure from the first milliseconds on.
    const producer = await BatchProducer.connect({
      bootstrapServers: cluster.bootstrapServers,
      maxQueuedMessages: 50,
      queueFullWaitMs: 5,
    });
    let refused = 0;
    try {
      for (let i = 0; i < MESSAGES; i++) {
        const value = Buffer.from(`${i % KEYS}:${i}`);
        const queued = producer.produce('ais.raw.charlie', value, String(i % KEYS));
        if (!queued) refused++;
        // First half: a well-behaved caller waits for room. Second half: one that does not
        // (the producer holds everything, in order, and loses nothing).
        if (!queued && i < MESSAGES / 2) await producer.whenWritable();
      }
      expect(producer.writable).toBe(false);
      await producer.flush();
      expect(producer.writable).toBe(true);
      const stats = producer.stats();
      expect(refused).toBeGreaterThan(0);
      expect(stats.queueFullEvents).toBeGreaterThan(0);
      expect(stats).toMatchObject({
        producedMessages: MESSAGES,
        heldMessages: 0,
        failedDeliveries: 0,
      });
    } finally {
      await producer.close();
    }

    const consumer = await subscribedConsumer({
      bootstrapServers: cluster.bootstrapServers,
      groupId: 'backpressure',
      topics: ['ais.raw.charlie'],
      sessionTimeoutMs: TEST_SESSION_TIMEOUT_MS,
    });
    const lastOfKey = new Map<string, number>();
    let received = 0;
    try {
      await readUntil(consumer, {
        until: () => received === MESSAGES,
        timeoutMs: 60_000,
        onBatch: (batch) => {
          for (const part of batch.partitions) {
            expect(part.topic).toBe('ais.raw.charlie');
            for (const message of part.messages) {
              const [key, sequence] = message.value!.toString().split(':');
              expect(message.key!.toString()).toBe(key);
              // One key, one partition: the sequence of a key only grows, with no gap or repeat.
              const expected = (lastOfKey.get(key!) ?? Number(key) - KEYS) + KEYS;
              expect(Number(sequence)).toBe(expected);
              lastOfKey.set(key!, Number(sequence));
              received++;
            }
          }
        },
      });
    } finally {
      await consumer.close();
    }
    expect(lastOfKey.size).toBe(KEYS);
  });

  it('refuses a message larger than the broker takes, naming the topic', async () => {
    const producer = await BatchProducer.connect({
      bootstrapServers: cluster.bootstrapServers,
      config: { 'message.max.bytes': 10_000 },
    });
    try {
      expect(() => producer.produce('alerts', Buffer.alloc(20_000))).toThrow(
        expect.objectContaining({
          code: 'KAFKA_PRODUCE_REJECTED',
          message: expect.stringMatching(/alerts/),
        }),
      );
      await producer.flush();
    } finally {
      await producer.close();
    }
  });

  it('times out a flush while the cluster is gone, keeping the messages queued', async () => {
    const gone = await MockCluster.start();
    const producer = await BatchProducer.connect({
      bootstrapServers: gone.bootstrapServers,
      maxQueuedMessages: 5,
      onClientError: () => undefined,
    });
    producer.produce('tracks.fused', Buffer.from('first'), '1');
    await producer.flush();
    await gone.close();
    // More than the queue takes: some are held in the producer, waiting for room.
    for (let i = 0; i < 20; i++) producer.produce('tracks.fused', Buffer.from(`then ${i}`), '2');
    expect(producer.stats().heldMessages).toBeGreaterThan(0);
    const flush = producer.flush(300);
    await expect(flush).rejects.toBeInstanceOf(KafkaError);
    await expect(flush).rejects.toMatchObject({ code: 'KAFKA_FLUSH_TIMEOUT' });
    // Closing still disconnects, and reports that the flush did not finish.
    await expect(producer.close(300)).rejects.toMatchObject({ code: 'KAFKA_FLUSH_TIMEOUT' });
    expect(() => producer.produce('tracks.fused', Buffer.from('third'))).toThrow(/closed/);
  });

  it('fails to connect to a cluster that is not there, within the connect timeout', async () => {
    const gone = await MockCluster.start();
    const servers = gone.bootstrapServers;
    await gone.close();
    await expect(
      BatchProducer.connect({ bootstrapServers: servers, connectTimeoutMs: 1000 }),
    ).rejects.toMatchObject({ code: 'KAFKA_CONNECT_FAILED' });
    await expect(
      BatchConsumer.connect({ bootstrapServers: servers, groupId: 'g', connectTimeoutMs: 1000 }),
    ).rejects.toMatchObject({ code: 'KAFKA_CONNECT_FAILED' });
  });
});
