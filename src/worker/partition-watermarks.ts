import { partitionKey } from '../io/kafka/partition-key.js';
import { ProgressClock } from '../pipeline/progress-clock.js';

/** What the watermark is now, and why. */
export interface Watermark {
  /** Event time (epoch ms) every active partition has reached; -Infinity while one has no data. */
  readonly time: number;
  /**
   * Every partition is idle (caught up and quiet for `idleAfterMs`): all that was written has been
   * read, and `time` is the furthest partition's progress (like the end of a `replay`).
   */
  readonly allIdle: boolean;
}

interface PartitionState {
  readonly topic: string;
  readonly partition: number;
  readonly clock: ProgressClock;
  /** Wall-clock time (ms) of the latest message, or of the assignment before the first. */
  lastDataWallMs: number;
}

/**
 * Per-partition event-time progress and the global watermark of the worker (issue 4): one
 * member's feed can run hours ahead of another's (a backlog replayed after a link outage, a
 * consumer reading a full topic), so the watermark is the slowest active partition's progress,
 * as `replay`'s is the slowest unfinished feed's. A partition that has caught up with its end and
 * received nothing for `idleAfterMs` of wall time stops holding the others back (a member whose
 * feed is down, a partition its producer never writes to); when every partition is idle, the
 * watermark is the furthest one's progress, so the core finishes what it holds, like `replay`
 * does at the end of its files.
 */
export class PartitionWatermarks {
  private readonly partitions = new Map<string, PartitionState>();

  constructor(private readonly idleAfterMs: number) {
    if (!(idleAfterMs >= 0)) throw new RangeError(`idleAfterMs must be ≥ 0: ${idleAfterMs}`);
  }

  /** A partition joined this worker (its quiet time counts from now). */
  assign(topic: string, partition: number, nowWallMs: number): void {
    const id = partitionKey(topic, partition);
    if (!this.partitions.has(id)) this.partitions.set(id, newState(topic, partition, nowWallMs));
  }

  /** A partition left this worker (rebalance): it no longer holds the watermark. */
  revoke(topic: string, partition: number): void {
    this.partitions.delete(partitionKey(topic, partition));
  }

  /** The clock of an assigned partition, to `note` its messages' event times. */
  clock(topic: string, partition: number, nowWallMs: number): ProgressClock {
    const id = partitionKey(topic, partition);
    let state = this.partitions.get(id);
    if (state === undefined) {
      state = newState(topic, partition, nowWallMs);
      this.partitions.set(id, state);
    }
    state.lastDataWallMs = nowWallMs;
    return state.clock;
  }

  /** A partition's event-time progress (-Infinity before its first report or if unknown). */
  progressTime(topic: string, partition: number): number {
    return (
      this.partitions.get(partitionKey(topic, partition))?.clock.progressTime ??
      Number.NEGATIVE_INFINITY
    );
  }

  get size(): number {
    return this.partitions.size;
  }

  /**
   * The watermark at `nowWallMs`. `atEnd(topic, partition)` tells whether the consumer has read
   * everything the partition held when it last looked (librdkafka's partition EOF).
   */
  watermark(nowWallMs: number, atEnd: (topic: string, partition: number) => boolean): Watermark {
    let slowest = Number.POSITIVE_INFINITY;
    let furthest = Number.NEGATIVE_INFINITY;
    let active = 0;
    for (const state of this.partitions.values()) {
      const progress = state.clock.progressTime;
      if (progress > furthest) furthest = progress;
      const quiet = nowWallMs - state.lastDataWallMs >= this.idleAfterMs;
      if (quiet && atEnd(state.topic, state.partition)) continue;
      active++;
      if (progress < slowest) slowest = progress;
    }
    if (active === 0) return { time: furthest, allIdle: this.partitions.size > 0 };
    return { time: slowest, allIdle: false };
  }

  /**
   * The partitions whose progress is more than `maxAheadMs` beyond the slowest active partition
   * that has data (the watermark, or while a partition has given nothing yet, the slowest of the
   * rest): reading them further would only fill memory until the watermark gets there. The
   * slowest is never among them, so the watermark can always move; when every partition is idle,
   * none is.
   */
  ahead(
    maxAheadMs: number,
    nowWallMs: number,
    atEnd: (topic: string, partition: number) => boolean,
  ): { topic: string; partition: number }[] {
    let slowest = Number.POSITIVE_INFINITY;
    for (const state of this.partitions.values()) {
      const progress = state.clock.progressTime;
      if (progress === Number.NEGATIVE_INFINITY || progress >= slowest) continue;
      const quiet = nowWallMs - state.lastDataWallMs >= this.idleAfterMs;
      if (!(quiet && atEnd(state.topic, state.partition))) slowest = progress;
    }
    const ahead: { topic: string; partition: number }[] = [];
    if (slowest === Number.POSITIVE_INFINITY) return ahead;
    for (const state of this.partitions.values()) {
      if (state.clock.progressTime > slowest + maxAheadMs) {
        ahead.push({ topic: state.topic, partition: state.partition });
      }
    }
    return ahead;
  }
}

function newState(topic: string, partition: number, nowWallMs: number): PartitionState {
  return { topic, partition, clock: new ProgressClock(), lastDataWallMs: nowWallMs };
}
