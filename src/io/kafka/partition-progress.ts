/**
 * One assigned partition's progress: the batches handed out from it, in offset order, and which
 * of them the caller has finished. The offset to store is the end of the longest finished prefix,
 * so a batch finished before an earlier one does not move it: after a crash every message of an
 * unfinished batch is read again (at-least-once, issue 4), and none of a finished prefix is.
 */
export class PartitionProgress {
  readonly topic: string;
  readonly partition: number;
  /** Offset after the last message of the finished prefix (what Kafka should store); -1 before. */
  finishedOffset = -1;
  /** Offset after the last message handed out; -1 before the first. */
  handedOutOffset = -1;
  /** Offset this assignment started from when not the committed one (a restored checkpoint). */
  startOffset: number | undefined = undefined;
  /** The partition's end offset when librdkafka last reported reaching it (partition EOF); -1. */
  endOffsetSeen = -1;
  // Batches handed out and not yet part of the finished prefix, oldest first (a few at most).
  private readonly batchIds: number[] = [];
  private readonly endOffsets: number[] = [];
  private readonly finished: boolean[] = [];

  constructor(topic: string, partition: number) {
    this.topic = topic;
    this.partition = partition;
  }

  /** Records that batch `batchId` holds this partition's messages up to `endOffset` - 1. */
  handOut(batchId: number, endOffset: number): void {
    const last = this.endOffsets.length === 0 ? this.finishedOffset : this.endOffsets.at(-1)!;
    if (endOffset <= last) {
      throw new RangeError(
        `${this.topic} [${this.partition}]: batch ${batchId} ends at offset ${endOffset}, not after ${last}.`,
      );
    }
    this.handedOutOffset = endOffset;
    this.batchIds.push(batchId);
    this.endOffsets.push(endOffset);
    this.finished.push(false);
  }

  /**
   * Marks batch `batchId` finished. Returns the new offset to store when the finished prefix
   * grew, undefined otherwise (an earlier batch is still open, or the batch is not one of this
   * partition's open batches).
   */
  finish(batchId: number): number | undefined {
    const index = this.batchIds.indexOf(batchId);
    if (index < 0) return undefined;
    this.finished[index] = true;
    let prefix = 0;
    while (prefix < this.finished.length && this.finished[prefix]) prefix++;
    if (prefix === 0) return undefined;
    this.finishedOffset = this.endOffsets[prefix - 1]!;
    this.batchIds.splice(0, prefix);
    this.endOffsets.splice(0, prefix);
    this.finished.splice(0, prefix);
    return this.finishedOffset;
  }

  /**
   * librdkafka reported the end of the partition after the last message handed out: the
   * partition held nothing more at that moment. (End reports come in order with the messages.)
   */
  get atEnd(): boolean {
    return this.endOffsetSeen >= 0 && this.handedOutOffset <= this.endOffsetSeen;
  }

  /** Batches handed out and not yet in the finished prefix. */
  get openBatches(): number {
    return this.batchIds.length;
  }
}
