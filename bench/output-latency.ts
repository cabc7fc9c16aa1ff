import Kafka, { type KafkaConsumer, type Message, type Metadata } from 'node-rdkafka';
import { decodeFusedTrack } from '../src/io/protobuf/fused-track-codec.js';

/** Latencies of the fused tracks published in a window, from the `tracks.fused` topic. */
export interface OutputLatencies {
  /** Per message in the window: its Kafka timestamp (when the worker produced it), epoch ms. */
  readonly outputAtMs: Float64Array;
  /** Per message: Kafka timestamp less the track's `lastSeen`, ms. */
  readonly latencyMs: Float64Array;
  /** Messages read from the topic in all (the broker may have dropped older ones). */
  readonly messagesRead: number;
  /** Timestamp of the oldest message the broker still held, epoch ms (Infinity if none). */
  readonly oldestHeldMs: number;
}

/**
 * Reads everything `topic` holds (partitions assigned directly from their low watermarks: no
 * group, no join) and, for each message stamped in [fromMs, toMs), how long after its report's
 * append to the raw topic the worker produced it: the message's timestamp (librdkafka stamps it
 * at `produce`) less the track's `lastSeen`, the event time of its newest report, which the
 * latency runs make that report's append time (`PacedFeed`).
 */
export async function readOutputLatencies(
  bootstrapServers: string,
  topic: string,
  fromMs: number,
  toMs: number,
  timeoutMs = 60_000,
): Promise<OutputLatencies> {
  const consumer = new Kafka.KafkaConsumer(
    {
      'bootstrap.servers': bootstrapServers,
      'group.id': `bench-e2e-reader-${process.pid}`,
      'client.id': 'tidewatch-bench-reader',
      'enable.auto.commit': false,
      'fetch.wait.max.ms': 10,
      'fetch.queue.backoff.ms': 10,
    },
    {},
  );
  const metadata = await new Promise<Metadata>((resolvePromise, reject) => {
    consumer.connect({ topic, timeout: 10_000 }, (error, data) =>
      error ? reject(error) : resolvePromise(data),
    );
  });
  try {
    const partitions = metadata.topics.find((t) => t.name === topic)?.partitions ?? [];
    const ends = new Map<number, number>();
    const assignment: { topic: string; partition: number; offset: number }[] = [];
    for (const { id } of partitions) {
      const { lowOffset, highOffset } = await watermarks(consumer, topic, id);
      if (highOffset > lowOffset) {
        ends.set(id, highOffset);
        assignment.push({ topic, partition: id, offset: lowOffset });
      }
    }
    const outputAt: number[] = [];
    const latency: number[] = [];
    let messagesRead = 0;
    let oldestHeldMs = Number.POSITIVE_INFINITY;
    if (assignment.length === 0) {
      return {
        outputAtMs: new Float64Array(),
        latencyMs: new Float64Array(),
        messagesRead,
        oldestHeldMs,
      };
    }
    // Return a batch once the assigned partitions have nothing more, not after librdkafka's 1 s.
    consumer.setDefaultConsumeTimeout(100);
    consumer.assign(assignment);
    const deadline = Date.now() + timeoutMs;
    while (ends.size > 0) {
      if (Date.now() > deadline) {
        throw new Error(
          `reading ${topic}: ${ends.size} partition(s) not read to the end in ${timeoutMs} ms`,
        );
      }
      const batch = await new Promise<Message[]>((resolvePromise, reject) => {
        consumer.consume(10_000, (error, messages) =>
          error ? reject(error) : resolvePromise(messages),
        );
      });
      for (const message of batch) {
        messagesRead++;
        const at = message.timestamp ?? Number.NaN;
        if (at < oldestHeldMs) oldestHeldMs = at;
        if (at >= fromMs && at < toMs && message.value) {
          outputAt.push(at);
          latency.push(at - decodeFusedTrack(message.value).lastSeen);
        }
        if (message.offset + 1 >= (ends.get(message.partition) ?? 0))
          ends.delete(message.partition);
      }
    }
    return {
      outputAtMs: Float64Array.from(outputAt),
      latencyMs: Float64Array.from(latency),
      messagesRead,
      oldestHeldMs,
    };
  } finally {
    await new Promise<void>((resolvePromise) => consumer.disconnect(() => resolvePromise()));
  }
}

function watermarks(
  consumer: KafkaConsumer,
  topic: string,
  partition: number,
): Promise<{ lowOffset: number; highOffset: number }> {
  return new Promise((resolvePromise, reject) => {
    consumer.queryWatermarkOffsets(topic, partition, 10_000, (error, offsets) =>
      error ? reject(error) : resolvePromise(offsets),
    );
  });
}
