import Kafka, { type ProducerGlobalConfig } from 'node-rdkafka';
import { StreamDecoder } from '../src/ais/stream-decoder.js';
import { rawTopic } from '../src/io/kafka/raw-topic.js';

/** One Kafka message of a member's raw feed: many NMEA lines, for one partition. */
export interface RawFeedMessage {
  readonly topic: string;
  readonly partition: number;
  readonly key: string;
  readonly value: Buffer;
  readonly lines: number;
}

/** A sentence of a group other than its last (`g:1-2-7`): the next line belongs with it. */
const GROUP_CONTINUES = /^\\(?:[^\\]*,)?g:(\d+)-(\d+)-/;

/**
 * Member feeds (lines in receive-time order) as Kafka messages of about `linesPerMessage` lines
 * for `<topicPrefix><member>`, members taking turns a message each (their event times stay
 * level, as live feeds would be). A member's messages go round its `partitions` in turn, each
 * partition keeping its share in order: librdkafka's mock cluster keeps only about 5 MiB per
 * partition (DESIGN.md §5), so one partition per member would drop most of a big backlog. A
 * message never ends inside a multi-sentence group (its sentences must reach one partition's
 * decoder).
 */
export function backlogMessages(
  feeds: readonly { member: string; lines: readonly string[] }[],
  topicPrefix: string,
  linesPerMessage: number,
  partitions: number,
): RawFeedMessage[] {
  const cursors = feeds.map((feed) => ({
    ...feed,
    topic: rawTopic(feed.member, topicPrefix),
    next: 0,
    sent: 0,
  }));
  const out: RawFeedMessage[] = [];
  for (let more = true; more; ) {
    more = false;
    for (const feed of cursors) {
      const { lines } = feed;
      if (feed.next >= lines.length) continue;
      more = true;
      let end = Math.min(lines.length, feed.next + linesPerMessage);
      while (end < lines.length && continuesGroup(lines[end - 1]!)) end++;
      const chunk = lines.slice(feed.next, end);
      const partition = feed.sent++ % partitions;
      out.push({
        topic: feed.topic,
        partition,
        key: `${feed.member}-${partition}`,
        value: Buffer.from(`${chunk.join('\n')}\n`, 'latin1'),
        lines: chunk.length,
      });
      feed.next = end;
    }
  }
  return out;
}

function continuesGroup(line: string): boolean {
  const match = GROUP_CONTINUES.exec(line);
  return match !== null && Number(match[1]) < Number(match[2]);
}

/**
 * AIS messages a worker decodes from `feeds` (lines with a receive time, as the worker requires;
 * a two-sentence message counts once, a malformed line not at all): the "reports" of the
 * end-to-end throughput, with cross-member duplicates counted, as in the `core` benchmark.
 */
export function countDecodable(feeds: readonly { lines: readonly string[] }[]): number {
  let messages = 0;
  for (const feed of feeds) {
    const decoder = new StreamDecoder({ requireTime: true });
    for (const line of feed.lines) {
      const bytes = Buffer.from(line, 'latin1');
      if (decoder.decodeLine(bytes, 0, bytes.length) === 'message') messages++;
    }
  }
  return messages;
}

/**
 * Produces `messages` to their partitions (node-rdkafka directly: BatchProducer picks partitions
 * by key) with lz4 as `tidewatch feed` does, and waits until the broker has them all.
 */
export async function produceBacklog(
  bootstrapServers: string,
  messages: readonly RawFeedMessage[],
): Promise<void> {
  const config: ProducerGlobalConfig = {
    'bootstrap.servers': bootstrapServers,
    'client.id': 'tidewatch-bench-backlog',
    'compression.codec': 'lz4',
    'linger.ms': 5,
    'enable.idempotence': true,
    dr_cb: true,
  };
  const producer = new Kafka.Producer(config);
  let failed: Error | undefined;
  producer.on('delivery-report', (error) => {
    if (error) failed ??= new Error(`backlog delivery failed: ${error.message}`);
  });
  await new Promise<void>((resolvePromise, reject) => {
    producer.connect({ timeout: 10_000 }, (error) => (error ? reject(error) : resolvePromise()));
  });
  try {
    producer.setPollInterval(50);
    for (const m of messages) producer.produce(m.topic, m.partition, m.value, m.key, null);
    await new Promise<void>((resolvePromise, reject) => {
      producer.flush(60_000, (error) => (error ? reject(error) : resolvePromise()));
    });
    // Delivery reports are served on the poll interval.
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 100));
    if (failed !== undefined) throw failed;
  } finally {
    await new Promise<void>((resolvePromise) =>
      producer.disconnect(10_000, () => resolvePromise()),
    );
  }
}
