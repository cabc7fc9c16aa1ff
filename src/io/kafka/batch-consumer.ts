import Kafka, {
  type Assignment,
  type ConsumerGlobalConfig,
  type KafkaConsumer,
  type LibrdKafkaError,
  type Message,
  type TopicPartition,
  type TopicPartitionOffset,
} from 'node-rdkafka';
import { errorText } from '../../util/error-text.js';
import { KafkaError, librdkafkaCode } from './kafka-error.js';
import { partitionKey } from './partition-key.js';
import { PartitionProgress } from './partition-progress.js';
import { memberOfRawTopic, RAW_TOPIC_PATTERN } from './raw-topic.js';

const { ERR__ASSIGN_PARTITIONS, ERR__REVOKE_PARTITIONS, ERR__NO_OFFSET, ERR__STATE } =
  Kafka.CODES.ERRORS;

export interface BatchConsumerOptions {
  /** Comma-separated `host:port` list (`KAFKA_BROKERS`). */
  readonly bootstrapServers: string;
  /** Consumer group: every worker of one deployment uses the same id. */
  readonly groupId: string;
  /**
   * Topic names and patterns; default `[/^ais\.raw\./]` (every member's raw feed, present and
   * future). A pattern must start with `^` (librdkafka's rule for regex subscriptions); its
   * flags are ignored.
   */
  readonly topics?: readonly (string | RegExp)[];
  /** Member id of a topic; default: what follows `ais.raw.`. Called once per topic. */
  readonly memberOf?: (topic: string) => string;
  readonly clientId?: string;
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
  /**
   * librdkafka `fetch.wait.max.ms`: how long the broker may hold a fetch with no new data,
   * milliseconds; default 10 (librdkafka's 500 adds up to half a second of latency at low rates).
   */
  readonly fetchWaitMaxMs?: number;
  /**
   * librdkafka `fetch.queue.backoff.ms`; default 10. With librdkafka's 1000, a partition whose
   * local queue is over its threshold is not fetched again for a second, and batch consume
   * (`consume(n)`) stalls behind it (DESIGN.md §5).
   */
  readonly fetchQueueBackoffMs?: number;
  /**
   * Background commit of the stored offsets (librdkafka `enable.auto.commit` with
   * `auto.commit.interval.ms`), milliseconds; default 1 000. Only offsets of batches marked
   * done are ever stored, so this commits nothing unfinished. 0: commit only through `commit()`
   * (and on rebalance and close).
   */
  readonly commitIntervalMs?: number;
  /** Where a partition with no committed offset starts; default 'earliest' (read the backlog). */
  readonly startFrom?: 'earliest' | 'latest';
  /**
   * librdkafka `session.timeout.ms`; default 10 000 (librdkafka's is 45 000). How long a dead
   * member keeps its partitions. On librdkafka's mock cluster it also sets how long a join waits
   * after a member left or joined (session timeout - 1 s: a restarted worker joins after ~9 s), and
   * the longest a join that raced with a new topic appearing takes (48 s with 45 000).
   */
  readonly sessionTimeoutMs?: number;
  /** librdkafka `topic.metadata.refresh.interval.ms`: how soon a new member's topic is picked
   * up by a pattern subscription, milliseconds; default 5 000 (librdkafka's is 5 minutes). */
  readonly topicRefreshIntervalMs?: number;
  /** How long `connect` may take, milliseconds; default 10 000. */
  readonly connectTimeoutMs?: number;
  /** Called after partitions are assigned to this member (before any of their messages). */
  readonly onAssigned?: (partitions: readonly AssignedPartition[]) => void | Promise<void>;
  /**
   * Called with a new assignment before it starts fetching: offsets (by `partitionKey`) to
   * start partitions from instead of their committed offsets (a restored state checkpoint).
   */
  readonly startOffsets?: (
    partitions: readonly AssignedPartition[],
  ) => Promise<ReadonlyMap<string, number> | undefined> | ReadonlyMap<string, number> | undefined;
  /**
   * Called when partitions are about to be taken away (rebalance or close), before the offsets
   * of batches marked done are committed: finish and `markDone` what can be finished. Must not
   * wait for `nextBatch()`, which waits for the rebalance.
   */
  readonly onRevoked?: (partitions: readonly AssignedPartition[]) => void | Promise<void>;
  /** Errors librdkafka recovers from by itself (broker down, unknown topic, ...). */
  readonly onClientError?: (error: LibrdKafkaError | Error) => void;
  /** Further librdkafka properties, applied last. */
  readonly config?: Readonly<Record<string, string | number | boolean>>;
}

