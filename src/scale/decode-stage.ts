import { setTimeout as sleep } from 'node:timers/promises';
import type { AisMessage } from '../ais/ais-message.js';
import type {
  AssignedPartition,
  BatchConsumer,
  ConsumedBatch,
  RebalanceListener,
} from '../io/kafka/batch-consumer.js';
import type { BatchProducer } from '../io/kafka/batch-producer.js';
import { partitionKey } from '../io/kafka/partition-key.js';
import { subscribes } from '../io/kafka/subscription.js';
import type { Logger } from '../util/logger.js';
import type { PartitionDecoder } from '../worker/partition-decoder.js';
import { type PartitionWatermarks, upstreamId } from '../worker/partition-watermarks.js';
import type { TopicMembers } from '../worker/topic-members.js';
import type { WorkerEvents } from '../worker/worker-events.js';
import type { WorkerOutput } from '../worker/worker-output.js';
import { mmsiPartition } from './mmsi-partitioner.js';
import { ReportRecordWriter, type UpstreamMark } from './report-record.js';

export interface DecodeStageOptions {
  /** In the decode stage's own consumer group, not yet subscribed. */
  readonly consumer: BatchConsumer;
  /** Shared with the fusion stage's outputs (dead letters go through `output`). */
  readonly producer: BatchProducer;
  /** Its decoders and dead letters (`WorkerOutput.newDecoder`, `deadLetter`). */
  readonly output: WorkerOutput;
  readonly members: TopicMembers;
  /** The raw partitions' progress (this instance's). */
  readonly watermarks: PartitionWatermarks;
  /** The raw topics to read: names, or one pattern. */
  readonly topics: readonly (string | RegExp)[];
  readonly reportsTopic: string;
  /** Partitions of `reportsTopic`. */
  readonly reportPartitions: number;
  readonly watermarkIntervalMs: number;
  readonly flushIntervalMs: number;
  readonly maxReadAheadMs: number;
  readonly events: WorkerEvents;
  readonly log: Logger;
}

/** How often the raw topics' partition count (every decode instance's together) is looked up. */
const PARTITION_COUNT_INTERVAL_MS = 5000;

/**
 * The decode stage of a scaled deployment (docs/scale-out.md, issue 16): reads the members' raw
 * topics in its own consumer group, decodes each partition as the one worker does
 * (`PartitionDecoder`: dead letters, `no_member`, fragments within a partition), and sends every
 * decoded message to the internal topic, on the partition of its MMSI (`mmsiPartition`), as a
 * compact record (`ReportRecordWriter`). After the reports, each raw partition's event-time
 * progress goes to every internal partition as a watermark record (when it changed, and every
 * `watermarkIntervalMs` so that idleness and liveness arrive too).
 *
 * Delivery: at least once. A batch's offsets are stored once a producer flush that started
 * after its records were produced has completed. Not yet: a two-part message cut between two
 * Kafka messages whose first part's offset was committed before a crash is rejected as
 * `fragment` after the restart (the one worker checkpoints its decoders).
 *
 * Backpressure: the producer's queue full → the loop waits for room before the next batch; a raw
 * partition more than `maxReadAheadMs` ahead of this instance's slowest is paused.
 */
export class DecodeStage implements RebalanceListener {
  private readonly decoders = new Map<string, PartitionDecoder>();
  /** Whether the stage's subscription reads a topic. */
  private readonly reads: (topic: string) => boolean;
  private readonly writer = new ReportRecordWriter();
  private readonly lastSent = new Map<string, { progressMs: number; idle: boolean }>();
  private lastForwardAtMs = 0;
  private upstreamPartitions = 0;
  private countedAtMs = Number.NEGATIVE_INFINITY;
  private pending: ConsumedBatch[] = [];
  private flushing: Promise<void> | undefined;
  private lastFlushAtMs = Date.now();
  private stopping = false;
  private running: Promise<void> | undefined;

  constructor(private readonly options: DecodeStageOptions) {
    this.reads = subscribes(options.topics);
  }

  /** Joins the decode group and consumes until `stop()`. */
  run(): Promise<void> {
    if (this.running !== undefined) return this.running;
    this.options.consumer.subscribe(this.options.topics, this);
    this.running = this.loop().finally(() => this.close());
    return this.running;
  }

