import { partitionKey } from './partition-key.js';
import type { PartitionProgress } from './partition-progress.js';

/** A partition assigned to this group member. */
export interface AssignedPartition {
  readonly topic: string;
  readonly partition: number;
}

/** What a change of pauses asks of librdkafka: only the partitions whose state changed. */
export interface PauseChange {
  readonly toPause: AssignedPartition[];
  readonly toResume: AssignedPartition[];
}

/**
 * What this group member holds now (bookkeeping only, no client): the progress of each assigned
 * partition, the generation of the assignment, and which partitions are paused — every one
 * (`pauseAll`, backpressure; it survives rebalances) or a chosen set (`held`, the worker's
 * read-ahead limit; a revocation ends it). A partition fetches when neither stops it.
 */
export class ConsumerAssignment {
  /** Bumped by every assignment and revocation: batches of an older generation are stale. */
  private currentGeneration = 0;
  private progress: readonly PartitionProgress[] = [];
  private allPaused = false;
  private held: ReadonlySet<string> = new Set();

  get generation(): number {
    return this.currentGeneration;
  }

  /** The assigned partitions' progress, in assignment order. */
  get partitions(): readonly PartitionProgress[] {
    return this.progress;
  }

  /** A new generation begins (a rebalance is being handled): older batches are stale. */
  nextGeneration(): void {
    this.currentGeneration++;
  }

  /** The partitions of the new assignment take over. */
  assign(progress: readonly PartitionProgress[]): void {
    this.progress = progress;
  }

  /**
   * Every partition is given up; the held set goes with them (`pauseAll` stays, and the next
   * assignment applies it again). Returns the partitions to resume in librdkafka before they are
   * unassigned: its application pause is a flag on the partition that survives unassign and a
   * later assign (librdkafka resets only its own pauses on assignment), so a partition paused
   * here and assigned again would not be fetched while this bookkeeping says it is (issue 16).
   */
  revoke(): PauseChange {
    const toResume = this.pausedPartitions();
    this.progress = [];
    this.held = new Set();
    return { toPause: [], toResume };
  }

  find(topic: string, partition: number): PartitionProgress | undefined {
    for (const progress of this.progress) {
      if (progress.partition === partition && progress.topic === topic) return progress;
    }
    return undefined;
  }

  has(target: AssignedPartition): boolean {
    return this.find(target.topic, target.partition) !== undefined;
  }

  /** Partitions of this assignment not fetching now. */
  get pausedCount(): number {
    return this.allPaused ? this.progress.length : this.held.size;
  }

  get pausedAll(): boolean {
    return this.allPaused;
  }

  isPaused(topic: string, partition: number): boolean {
    return this.allPaused || this.held.has(partitionKey(topic, partition));
  }

  /** The assigned partitions that are paused (what a new assignment pauses in librdkafka). */
  pausedPartitions(): AssignedPartition[] {
    return this.progress.filter((p) => this.isPaused(p.topic, p.partition)).map(topicPartition);
  }

  /** Pauses (or un-pauses) every partition, assigned now or later; the held set stays. */
  pauseAll(paused: boolean): PauseChange {
    return this.setPauses(paused, this.held);
  }

  /**
   * Holds exactly the assigned partitions of `partitions` and no others (besides `pauseAll`):
   * the set replaces the previous one.
   */
  hold(partitions: readonly AssignedPartition[]): PauseChange {
    const held = new Set<string>();
    for (const p of partitions) {
      if (this.has(p)) held.add(partitionKey(p.topic, p.partition));
    }
    return this.setPauses(this.allPaused, held);
  }

  /** Records the pauses; returns the partitions whose state changed (for librdkafka). */
  private setPauses(all: boolean, held: ReadonlySet<string>): PauseChange {
    const toPause: AssignedPartition[] = [];
    const toResume: AssignedPartition[] = [];
    for (const p of this.progress) {
      const key = partitionKey(p.topic, p.partition);
      const was = this.allPaused || this.held.has(key);
      const now = all || held.has(key);
      if (was !== now) (now ? toPause : toResume).push(topicPartition(p));
    }
    this.allPaused = all;
    this.held = new Set(held);
    return { toPause, toResume };
  }
}

/** Just the topic and partition (librdkafka's calls take no more). */
export function topicPartition({ topic, partition }: AssignedPartition): AssignedPartition {
  return { topic, partition };
}
