import { partitionKey } from '../io/kafka/partition-key.js';
import type { TopicPartitionId, Watermark, WatermarkSource } from '../worker/watermark-source.js';
import type { UpstreamMark } from './report-record.js';
import { mergeWatermarks, UpstreamWatermarks } from './upstream-watermarks.js';

/**
 * The fusion stage's watermark (docs/scale-out.md): each assigned internal partition merges the
 * marks every upstream partition forwards to it (`UpstreamWatermarks`), and the instance's
 * watermark is its slowest partition's. Idleness comes from upstream (a raw partition caught up
 * and quiet), never from the internal topic being quiet: the decode stage keeps forwarding marks.
 * No read-ahead limit here: the decode stage limits its own raw partitions.
 */
export class ForwardedWatermarks implements WatermarkSource {
  private readonly partitions = new Map<string, UpstreamWatermarks>();

  assign(topic: string, partition: number): void {
    const key = partitionKey(topic, partition);
    if (!this.partitions.has(key)) this.partitions.set(key, new UpstreamWatermarks());
  }

  revoke(topic: string, partition: number): void {
    this.partitions.delete(partitionKey(topic, partition));
  }

  /** A forwarded mark read from an internal partition. */
  note(topic: string, partition: number, mark: UpstreamMark): void {
    this.upstreamsOf(topic, partition).note(mark);
  }

  /**
   * How far a batch of the partition may be held: the furthest progress forwarded to it (a
   * report stamped further ahead than the tolerance does not hold its offsets), or +Infinity
   * before any mark (the batch waits for its own reports).
   */
  received(topic: string, partition: number): number {
    const furthest = this.upstreamsOf(topic, partition).furthestMs;
    return furthest === Number.NEGATIVE_INFINITY ? Number.POSITIVE_INFINITY : furthest;
  }

  progressTime(topic: string, partition: number): number {
    return this.partitions.get(partitionKey(topic, partition))?.watermark().time ?? -Infinity;
  }

  watermark(): Watermark {
    const each: Watermark[] = [];
    for (const upstreams of this.partitions.values()) each.push(upstreams.watermark());
    return mergeWatermarks(each);
  }

  ahead(): TopicPartitionId[] {
    return [];
  }

  resumed(): void {}

  private upstreamsOf(topic: string, partition: number): UpstreamWatermarks {
    const key = partitionKey(topic, partition);
    let upstreams = this.partitions.get(key);
    if (upstreams === undefined) {
      upstreams = new UpstreamWatermarks();
      this.partitions.set(key, upstreams);
    }
    return upstreams;
  }
}