/** A partition assigned to this group member, with the member id of its topic. */
export interface AssignedPartition {
  readonly topic: string;
  readonly partition: number;
  readonly member: string;
}

/** One partition's messages in a batch, in offset order. */
export interface PartitionBatch extends AssignedPartition {
  readonly messages: Message[];
}

/** What one `nextBatch()` returned. */
export interface ConsumedBatch {
  readonly id: number;
  /** The assignment this batch came from; after a rebalance, `markDone` ignores older batches. */
  readonly generation: number;
  readonly partitions: readonly PartitionBatch[];
  readonly messageCount: number;
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
 * a batch is done (at-least-once, issue 4).
 *
 * - Batches: `nextBatch()` is one `consume(n)` on libuv's thread pool, grouped by partition.
 * - Offsets: `enable.auto.offset.store` is off. `markDone(batch)` stores, per partition, the
 *   offset after the longest run of done batches (`PartitionProgress`); librdkafka commits
 *   stored offsets every `commitIntervalMs`, and `commit()`, a revocation and `close()` commit
 *   them at once. After a crash, everything not marked done is read again.
 * - Rebalances: a `rebalance_cb` handles them (without one, a group join on the mock cluster was
 *   seen to take 35-50 s instead of ~3 s; DESIGN.md §5). Eager protocol: on revocation the
 *   consumer calls `onRevoked`, commits what is done, then gives up every partition; the next
 *   assignment starts from the committed offsets. node-rdkafka runs the rebalance callback on
 *   the event loop while `consume(n)` goes on in a pool thread, so one consume can return
 *   messages from both sides of a rebalance: such a batch is dropped and the new assignment
 *   restarted from its committed offsets (nothing of it was handed out yet).
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
  private readonly members = new Map<string, string>();
  private readonly connectedAt = Date.now();
  private progress: PartitionProgress[] = [];
  private generation = 0;
  private nextBatchId = 1;
  /** The current assignment's hand-over batch, until taken (see `takeHandOver`). */
  private handOver: ConsumedBatch | undefined;
  private rebalancing: Promise<void> = Promise.resolve();
  private inFlight: Promise<ConsumedBatch> | undefined;
  private failure: Error | undefined;
  /** `pause()` is on: every partition stopped. */
  private pausedAll = false;
  /** The partitions `hold` stopped (keys of the current assignment). */
  private held = new Set<string>();
  private closeStarted = false;
  private closing: Promise<void> | undefined;
  private batches = 0;
  private messages = 0;
  private staleBatches = 0;
  private rebalances = 0;
  private droppedAcrossRebalance = 0;
  private firstAssignmentMs: number | undefined;

  private constructor(consumer: KafkaConsumer, options: BatchConsumerOptions) {
    this.consumer = consumer;
    this.options = options;
    this.maxBatchMessages = positiveInteger('maxBatchMessages', options.maxBatchMessages ?? 2000);
    this.maxBatchBytes = positiveInteger('maxBatchBytes', options.maxBatchBytes ?? 4 * 1024 * 1024);
  }

