import Kafka, {
  type Assignment,
  type KafkaConsumer,
  type LibrdKafkaError,
  type Message,
  type TopicPartition,
  type TopicPartitionOffset,
} from 'node-rdkafka';
import { errorText } from '../../util/error-text.js';
import type { ConsumedBatch, PartitionBatch } from './consumed-batch.js';
import {
  type AssignedPartition,
  ConsumerAssignment,
  type PauseChange,
  topicPartition,
} from './consumer-assignment.js';
import { type ConsumerSettings, consumerConfig, positiveInteger } from './consumer-config.js';
import { KafkaError, librdkafkaCode } from './kafka-error.js';
import { RebalanceHandOver, type RebalanceListener } from './rebalance-hand-over.js';
import { subscription } from './subscription.js';

export type { ConsumedBatch, PartitionBatch } from './consumed-batch.js';
export type { AssignedPartition } from './consumer-assignment.js';
export type { RebalanceListener } from './rebalance-hand-over.js';

const { ERR__NO_OFFSET, ERR__STATE } = Kafka.CODES.ERRORS;

export interface BatchConsumerOptions extends ConsumerSettings {
  /** Most messages in one batch; default 2 000. */
  readonly maxBatchMessages?: number;
  /**
   * About the most bytes of message values in one batch; default 4 MiB. Asks for as many
   * messages as fit at the previous batch's mean size (a message may hold hundreds of NMEA
   * lines: 2 000 of them would be a whole backlog, decoded in one go with the loop held).
   */
  readonly maxBatchBytes?: number;
  /**
   * How long `nextBatch` waits for a first message before it returns an empty batch,
   * milliseconds; default 100. Once a message is in, the batch is returned as soon as the
   * consumer has caught up with every partition (librdkafka's partition-EOF events), so a
   * trickle is not held back until `maxBatchMessages` arrive.
   */
  readonly maxBatchWaitMs?: number;
  /** How long `connect` may take, milliseconds; default 10 000. */
  readonly connectTimeoutMs?: number;
  /** Errors librdkafka recovers from by itself (broker down, unknown topic, ...). */
  readonly onClientError?: (error: LibrdKafkaError | Error) => void;
}

/** Counters for metrics. */
export interface BatchConsumerStats {
  readonly batches: number;
  readonly messages: number;
  /** Batches marked done after their partitions were revoked (their messages will be re-read). */
  readonly staleBatches: number;
  readonly rebalances: number;
  /** Messages dropped because their consume straddled a rebalance (they are read again). */
  readonly droppedAcrossRebalance: number;
  /** Milliseconds from `connect` to the first assignment, undefined before it. */
  readonly firstAssignmentMs: number | undefined;
}

/** Consumer lag of one assigned partition. */
export interface PartitionLag extends AssignedPartition {
  /** Messages between this member's position and the end of the partition. */
  readonly messages: number;
}

/**
 * A consumer-group member that reads in batches and stores an offset only when the caller says
 * a batch is done (at-least-once, issue 4). It knows topics and partitions, not what a topic
 * carries: the caller maps topics to what they mean.
 *
 * - Joining: `connect()`, then `subscribe(topics, listener)` with the rebalance listener (as
 *   Kafka's `subscribe(topics, ConsumerRebalanceListener)`: the listener may use the consumer).
 * - Batches: `nextBatch()` is one `consume(n)` on libuv's thread pool, grouped by partition.
 * - Offsets: `enable.auto.offset.store` is off. `markDone(batch)` stores, per partition, the
 *   offset after the longest run of done batches (`PartitionProgress`); librdkafka commits
 *   stored offsets every `commitIntervalMs`, and `commit()`, a revocation and `close()` commit
 *   them at once. After a crash, everything not marked done is read again.
 * - Rebalances: a `rebalance_cb` runs them (`RebalanceHandOver`; without one, a group join on
 *   the mock cluster was seen to take 35-50 s instead of ~3 s; DESIGN.md §5). node-rdkafka runs
 *   the rebalance callback on the event loop while `consume(n)` goes on in a pool thread, so one
 *   consume can return messages from both sides of a rebalance: such a batch is dropped and the
 *   new assignment restarted from where it started (nothing of it was handed out yet).
 * - Backpressure: `pause()` stops fetching (librdkafka purges what was fetched and resumes from
 *   the position); `nextBatch()` then returns empty batches and keeps the membership alive.
 *   `pause()` survives rebalances. `hold(partitions)` pauses a chosen set of the assignment on
 *   top of it (the worker's read-ahead limit); a revocation ends those.
 */
