import Kafka, {
  type Assignment,
  type KafkaConsumer,
  type LibrdKafkaError,
  type TopicPartition,
} from 'node-rdkafka';
import { errorText } from '../../util/error-text.js';
import type { ConsumedBatch } from './consumed-batch.js';
import {
  type AssignedPartition,
  type ConsumerAssignment,
  topicPartition,
} from './consumer-assignment.js';
import { librdkafkaCode } from './kafka-error.js';
import { partitionKey } from './partition-key.js';
import { PartitionProgress } from './partition-progress.js';

const {
  ERR__ASSIGN_PARTITIONS,
  ERR__REVOKE_PARTITIONS,
  ERR_REBALANCE_IN_PROGRESS,
  ERR_ILLEGAL_GENERATION,
  ERR_UNKNOWN_MEMBER_ID,
} = Kafka.CODES.ERRORS;

/**
 * A commit at close the group refuses because it is rebalancing without this member (another
 * member left or joined at the same moment: two workers stopped together). The partitions'
 * next owner reads from the last committed offset: at least once, not a failure of the close.
 */
const GROUP_MOVED_ON = new Set([
  ERR_REBALANCE_IN_PROGRESS,
  ERR_ILLEGAL_GENERATION,
  ERR_UNKNOWN_MEMBER_ID,
]);

/** What the subscriber hears of rebalances (Kafka's `ConsumerRebalanceListener`). */
export interface RebalanceListener {
  /**
   * Called with a new assignment before it starts fetching: offsets (by `partitionKey`) to
   * start partitions from instead of their committed offsets (a restored state checkpoint).
   */
  readonly startOffsets?: (
    partitions: readonly AssignedPartition[],
  ) => Promise<ReadonlyMap<string, number> | undefined> | ReadonlyMap<string, number> | undefined;
  /** Called after partitions are assigned to this member (before any of their messages). */
  readonly onAssigned?: (partitions: readonly AssignedPartition[]) => void | Promise<void>;
  /**
   * Called when partitions are about to be taken away (rebalance or close), before the offsets
   * of batches marked done are committed: finish and `markDone` what can be finished. Must not
   * wait for `nextBatch()`, which waits for the rebalance.
   */
  readonly onRevoked?: (partitions: readonly AssignedPartition[]) => void | Promise<void>;
}

/** What the hand-over does with the consumer it serves. */
export interface HandOverContext {
  /** librdkafka's client: (un)assigns and pauses partitions. */
  readonly client: Pick<KafkaConsumer, 'assign' | 'unassign' | 'pause' | 'resume' | 'isConnected'>;
  readonly assignment: ConsumerAssignment;
  readonly listener: RebalanceListener;
  /** Commits the stored offsets now (throws when the coordinator refuses). */
  commit(): void;
  /** The id of a new batch (the hand-over batch shares the consumer's numbering). */
  nextBatchId(): number;
  onClientError?(error: LibrdKafkaError | Error): void;
  /** Wall time (epoch ms) the consumer connected, for `firstAssignmentMs`. */
  readonly connectedAtMs: number;
}

/**
 * Runs the eager rebalance protocol for a `BatchConsumer` (issue 4). librdkafka's
 * `rebalance_cb` calls `handle`; the steps run one rebalance at a time (`settled` resolves when
 * none is running). On revocation the listener's `onRevoked` finishes what it can, the offsets
 * marked done are committed, then every partition is given up; a new assignment asks the
 * listener for start offsets and starts from them, or else from the committed offsets. A
 * failure is kept and reported by the consumer's next `nextBatch()`.
 */
export class RebalanceHandOver {
  private chain: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  /** The current assignment's hand-over batch, until taken (see `takeHandOver`). */
  private handOver: ConsumedBatch | undefined;
  /** The consumer is closing: it runs `onRevoked` and commits itself (see `BatchConsumer.close`). */
  private closing = false;
  private rebalanceCount = 0;
  private firstAssignment: number | undefined;

  constructor(private readonly context: HandOverContext) {}

  /** librdkafka's rebalance callback. */
  handle(error: LibrdKafkaError | undefined, assignment: readonly Assignment[]): void {
    const code = error?.code;
    this.chain = this.chain.then(async () => {
      try {
        if (code === ERR__ASSIGN_PARTITIONS) await this.assign(assignment);
        else if (code === ERR__REVOKE_PARTITIONS) await this.revoke();
        else {
          // librdkafka: on any other rebalance error, drop the assignment.
          this.context.onClientError?.(error ?? new Error('Rebalance without an error code.'));
          await this.revoke();
        }
      } catch (failure) {
        this.failure ??=
          failure instanceof Error ? failure : new Error(`Rebalance failed: ${errorText(failure)}`);
      }
    });
  }

  /** Resolves once no rebalance is being handled. */
  settled(): Promise<void> {
    return this.chain;
  }

  /** The error a rebalance failed with, if one did. */
  get failed(): Error | undefined {
    return this.failure;
  }