  /** Stops fetching; resolves once what was decoded is delivered and committed. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  onAssigned(partitions: readonly AssignedPartition[]): void {
    const now = Date.now();
    for (const p of partitions) this.options.watermarks.assign(p.topic, p.partition, now);
    this.countedAtMs = Number.NEGATIVE_INFINITY;
    this.options.log.info(
      { partitions: partitions.map((p) => `${p.topic}[${p.partition}]`) },
      'decode stage: partitions assigned',
    );
  }

  async onRevoked(partitions: readonly AssignedPartition[]): Promise<void> {
    await this.flush();
    for (const p of partitions) {
      this.options.watermarks.revoke(p.topic, p.partition);
      this.decoders.delete(partitionKey(p.topic, p.partition));
      this.lastSent.delete(upstreamId(p.topic, p.partition));
    }
  }

  private async loop(): Promise<void> {
    const { consumer, producer } = this.options;
    while (!this.stopping) {
      if (!producer.writable) await Promise.race([producer.whenWritable(), sleep(200)]);
      const batch = await consumer.nextBatch();
      const now = Date.now();
      if (batch.messageCount > 0) this.decode(batch, now);
      await this.countUpstream(now);
      this.forwardWatermarks(now);
      this.limitReadAhead(now);
      if (this.flushing === undefined && now - this.lastFlushAtMs >= this.options.flushIntervalMs) {
        this.flushing = this.flush().finally(() => {
          this.flushing = undefined;
        });
      }
    }
  }

  private decode(batch: ConsumedBatch, now: number): void {
    const { events, members, output, watermarks } = this.options;
    for (const part of batch.partitions) {
      const member = members.labelOf(part.topic);
      const key = partitionKey(part.topic, part.partition);
      let decoder = this.decoders.get(key);
      if (decoder === undefined) {
        const clock = watermarks.clock(part.topic, part.partition, now);
        decoder = output.newDecoder(part.topic, part.partition, member, clock, this.send);
        this.decoders.set(key, decoder);
      }
      let decoded = 0;
      for (const message of part.messages) {
        decoded += decoder.decode(message.value, message.offset, message.timestamp);
      }
      watermarks.received(part.topic, part.partition, now);
      events.messagesIn?.(member, decoded);
    }
    events.kafkaMessages?.(batch.messageCount);
    this.pending.push(batch);
  }

  /** One decoded message to the internal topic, on its vessel's partition. */
  private readonly send = (m: AisMessage, member: string): void => {
    const { producer, reportPartitions, reportsTopic } = this.options;
    const value = this.writer.report(m, member);
    const partition = mmsiPartition(m.mmsi, reportPartitions);
    producer.produce(reportsTopic, value, String(m.mmsi), m.receivedAt ?? null, partition);
  };

  /** How many raw partitions the whole stage reads (looked up at assignment and every 5 s). */
  private async countUpstream(now: number): Promise<void> {
    if (now - this.countedAtMs < PARTITION_COUNT_INTERVAL_MS) return;
    this.countedAtMs = now;
    try {
      this.upstreamPartitions = await this.options.consumer.partitionsOf(this.reads);
    } catch (error) {
      this.options.log.warn({ err: (error as Error).message }, 'raw partitions not counted');
    }
  }

  /**
   * Every raw partition's mark to every internal partition: when its progress or idleness
   * changed, or `watermarkIntervalMs` passed. Not before the raw partitions are counted: a
   * downstream partition must know how many upstreams to wait for.
   */
  private forwardWatermarks(now: number): void {
    if (this.upstreamPartitions === 0) return;
    const { producer, reportPartitions, reportsTopic, watermarks } = this.options;
    const all = now - this.lastForwardAtMs >= this.options.watermarkIntervalMs;
    if (all) this.lastForwardAtMs = now;
    for (const mark of watermarks.marks(now, this.atEnd, this.upstreamPartitions)) {
      const last = this.lastSent.get(mark.upstream);
      if (!all && last?.progressMs === mark.progressMs && last.idle === mark.idle) continue;
      this.lastSent.set(mark.upstream, { progressMs: mark.progressMs, idle: mark.idle });
      this.sendMark(mark, producer, reportsTopic, reportPartitions);
    }
  }

  private sendMark(
    mark: UpstreamMark,
    producer: BatchProducer,
    topic: string,
    partitions: number,
  ): void {
    const value = this.writer.watermark(mark);
    for (let p = 0; p < partitions; p++) producer.produce(topic, value, mark.upstream, null, p);
  }

  private limitReadAhead(now: number): void {
    const { atEnd } = this;
    const { consumer, maxReadAheadMs, watermarks } = this.options;
    const watermark = watermarks.watermark(now, atEnd);
    consumer.hold(watermarks.ahead(maxReadAheadMs, watermark, now));
  }

  private readonly atEnd = (topic: string, partition: number): boolean =>
    this.options.consumer.atEnd(topic, partition);

  /** Delivers what was produced and stores the offsets of the batches it covers. */
  private async flush(): Promise<void> {
    const batches = this.pending;
    this.pending = [];
    this.lastFlushAtMs = Date.now();
    try {
      await this.options.producer.flush();
    } catch (error) {
      // Not stored: read again by this instance or the partitions' next owner (at least once).
      this.options.log.warn({ err: (error as Error).message }, 'decode stage: flush failed');
      this.pending = batches.concat(this.pending);
      return;
    }
    for (const batch of batches) this.options.consumer.markDone(batch);
  }

  private async close(): Promise<void> {
    await this.flushing;
    await this.flush();
    await this.options.consumer.close();
  }
}