  /** Connects, joins the group and subscribes. The first assignment comes during `nextBatch()`. */
  static async connect(options: BatchConsumerOptions): Promise<BatchConsumer> {
    const topics = (options.topics ?? [RAW_TOPIC_PATTERN]).map(subscriptionEntry);
    if (topics.length === 0) throw new RangeError('Kafka consumer topics: the list is empty.');
    const commitIntervalMs = options.commitIntervalMs ?? 1000;
    if (!Number.isFinite(commitIntervalMs) || commitIntervalMs < 0) {
      throw new RangeError(`Kafka consumer commitIntervalMs: ${commitIntervalMs} is not ≥ 0.`);
    }
    const sessionTimeoutMs = positiveInteger(
      'sessionTimeoutMs',
      options.sessionTimeoutMs ?? 10_000,
    );
    let self: BatchConsumer | undefined;
    const config: ConsumerGlobalConfig = {
      'bootstrap.servers': options.bootstrapServers,
      'group.id': options.groupId,
      'client.id': options.clientId ?? 'tidewatch',
      'enable.auto.offset.store': false,
      'enable.auto.commit': commitIntervalMs > 0,
      ...(commitIntervalMs > 0 ? { 'auto.commit.interval.ms': commitIntervalMs } : {}),
      'enable.partition.eof': true,
      'fetch.wait.max.ms': options.fetchWaitMaxMs ?? 10,
      'fetch.queue.backoff.ms': options.fetchQueueBackoffMs ?? 10,
      'session.timeout.ms': sessionTimeoutMs,
      // Kafka's advice: at most a third of the session timeout.
      'heartbeat.interval.ms': Math.min(3000, Math.floor(sessionTimeoutMs / 3)),
      'topic.metadata.refresh.interval.ms': options.topicRefreshIntervalMs ?? 5000,
      // Eager assignors: a rebalance revokes everything, then assigns (see the class comment).
      // A cooperative one would need incremental (un)assign in `onRebalance`.
      'partition.assignment.strategy': 'range,roundrobin',
      rebalance_cb: (error: LibrdKafkaError | undefined, assignment: Assignment[]) =>
        self?.onRebalance(error, assignment),
      ...options.config,
    };
    const consumer = new Kafka.KafkaConsumer(config, {
      'auto.offset.reset': options.startFrom ?? 'earliest',
    });
    self = new BatchConsumer(consumer, options);
    consumer.setDefaultConsumeTimeout(
      positiveInteger('maxBatchWaitMs', options.maxBatchWaitMs ?? 100),
    );
    // Without a listener an 'event.error' would be thrown by the EventEmitter.
    consumer.on('event.error', (error) => options.onClientError?.(error));
    consumer.on('partition.eof', (eof) => self?.onPartitionEnd(eof));
    try {
      await new Promise<void>((resolve, reject) => {
        consumer.connect({ timeout: options.connectTimeoutMs ?? 10_000 }, (error) =>
          error ? reject(error) : resolve(),
        );
      });
      consumer.subscribe(topics);
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
   * The next batch: up to `maxBatchMessages` messages, possibly none (nothing arrived within
   * `maxBatchWaitMs`, partitions paused, or a rebalance). Call it in a loop: it also serves the
   * group protocol. One call at a time.
   */
  nextBatch(): Promise<ConsumedBatch> {
    if (this.closeStarted) return Promise.reject(closedError());
    if (this.failure !== undefined) return Promise.reject(this.failure);
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
    if (batch.generation !== this.generation) {
      if (batch.messageCount > 0) this.staleBatches++;
      return;
    }
    const toStore: TopicPartitionOffset[] = [];
    for (const part of batch.partitions) {
      const progress = this.findProgress(part.topic, part.partition);
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
    partitions: readonly TopicPartition[] = this.progress,
    timeoutMs = 10_000,
  ): Promise<TopicPartitionOffset[]> {
    const list = partitions.map(({ topic, partition }) => ({ topic, partition }));
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
    this.setPauses(true, this.held);
  }

  /** Ends `pause()`; the partitions `hold` names stay paused. */
  resume(): void {
    this.setPauses(false, this.held);
  }

  /**
   * Pauses exactly these partitions (of the current assignment) and no others, besides
   * `pause()`: the set replaces the previous one, and only the differences reach librdkafka.
   */
  hold(partitions: readonly TopicPartition[]): void {
    const held = new Set<string>();
    for (const p of partitions) {
      if (this.isAssigned(p)) held.add(partitionKey(p.topic, p.partition));
    }
    this.setPauses(this.pausedAll, held);
  }

  /** Partitions of the assignment not fetching now (`pause()` or `hold`). */
  get pausedCount(): number {
    if (this.pausedAll) return this.progress.length;
    return this.held.size;
  }

  private setPauses(all: boolean, held: ReadonlySet<string>): void {
    const toPause: TopicPartition[] = [];
    const toResume: TopicPartition[] = [];
    for (const p of this.progress) {
      const key = partitionKey(p.topic, p.partition);
      const was = this.pausedAll || this.held.has(key);
      const now = all || held.has(key);
      if (was !== now) (now ? toPause : toResume).push(topicPartition(p));
    }
    this.pausedAll = all;
    this.held = new Set(held);
    if (toPause.length > 0) this.consumer.pause(toPause);
    if (toResume.length > 0) this.consumer.resume(toResume);
  }

  /** Partitions currently assigned to this member. */
  assignment(): readonly AssignedPartition[] {
    return this.progress.map(assignedPartition);
  }

  /**
   * Lag per assigned partition: librdkafka's cached high watermark (updated by every fetch) less
   * this member's position. Partitions not fetched yet are left out.
   */
  lag(): PartitionLag[] {
    const out: PartitionLag[] = [];
    if (this.progress.length === 0) return out;
    const positions = this.consumer.position(this.progress.map(topicPartition));
    for (const position of positions) {
      const progress = this.findProgress(position.topic, position.partition);
      if (progress === undefined) continue;
      let messages: number;
      if (position.offset < 0) {
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
        if (high < 0) continue;
        messages = Math.max(0, high - position.offset);
      }
      out.push({
        topic: position.topic,
        partition: position.partition,
        member: progress.member,
        messages,
      });
    }
    return out;
  }

  /**
   * True when every assigned partition reported its end after the last message handed out: all
   * that had been written when the consumer got there has been returned (a replayed backlog is
   * done, a test has read everything).
   */
  caughtUp(): boolean {
    return this.progress.length > 0 && this.progress.every((progress) => progress.atEnd);
  }

  /**
   * True when the assigned partition reported its end after the last message handed out from it
   * (`caughtUp` for one partition); false for a partition not assigned here, and for one paused
   * (`pause()`, `hold`): what was written to it meanwhile is not being read, so its end is not
   * known.
   */
  atEnd(topic: string, partition: number): boolean {
    if (this.pausedAll || this.held.has(partitionKey(topic, partition))) return false;
    return this.findProgress(topic, partition)?.atEnd ?? false;
  }

  stats(): BatchConsumerStats {
    return {
      batches: this.batches,
      messages: this.messages,
      staleBatches: this.staleBatches,
      rebalances: this.rebalances,
      droppedAcrossRebalance: this.droppedAcrossRebalance,
      firstAssignmentMs: this.firstAssignmentMs,
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
    await this.inFlight?.catch(() => undefined);
    await this.rebalancing;
    // Hand the partitions over here rather than in the revocation librdkafka's close triggers:
    // during close the client no longer commits.
    let closeError: unknown;
    const revoked = this.assignment();
    try {
      if (revoked.length > 0) await this.options.onRevoked?.(revoked);
    } catch (error) {
      closeError = error;
    }
    try {
      this.commit();
    } catch (error) {
      closeError ??= error;
    }
    await new Promise<void>((resolve) => this.consumer.disconnect(() => resolve()));
    await this.rebalancing;
    if (closeError !== undefined) throw closeError;
  }

  private async consumeBatch(): Promise<ConsumedBatch> {
    await this.rebalancing;
    const generation = this.generation;
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
    // assignment from its committed offsets, as librdkafka did when it was assigned.
    await this.rebalancing;
    if (generation !== this.generation) {
      this.droppedAcrossRebalance += messages.length;
      messages = [];
      this.restartAssignment();
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
          if (!this.isAssigned(message)) continue;
          current = {
            topic: message.topic,
            partition: message.partition,
            member: this.memberOf(message.topic),
            messages: [],
          };
          partitions.push(current);
        }
      }
      current.messages.push(message);
      count++;
    }
    let bytes = 0;
    for (const part of partitions) {
      this.findProgress(part.topic, part.partition)!.handOut(id, part.messages.at(-1)!.offset + 1);
      for (const message of part.messages) bytes += message.value?.length ?? 0;
    }
    if (count > 0) this.meanMessageBytes = bytes / count;
    this.batches++;
    this.messages += count;
    return { id, generation, partitions, messageCount: count };
  }

  /**
   * The batch standing for the input before the start offsets a `startOffsets` hook gave (what a
   * restored state already holds): it has no messages, and marking it done stores those offsets
   * — so the caller marks it once that state's outputs are durable, like any batch, and a
   * partition read no further after a restore still gets its offset committed. Undefined when
   * the assignment started from the committed offsets; handed out once.
   */
  takeHandOver(): ConsumedBatch | undefined {
    const batch = this.handOver;
    this.handOver = undefined;
    return batch;
  }

  private handOverBatch(progress: readonly PartitionProgress[]): ConsumedBatch | undefined {
    const started = progress.filter((p) => p.startOffset !== undefined && p.startOffset > 0);
    if (started.length === 0) return undefined;
    const id = this.nextBatchId++;
    for (const p of started) p.handOut(id, p.startOffset!);
    return {
      id,
      generation: this.generation,
      partitions: started.map((p) => ({ ...assignedPartition(p), messages: [] })),
      messageCount: 0,
    };
  }

  /**
   * Re-assigns the current partitions where they started: their committed offsets, or the start
   * offsets given for them (none has been handed out).
   */
  private restartAssignment(): void {
    if (this.progress.length === 0) return;
    this.consumer.assign(this.progress.map(startPosition));
    this.applyPauses();
  }

  /** Pauses the assigned partitions the caller has paused (a new assignment starts fetching). */
  private applyPauses(): void {
    const toPause = this.progress
      .filter((p) => this.pausedAll || this.held.has(partitionKey(p.topic, p.partition)))
      .map(topicPartition);
    if (toPause.length > 0) this.consumer.pause(toPause);
  }

  private onPartitionEnd(eof: TopicPartitionOffset): void {
    const progress = this.findProgress(eof.topic, eof.partition);
    if (progress !== undefined) progress.endOffsetSeen = eof.offset;
  }

  private onRebalance(error: LibrdKafkaError | undefined, assignment: Assignment[]): void {
    const code = error?.code;
    this.rebalancing = this.rebalancing.then(async () => {
      try {
        if (code === ERR__ASSIGN_PARTITIONS) await this.assign(assignment);
        else if (code === ERR__REVOKE_PARTITIONS) await this.revoke();
        else {
          // librdkafka: on any other rebalance error, drop the assignment.
          this.options.onClientError?.(error ?? new Error('Rebalance without an error code.'));
          await this.revoke();
        }
      } catch (failure) {
        this.failure ??=
          failure instanceof Error ? failure : new Error(`Rebalance failed: ${errorText(failure)}`);
      }
    });
  }

  private async assign(assignment: readonly Assignment[]): Promise<void> {
    this.rebalances++;
    this.generation++;
    this.firstAssignmentMs ??= Date.now() - this.connectedAt;
    const progress = assignment.map(
      ({ topic, partition }) => new PartitionProgress(topic, partition, this.memberOf(topic)),
    );
    const starts = await this.options.startOffsets?.(progress.map(assignedPartition));
    for (const p of progress) p.startOffset = starts?.get(partitionKey(p.topic, p.partition));
    this.handOver = this.handOverBatch(progress);
    this.consumer.assign(progress.map(startPosition));
    this.progress = progress;
    this.applyPauses();
    await this.options.onAssigned?.(this.assignment());
  }

  private async revoke(): Promise<void> {
    this.rebalances++;
    const revoked = this.assignment();
    let hookError: unknown;
    // On close, `closeOnce` has already run the hook and committed.
    if (!this.closeStarted) {
      try {
        if (revoked.length > 0) await this.options.onRevoked?.(revoked);
      } catch (error) {
        hookError = error;
      }
      this.commitOnRevoke();
    }
    this.generation++;
    this.progress = [];
    this.held = new Set();
    try {
      this.consumer.unassign();
    } catch (error) {
      // Already disconnected: nothing left to give up.
      if (this.consumer.isConnected()) throw error;
    }
    if (hookError !== undefined) throw hookError;
  }

  private commitOnRevoke(): void {
    try {
      this.commit();
    } catch (error) {
      // The partitions' next owner re-reads from the last commit that did land: at-least-once.
      this.options.onClientError?.(error instanceof Error ? error : new Error(errorText(error)));
    }
  }

  private memberOf(topic: string): string {
    let member = this.members.get(topic);
    if (member === undefined) {
      member = (this.options.memberOf ?? memberOfRawTopic)(topic);
      this.members.set(topic, member);
    }
    return member;
  }

  private findProgress(topic: string, partition: number): PartitionProgress | undefined {
    for (const progress of this.progress) {
      if (progress.partition === partition && progress.topic === topic) return progress;
    }
    return undefined;
  }

  private isAssigned(target: TopicPartition): boolean {
    return this.findProgress(target.topic, target.partition) !== undefined;
  }
}

/** librdkafka takes a pattern as a topic string starting with `^`. */
function subscriptionEntry(topic: string | RegExp): string {
  if (typeof topic === 'string') {
    if (topic.length === 0) throw new RangeError('Kafka consumer topics: an empty topic name.');
    return topic;
  }
  if (!topic.source.startsWith('^')) {
    throw new RangeError(
      `Kafka consumer topics: pattern /${topic.source}/ must start with ^ (librdkafka treats only such names as patterns).`,
    );
  }
  // A string, not the RegExp: node-rdkafka would print every RegExp subscription to stderr.
  return topic.source;
}

function topicPartition({ topic, partition }: TopicPartition): TopicPartition {
  return { topic, partition };
}

function assignedPartition({ topic, partition, member }: PartitionProgress): AssignedPartition {
  return { topic, partition, member };
}

/** Where an assigned partition starts: its start offset if given, else the committed one. */
function startPosition(p: PartitionProgress): TopicPartition & { offset?: number } {
  return p.startOffset === undefined
    ? { topic: p.topic, partition: p.partition }
    : { topic: p.topic, partition: p.partition, offset: p.startOffset };
}

function closedError(): KafkaError {
  return new KafkaError('KAFKA_CLIENT_STATE', 'The consumer is closed.');
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(`Kafka consumer ${name}: ${value} is not a positive integer.`);
  }
  return value;
}