  /** Assignments and revocations handled. */
  get rebalances(): number {
    return this.rebalanceCount;
  }

  /** Milliseconds from connecting to the first assignment, undefined before it. */
  get firstAssignmentMs(): number | undefined {
    return this.firstAssignment;
  }

  /**
   * The consumer is closing: from now on a revocation only gives the partitions up, since
   * `handOverOnClose` runs `onRevoked` and commits.
   */
  closeStarted(): void {
    this.closing = true;
  }

  /**
   * Hands the partitions over before the consumer disconnects rather than in the revocation
   * librdkafka's close triggers (during close the client no longer commits): once no rebalance
   * is running, `onRevoked`, then a commit. Rejects with the first error, after both.
   */
  async handOverOnClose(): Promise<void> {
    const { assignment, listener } = this.context;
    await this.chain;
    let closeError: unknown;
    const revoked = assignment.partitions.map(topicPartition);
    try {
      if (revoked.length > 0) await listener.onRevoked?.(revoked);
    } catch (error) {
      closeError = error;
    }
    try {
      this.context.commit();
    } catch (error) {
      const code = librdkafkaCode(error instanceof Error ? error.cause : undefined);
      if (code !== undefined && GROUP_MOVED_ON.has(code)) {
        this.context.onClientError?.(error as Error);
      } else closeError ??= error;
    }
    if (closeError !== undefined) throw closeError;
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

  /**
   * Re-assigns the current partitions where they started: their committed offsets, or the start
   * offsets given for them (none has been handed out).
   */
  restart(): void {
    const { assignment, client } = this.context;
    if (assignment.partitions.length === 0) return;
    client.assign(assignment.partitions.map(startPosition));
    this.applyPauses();
  }

  private async assign(partitions: readonly Assignment[]): Promise<void> {
    const { assignment, client, listener } = this.context;
    this.rebalanceCount++;
    assignment.nextGeneration();
    this.firstAssignment ??= Date.now() - this.context.connectedAtMs;
    const progress = partitions.map(
      ({ topic, partition }) => new PartitionProgress(topic, partition),
    );
    const starts = await listener.startOffsets?.(progress.map(topicPartition));
    for (const p of progress) p.startOffset = starts?.get(partitionKey(p.topic, p.partition));
    this.handOver = this.handOverBatch(progress, assignment.generation);
    client.assign(progress.map(startPosition));
    assignment.assign(progress);
    this.applyPauses();
    await listener.onAssigned?.(assignment.partitions.map(topicPartition));
  }

  private async revoke(): Promise<void> {
    const { assignment, client, listener } = this.context;
    this.rebalanceCount++;
    const revoked = assignment.partitions.map(topicPartition);
    let hookError: unknown;
    // On close, the consumer has already run the hook and committed.
    if (!this.closing) {
      try {
        if (revoked.length > 0) await listener.onRevoked?.(revoked);
      } catch (error) {
        hookError = error;
      }
      this.commitOnRevoke();
    }
    assignment.nextGeneration();
    const { toResume } = assignment.revoke();
    try {
      // librdkafka keeps a partition's pause through unassign and assign: lift it first, so the
      // partition fetches when it is assigned again unless the new assignment pauses it. Not
      // while the consumer closes: nothing is assigned again, and librdkafka's resume waits for
      // its partition threads, which the closing client no longer serves (close hung).
      if (toResume.length > 0 && !this.closing) client.resume(toResume);
      client.unassign();
    } catch (error) {
      // Already disconnected: nothing left to give up.
      if (client.isConnected()) throw error;
    }
    if (hookError !== undefined) throw hookError;
  }

  private commitOnRevoke(): void {
    try {
      this.context.commit();
    } catch (error) {
      // The partitions' next owner re-reads from the last commit that did land: at-least-once.
      this.context.onClientError?.(error instanceof Error ? error : new Error(errorText(error)));
    }
  }

  private handOverBatch(
    progress: readonly PartitionProgress[],
    generation: number,
  ): ConsumedBatch | undefined {
    const started = progress.filter((p) => p.startOffset !== undefined && p.startOffset > 0);
    if (started.length === 0) return undefined;
    const id = this.context.nextBatchId();
    for (const p of started) p.handOut(id, p.startOffset!);
    return {
      id,
      generation,
      partitions: started.map((p) => ({ ...topicPartition(p), messages: [] })),
      messageCount: 0,
    };
  }

  /**
   * Pauses the assigned partitions the caller has paused (a new assignment starts fetching: the
   * revocation lifted librdkafka's pauses).
   */
  private applyPauses(): void {
    const toPause = this.context.assignment.pausedPartitions();
    if (toPause.length > 0) this.context.client.pause(toPause);
  }
}

/** Where an assigned partition starts: its start offset if given, else the committed one. */
function startPosition(p: PartitionProgress): TopicPartition & { offset?: number } {
  return p.startOffset === undefined
    ? { topic: p.topic, partition: p.partition }
    : { topic: p.topic, partition: p.partition, offset: p.startOffset };
}
