/** What the watermark is now, and why. */
export interface Watermark {
  /** Event time (epoch ms) every active partition has reached; -Infinity while one has no data. */
  readonly time: number;
  /**
   * Every partition is idle (caught up and quiet for `idleAfterMs`): all that was written has been
   * read, and `time` is the furthest partition's progress (like the end of a `replay`).
   */
  readonly allIdle: boolean;
  /**
   * When every partition is idle: the furthest any partition's input has got (its latest times'
   * run from the median up without a gap over `maxGapMs`, ProgressClock.runEnd), so the core can
   * fuse a thin partition's tail, which lies beyond its median. Absent otherwise.
   */
  readonly end?: number;
}

/** A topic partition. */
export interface TopicPartitionId {
  readonly topic: string;
  readonly partition: number;
}

/**
 * Where the worker's event-time watermark comes from: the raw partitions' own progress
 * (`PartitionWatermarks`, one worker) or, in the fusion stage of a scaled deployment, the
 * watermarks the decode stage forwards on the internal topic (`ForwardedWatermarks`,
 * docs/scale-out.md). The loop, the hand-over and the ledger see only this.
 */
export interface WatermarkSource {
  /** A partition joined this worker. */
  assign(topic: string, partition: number, nowWallMs: number): void;
  /** A partition left this worker: it no longer holds the watermark. */
  revoke(topic: string, partition: number): void;
  /**
   * Input of a partition was ingested now; returns the partition's event-time progress, how far
   * a batch of it may be held for its reports (`holdUntil`).
   */
  received(topic: string, partition: number, nowWallMs: number): number;
  /** A partition's event-time progress (-Infinity before its first report or if unknown). */
  progressTime(topic: string, partition: number): number;
  /** The watermark now; `atEnd` tells whether the consumer has read all a partition held. */
  watermark(nowWallMs: number, atEnd: (topic: string, partition: number) => boolean): Watermark;
  /** Partitions to pause for running more than `maxAheadMs` beyond `watermark`. */
  ahead(maxAheadMs: number, watermark: Watermark, nowWallMs: number): TopicPartitionId[];
  /** Every partition is read again after a pause. */
  resumed(nowWallMs: number): void;
}