export class BatchConsumer {
  private readonly consumer: KafkaConsumer;
  private readonly options: BatchConsumerOptions;
  private readonly maxBatchMessages: number;
  private readonly maxBatchBytes: number;
  /** Mean value size of the last batch with messages (a guess before the first). */
  private meanMessageBytes = 16_384;
  private readonly connectedAt = Date.now();
  private readonly assignmentState = new ConsumerAssignment();
  /** Set by `subscribe`: the group protocol starts with the subscription. */
  private rebalance: RebalanceHandOver | undefined;
  private nextBatchId = 1;
  private inFlight: Promise<ConsumedBatch> | undefined;
  private closeStarted = false;
  private closing: Promise<void> | undefined;
  private batches = 0;
  private messages = 0;
  private staleBatches = 0;
  private droppedAcrossRebalance = 0;

  private constructor(consumer: KafkaConsumer, options: BatchConsumerOptions) {
    this.consumer = consumer;
    this.options = options;
    this.maxBatchMessages = positiveInteger('maxBatchMessages', options.maxBatchMessages ?? 2000);
    this.maxBatchBytes = positiveInteger('maxBatchBytes', options.maxBatchBytes ?? 4 * 1024 * 1024);
  }

  /** Connects to the cluster; the consumer joins its group with `subscribe`. */
  static async connect(options: BatchConsumerOptions): Promise<BatchConsumer> {
    const config = consumerConfig(options);
    const maxBatchWaitMs = positiveInteger('maxBatchWaitMs', options.maxBatchWaitMs ?? 100);
    let self: BatchConsumer | undefined;
    const consumer = new Kafka.KafkaConsumer(
      {
        rebalance_cb: (error: LibrdKafkaError | undefined, assignment: Assignment[]) =>
          self?.rebalance?.handle(error, assignment),
        ...config.global,
      },
      config.topic,
    );
    self = new BatchConsumer(consumer, options);
    consumer.setDefaultConsumeTimeout(maxBatchWaitMs);
    // Without a listener an 'event.error' would be thrown by the EventEmitter.
    consumer.on('event.error', (error) => options.onClientError?.(error));
    consumer.on('partition.eof', (eof) => self?.onPartitionEnd(eof));
    try {
      await new Promise<void>((resolve, reject) => {
        consumer.connect({ timeout: options.connectTimeoutMs ?? 10_000 }, (error) =>
          error ? reject(error) : resolve(),
        );
      });
    } catch (error) {
      await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
      throw new KafkaError(
        'KAFKA_CONNECT_FAILED',
        `Consumer could not reach ${options.bootstrapServers}: ${errorText(error)}`,
        { cause: error },
      );
    }
    return self;
  }

  /**
   * Joins the group for `topics` (names, or patterns starting with `^`): the first assignment
   * comes during `nextBatch()`, and `listener` hears every assignment and revocation. Once.
   */
  subscribe(topics: readonly (string | RegExp)[], listener: RebalanceListener = {}): void {
    if (this.closeStarted) throw closedError();
    if (this.rebalance !== undefined) {
      throw new KafkaError('KAFKA_CLIENT_STATE', 'The consumer is already subscribed.');
    }
    const entries = subscription(topics);
    this.rebalance = new RebalanceHandOver({
      client: this.consumer,
      assignment: this.assignmentState,
      listener,
      commit: () => this.commit(),
      nextBatchId: () => this.nextBatchId++,
      onClientError: this.options.onClientError,
      connectedAtMs: this.connectedAt,
    });
    try {
      this.consumer.subscribe(entries);
    } catch (error) {
      this.rebalance = undefined;
      throw error;
    }
  }

