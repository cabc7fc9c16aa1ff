import { encodeAis } from '../../../src/ais/encoder.js';
import {
  BatchConsumer,
  type BatchConsumerOptions,
  type ConsumedBatch,
  type RebalanceListener,
} from '../../../src/io/kafka/batch-consumer.js';
import { RAW_TOPIC_PATTERN } from '../../../src/io/kafka/raw-topic.js';

/** Set by vitest.integration.config.ts: outside it (plain `npm test`) these tests skip. */
export const RUN = process.env.TIDEWATCH_INTEGRATION === '1';

/**
 * Session timeout for test consumers. The mock cluster holds a group that a member left or joined
 * for the session timeout less 1 s before it assigns again; 6 s is Kafka's minimum.
 */
export const TEST_SESSION_TIMEOUT_MS = 6000;

const BASE_TIME_MS = Date.UTC(2024, 4, 2, 0, 0, 0);

/** MMSI of line `index` of a generated feed: distinct per line, valid ship range (MID 2xx). */
export function lineMmsi(index: number): number {
  return 244_000_000 + index;
}

/**
 * Line `index` of a member's generated feed: a type 1 position report with an NMEA 4.10 tag block
 * naming the member's receiver, distinct across members and indexes.
 */
export function nmeaLine(member: string, index: number): string {
  const [line] = encodeAis(
    {
      type: 1,
      mmsi: lineMmsi(index),
      navStatus: 0,
      sog: (index % 200) / 10,
      lat: 50 + (index % 1000) / 1000,
      lon: 3 + (index % 997) / 997,
      cog: index % 360,
      heading: index % 360,
      second: index % 60,
    },
    { tagBlock: { station: `${member}-rx`, receivedAtMs: BASE_TIME_MS + index * 1000 } },
  );
  return line!;
}

export interface SubscribedConsumerOptions extends BatchConsumerOptions {
  /** Topic names and patterns; default every raw feed topic (`ais.raw.*`). */
  readonly topics?: readonly (string | RegExp)[];
  readonly listener?: RebalanceListener;
}

/** A consumer connected and subscribed (a test reader; the worker subscribes on its own). */
export async function subscribedConsumer(
  options: SubscribedConsumerOptions,
): Promise<BatchConsumer> {
  const consumer = await BatchConsumer.connect(options);
  try {
    consumer.subscribe(options.topics ?? [RAW_TOPIC_PATTERN], options.listener);
  } catch (error) {
    await consumer.close();
    throw error;
  }
  return consumer;
}

export interface ReadOptions {
  /** Stop once this returns true (checked after every batch). */
  readonly until: () => boolean;
  /** Give up after this long, milliseconds. */
  readonly timeoutMs: number;
  /** Mark each batch done after `onBatch` (default true). */
  readonly markDone?: boolean;
  readonly onBatch?: (batch: ConsumedBatch) => void;
}

/**
 * Reads batches until `until()` holds; throws, naming what was read, if it does not within
 * `timeoutMs`. Bounded by the deadline, not by sleeps: each batch returns within the consumer's
 * `maxBatchWaitMs`.
 */
export async function readUntil(consumer: BatchConsumer, options: ReadOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (!options.until()) {
    if (Date.now() > deadline) {
      const stats = consumer.stats();
      throw new Error(
        `Consumer did not finish within ${options.timeoutMs} ms: ${stats.messages} messages in ${stats.batches} batches, first assignment after ${stats.firstAssignmentMs} ms.`,
      );
    }
    const batch = await consumer.nextBatch();
    options.onBatch?.(batch);
    if (options.markDone ?? true) consumer.markDone(batch);
  }
}

/**
 * Reads until this member has caught up: every assigned partition reported its end after the
 * last message returned, so whatever the partitions held has been read and counts are final.
 */
export async function readToEnd(
  consumer: BatchConsumer,
  timeoutMs: number,
  onBatch: (batch: ConsumedBatch) => void,
): Promise<void> {
  await readUntil(consumer, { until: () => consumer.caughtUp(), timeoutMs, onBatch });
}

/** Messages per second, rounded. */
export function rate(count: number, elapsedMs: number): number {
  return Math.round((count * 1000) / Math.max(1, elapsedMs));
}
