import { partitionKey } from '../io/kafka/partition-key.js';
import { ProgressClock } from '../pipeline/progress-clock.js';
import type { UpstreamMark } from '../scale/report-record.js';
import type { TopicPartitionId, Watermark, WatermarkSource } from './watermark-source.js';

interface PartitionState {
  readonly topic: string;
  readonly partition: number;
  readonly clock: ProgressClock;
  /** Wall-clock time (ms) of the latest message, or of the assignment or resume since. */
  lastDataWallMs: number;
  /** Paused by the read-ahead limit (`ahead`). */
  held: boolean;
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
export class PartitionWatermarks implements WatermarkSource {
  private readonly partitions = new Map<string, PartitionState>();
  /** The earliest progress any partition has shown (the read-ahead limit's first start). */
  private earliest = Number.POSITIVE_INFINITY;
  /** The last finite watermark (where the read-ahead limit resumes from while one waits). */
  private lastTime = Number.NEGATIVE_INFINITY;

  /**
   * `idleAfterMs`: quiet wall time after which a caught-up partition is idle. `maxGapMs`: the
   * largest step between a partition's latest event times that still counts as its input going
   * on (`Watermark.end`; the worker passes `watermark.futureToleranceSeconds`).
   */
  constructor(
    private readonly idleAfterMs: number,
    private readonly maxGapMs = Number.POSITIVE_INFINITY,
  ) {
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

  /** Input of a partition was ingested now: its progress (see `WatermarkSource.received`). */
  received(topic: string, partition: number, nowWallMs: number): number {
    return this.clock(topic, partition, nowWallMs).progressTime;
  }

  /**
   * Each partition's progress and whether it is idle (caught up and quiet for `idleAfterMs`), as
   * the decode stage of a scaled deployment forwards them (docs/scale-out.md); `upstreamPartitions`
   * is how many raw partitions the whole stage reads.
   */
  marks(
    nowWallMs: number,
    atEnd: (topic: string, partition: number) => boolean,
    upstreamPartitions: number,
  ): UpstreamMark[] {
    const marks: UpstreamMark[] = [];
    for (const state of this.partitions.values()) {
      const quiet = nowWallMs - state.lastDataWallMs >= this.idleAfterMs;
      marks.push({
        upstream: upstreamId(state.topic, state.partition),
        progressMs: state.clock.progressTime,
        endMs: state.clock.runEnd(this.maxGapMs),
        idle: quiet && atEnd(state.topic, state.partition),
        upstreamPartitions,
      });
    }
    return marks;
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
      if (progress > Number.NEGATIVE_INFINITY && progress < this.earliest) this.earliest = progress;
      const quiet = nowWallMs - state.lastDataWallMs >= this.idleAfterMs;
      if (quiet && atEnd(state.topic, state.partition)) continue;
      active++;
      if (progress < slowest) slowest = progress;
    }
    const time = active === 0 ? furthest : slowest;
    if (time > this.lastTime) this.lastTime = time;
    const allIdle = active === 0 && this.partitions.size > 0;
    if (!allIdle) return { time, allIdle };
    let end = Number.NEGATIVE_INFINITY;
    for (const state of this.partitions.values()) {
      end = Math.max(end, state.clock.runEnd(this.maxGapMs));
    }
    return { time, allIdle, end };
  }

  /**
   * The partitions whose progress is more than `maxAheadMs` beyond the watermark: reading them
   * further would only fill memory until the watermark gets there. The slowest active partition
   * is never among them, so the watermark can always move. While an active partition has given
   * nothing yet (the watermark is -Infinity: nothing can be fused), they are measured from the
   * last watermark instead (before the first, the earliest progress seen), so that every
   * partition stops `maxAheadMs` beyond it until the empty one delivers or goes idle: a backlog
   * is not read into memory meanwhile, and live feeds (near the last watermark) read on. When
   * every partition is idle, none is. `watermark` is this moment's (`watermark()`).
   */
  ahead(maxAheadMs: number, watermark: Watermark, nowWallMs: number): TopicPartitionId[] {
    // The watermark is -Infinity only while an active partition has given nothing yet.
    let reference = watermark.time;
    if (watermark.allIdle) reference = Number.POSITIVE_INFINITY;
    else if (reference === Number.NEGATIVE_INFINITY) {
      reference = this.lastTime > Number.NEGATIVE_INFINITY ? this.lastTime : this.earliest;
    }
    const ahead: TopicPartitionId[] = [];
    for (const state of this.partitions.values()) {
      const held = state.clock.progressTime > reference + maxAheadMs;
      if (held) ahead.push({ topic: state.topic, partition: state.partition });
      // Read again: it has not been quiet, only not read (see `resumed`).
      if (state.held && !held) state.lastDataWallMs = nowWallMs;
      state.held = held;
    }
    return ahead;
  }

  /**
   * Every partition is read again after a pause (backpressure): its quiet time counts from now,
   * so that one not read for longer than `idleAfterMs` is not taken for idle (and the watermark
   * moved past what it holds) before it has been fetched again.
   */
  resumed(nowWallMs: number): void {
    for (const state of this.partitions.values()) state.lastDataWallMs = nowWallMs;
  }
}

function newState(topic: string, partition: number, nowWallMs: number): PartitionState {
  return { topic, partition, clock: new ProgressClock(), lastDataWallMs: nowWallMs, held: false };
}

/** How a raw partition is named in the watermark records the decode stage forwards. */
export function upstreamId(topic: string, partition: number): string {
  return `${topic}/${partition}`;
}