  /**
   * The next batch: up to `maxBatchMessages` messages, possibly none (nothing arrived within
   * `maxBatchWaitMs`, partitions paused, or a rebalance). Call it in a loop: it also serves the
   * group protocol. One call at a time.
   */
  nextBatch(): Promise<ConsumedBatch> {
    if (this.closeStarted) return Promise.reject(closedError());
    const failure = this.rebalance?.failed;
    if (failure !== undefined) return Promise.reject(failure);
    if (this.inFlight !== undefined) {
      return Promise.reject(
        new KafkaError('KAFKA_CLIENT_STATE', 'nextBatch() called while another is running.'),
      );
    }
    const run = this.consumeBatch();
    this.inFlight = run;
    const clear = (): void => {
      this.inFlight = undefined;
    };
    run.then(clear, clear);
    return run;
  }

  /**
   * The caller has finished every message of `batch` (its results are flushed downstream):
   * store the offsets it completes. Batches may be marked in any order; an offset moves only
   * over a run of done batches.
   */
  markDone(batch: ConsumedBatch): void {
    if (batch.generation !== this.assignmentState.generation) {
      if (batch.messageCount > 0) this.staleBatches++;
      return;
    }
    const toStore: TopicPartitionOffset[] = [];
    for (const part of batch.partitions) {
      const progress = this.assignmentState.find(part.topic, part.partition);
      const offset = progress?.finish(batch.id);
      if (offset === undefined) continue;
      toStore.push({ topic: part.topic, partition: part.partition, offset });
    }
    if (toStore.length === 0) return;
    try {
      this.consumer.offsetsStore(toStore);
    } catch (error) {
      // A partition revoked under us (its messages will be re-read by its new owner).
      if (librdkafkaCode(error) !== ERR__STATE) throw error;
    }
  }

  /**
   * Commits the stored offsets now (blocks for one broker round trip). Only needed when
   * `commitIntervalMs` is 0 or the caller wants a commit point; rebalances and `close()` commit
   * by themselves.
   */
  commit(): void {
    try {
      this.consumer.commitSync(null);
    } catch (error) {
      const code = librdkafkaCode(error);
      // Nothing stored since the last commit.
      if (code === ERR__NO_OFFSET) return;
      throw new KafkaError('KAFKA_COMMIT_FAILED', `Offset commit failed: ${errorText(error)}`, {
        cause: error,
      });
    }
  }

  /** The group's committed offsets of `partitions` (default: this member's assignment). */
  committed(
    partitions: readonly TopicPartition[] = this.assignmentState.partitions,
    timeoutMs = 10_000,
  ): Promise<TopicPartitionOffset[]> {
    const list = partitions.map(topicPartition);
    return new Promise((resolve, reject) => {
      this.consumer.committed(list, timeoutMs, (error, offsets) => {
        if (error) {
          reject(
            new KafkaError(
              'KAFKA_COMMIT_FAILED',
              `Reading committed offsets failed: ${error.message}`,
              {
                cause: error,
              },
            ),
          );
        } else {
          resolve(offsets);
        }
      });
    });
  }

  /**
   * Stops fetching every partition, assigned now or later (backpressure), until `resume()`.
   * Independent of `hold`: a partition fetches when neither stops it.
   */
  pause(): void {
    this.applyPauses(this.assignmentState.pauseAll(true));
  }

  /** Ends `pause()`; the partitions `hold` names stay paused. */
  resume(): void {
    this.applyPauses(this.assignmentState.pauseAll(false));
  }

  /**
   * Pauses exactly these partitions (of the current assignment) and no others, besides
   * `pause()`: the set replaces the previous one, and only the differences reach librdkafka.
   */
  hold(partitions: readonly TopicPartition[]): void {
    this.applyPauses(this.assignmentState.hold(partitions));
  }

