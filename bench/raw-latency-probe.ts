import Kafka, { type KafkaConsumer, type Metadata } from 'node-rdkafka';

/**
 * The latency runs' baseline: how long Kafka itself takes to hand a raw-feed message to a plain
 * consumer in this process (partitions assigned at their ends, no group, no work), measured on
 * the same messages and in the same run as the worker's output latency. Records, per message, its
 * Kafka timestamp (the append time the paced feed stamps) and when it reached JavaScript here —
 * where the paced feed also runs, so its own work can delay an arrival: an upper bound.
 */
export class RawLatencyProbe {
  private readonly appendAt: number[] = [];
  private readonly receivedAt: number[] = [];
  private disconnecting: Promise<void> | undefined;

  private constructor(private readonly consumer: KafkaConsumer) {}

  static async start(
    bootstrapServers: string,
    topics: readonly string[],
  ): Promise<RawLatencyProbe> {
    const consumer = new Kafka.KafkaConsumer(
      {
        'bootstrap.servers': bootstrapServers,
        'group.id': `bench-e2e-probe-${process.pid}`,
        'client.id': 'tidewatch-bench-probe',
        'enable.auto.commit': false,
        'fetch.wait.max.ms': 10,
        'fetch.queue.backoff.ms': 10,
      },
      {},
    );
    const metadata = await new Promise<Metadata>((resolvePromise, reject) => {
      consumer.connect({ allTopics: true, timeout: 10_000 }, (error, data) =>
        error ? reject(error) : resolvePromise(data),
      );
    });
    const assignment: { topic: string; partition: number; offset: number }[] = [];
    for (const topic of metadata.topics) {
      if (!topics.includes(topic.name)) continue;
      for (const { id } of topic.partitions) {
        // OFFSET_END: only what is appended from now on.
        assignment.push({ topic: topic.name, partition: id, offset: -1 });
      }
    }
    if (assignment.length === 0) throw new Error(`probe: none of ${topics.join(', ')} exists`);
    const probe = new RawLatencyProbe(consumer);
    // Flowing mode: each message is handed to JavaScript as soon as librdkafka has it (a batch
    // `consume(n)` would stamp a whole batch with the time it ended).
    consumer.on('data', (message) => {
      if (message.timestamp === undefined) return;
      probe.appendAt.push(message.timestamp);
      probe.receivedAt.push(Date.now());
    });
    consumer.assign(assignment);
    consumer.consume();
    return probe;
  }

  /** Stops consuming (idempotent); the latencies (ms) of the messages appended in [fromMs, toMs). */
  async stop(fromMs: number, toMs: number): Promise<Float64Array> {
    this.disconnecting ??= new Promise<void>((resolvePromise) =>
      this.consumer.disconnect(() => resolvePromise()),
    );
    await this.disconnecting;
    const out: number[] = [];
    for (let i = 0; i < this.appendAt.length; i++) {
      const at = this.appendAt[i]!;
      if (at >= fromMs && at < toMs) out.push(this.receivedAt[i]! - at);
    }
    return Float64Array.from(out);
  }
}