  /** Partitions of the assignment not fetching now (`pause()` or `hold`). */
  get pausedCount(): number {
    return this.assignmentState.pausedCount;
  }

  /** Partitions currently assigned to this member. */
  assignment(): readonly AssignedPartition[] {
    return this.assignmentState.partitions.map(topicPartition);
  }

  /**
   * The batch standing for the input before the start offsets a `startOffsets` hook gave (see
   * `RebalanceHandOver.takeHandOver`); undefined when there is none. Handed out once.
   */
  takeHandOver(): ConsumedBatch | undefined {
    return this.rebalance?.takeHandOver();
  }

  /**
   * Lag per assigned partition: librdkafka's cached high watermark (updated by every fetch) less
   * this member's position. Partitions not fetched yet are left out.
   */
  lag(): PartitionLag[] {
    const out: PartitionLag[] = [];
    const assigned = this.assignmentState.partitions;
    if (assigned.length === 0) return out;
    const positions = this.consumer.position(assigned.map(topicPartition));
    for (const position of positions) {
      const progress = this.assignmentState.find(position.topic, position.partition);
      if (progress === undefined) continue;
      let messages: number;
      // librdkafka leaves the offset out (undefined) as well as negative (-1001, invalid) for a
      // partition not consumed yet: either way a number here would be a NaN lag.
      if (!(position.offset >= 0)) {
        // Nothing consumed in this assignment: known only when the partition reported its end.
        if (!progress.atEnd) continue;
        messages = 0;
      } else {
        let high: number;
        try {
          high = this.consumer.getWatermarkOffsets(position.topic, position.partition).highOffset;
        } catch {
          continue;
        }
        if (!(high >= 0)) continue;
        messages = Math.max(0, high - position.offset);
      }
      out.push({ topic: position.topic, partition: position.partition, messages });
    }
    return out;
  }

  /**
   * True when every assigned partition reported its end after the last message handed out: all
   * that had been written when the consumer got there has been returned (a replayed backlog is
   * done, a test has read everything).
   */
  caughtUp(): boolean {
    const assigned = this.assignmentState.partitions;
    return assigned.length > 0 && assigned.every((progress) => progress.atEnd);
  }

  /**
   * True when the assigned partition reported its end after the last message handed out from it
   * (`caughtUp` for one partition); false for a partition not assigned here, and for one paused
   * (`pause()`, `hold`): what was written to it meanwhile is not being read, so its end is not
   * known.
   */
  atEnd(topic: string, partition: number): boolean {
    if (this.assignmentState.isPaused(topic, partition)) return false;
    return this.assignmentState.find(topic, partition)?.atEnd ?? false;
  }

  /**
   * How many partitions the topics `matches` accepts have in all (a metadata request for every
   * topic): what a consumer group subscribed by pattern reads, whichever member holds them.
   */
  partitionsOf(matches: (topic: string) => boolean, timeoutMs = 10_000): Promise<number> {
    return new Promise((resolve, reject) => {
      this.consumer.getMetadata({ timeout: timeoutMs }, (error, metadata) => {
        if (error) {
          reject(
            new KafkaError(
              'KAFKA_METADATA_FAILED',
              `Metadata request failed: ${errorText(error)}`,
              {
                cause: error,
              },
            ),
          );
          return;
        }
        let count = 0;
        for (const topic of metadata.topics)
          if (matches(topic.name)) count += topic.partitions.length;
        resolve(count);
      });
    });
  }

  stats(): BatchConsumerStats {
    return {
      batches: this.batches,
      messages: this.messages,
      staleBatches: this.staleBatches,
      rebalances: this.rebalance?.rebalances ?? 0,
      droppedAcrossRebalance: this.droppedAcrossRebalance,
      firstAssignmentMs: this.rebalance?.firstAssignmentMs,
    };
  }

  /**
   * Leaves the group gracefully: waits for a running `nextBatch()`, commits the offsets of the
   * batches marked done, lets `onRevoked` run, and disconnects. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    this.closeStarted = true;
    this.rebalance?.closeStarted();
    await this.inFlight?.catch(() => undefined);
    let closeError: unknown;
    try {
      await this.rebalance?.handOverOnClose();
    } catch (error) {
      closeError = error;
    }
    await new Promise<void>((resolve) => this.consumer.disconnect(() => resolve()));
    await this.rebalance?.settled();
    if (closeError !== undefined) throw closeError;
  }

  private async consumeBatch(): Promise<ConsumedBatch> {
    await this.rebalance?.settled();
    const generation = this.assignmentState.generation;
    let messages: Message[];
    try {
      messages = await new Promise<Message[]>((resolve, reject) => {
        this.consumer.consume(this.batchMessages(), (error, batch) =>
          error ? reject(error) : resolve(batch),
        );
      });
    } catch (error) {
      const fatal =
        !this.consumer.isConnected() || (error as { isFatal?: boolean } | null)?.isFatal === true;
      if (fatal) {
        throw new KafkaError('KAFKA_CONSUME_FAILED', `Consume failed: ${errorText(error)}`, {
          cause: error,
        });
      }
      // Transient (unknown topic while a pattern's topics are created, broker restart, ...).
      this.options.onClientError?.(error instanceof Error ? error : new Error(errorText(error)));
      messages = [];
    }
    // A rebalance was handled while this consume ran. Messages taken before it belong to the old
    // assignment (not committed: their partitions' next owner reads them again); messages taken
    // after it belong to the new one and moved its positions. Drop them all and restart the new
    // assignment from where it started, as librdkafka did when it was assigned.
    await this.rebalance?.settled();
    if (generation !== this.assignmentState.generation) {
      this.droppedAcrossRebalance += messages.length;
      messages = [];
      this.rebalance?.restart();
    }
    return this.group(messages, generation);
  }

  /** Messages to ask for: as many as `maxBatchBytes` holds at the last batch's mean size. */
  private batchMessages(): number {
    const fit = Math.floor(this.maxBatchBytes / Math.max(1, this.meanMessageBytes));
    return Math.max(1, Math.min(this.maxBatchMessages, fit));
  }

  private group(messages: readonly Message[], generation: number): ConsumedBatch {
    const id = this.nextBatchId++;
    const partitions: PartitionBatch[] = [];
    let current: PartitionBatch | undefined;
    let count = 0;
    for (const message of messages) {
      // librdkafka returns each partition's messages as runs, so the last group usually matches.
      if (
        current === undefined ||
        current.partition !== message.partition ||
        current.topic !== message.topic
      ) {
        current = undefined;
        for (const part of partitions) {
          if (part.partition === message.partition && part.topic === message.topic) current = part;
        }
        if (current === undefined) {
          if (!this.assignmentState.has(message)) continue;
          current = { topic: message.topic, partition: message.partition, messages: [] };
          partitions.push(current);
        }
      }
      current.messages.push(message);
      count++;
    }
    let bytes = 0;
    for (const part of partitions) {
      this.assignmentState
        .find(part.topic, part.partition)!
        .handOut(id, part.messages.at(-1)!.offset + 1);
      for (const message of part.messages) bytes += message.value?.length ?? 0;
    }
    if (count > 0) this.meanMessageBytes = bytes / count;
    this.batches++;
    this.messages += count;
    return { id, generation, partitions, messageCount: count };
  }

  private applyPauses({ toPause, toResume }: PauseChange): void {
    if (toPause.length > 0) this.consumer.pause(toPause);
    if (toResume.length > 0) this.consumer.resume(toResume);
  }

  private onPartitionEnd(eof: TopicPartitionOffset): void {
    const progress = this.assignmentState.find(eof.topic, eof.partition);
    if (progress !== undefined) progress.endOffsetSeen = eof.offset;
  }
}

function closedError(): KafkaError {
  return new KafkaError('KAFKA_CLIENT_STATE', 'The consumer is closed.');
}
