import type { Report } from './report.js';

/**
 * Holds reports until the event-time watermark passes them, then hands them out in event-time
 * order (ties by payload hash), whatever order they arrived in: live and replay therefore feed
 * the detectors the same sequence (DESIGN.md §1 event time). Buckets of `bucketMs` keep inserts
 * O(1); a released bucket is sorted once.
 */
export class EventTimeQueue {
  private readonly buckets = new Map<number, Report[]>();
  /** Buckets up to this key have been released: a report for one of them is late. */
  private releasedKey = Number.NEGATIVE_INFINITY;
  /** No bucket below this key holds reports (a lower bound for the release scan). */
  private lowestKey = Number.POSITIVE_INFINITY;
  private count = 0;

  constructor(private readonly bucketMs = 1000) {}

  get size(): number {
    return this.count;
  }

  /** Queues `report`. Returns false when its bucket was already released (the report is late). */
  add(report: Report): boolean {
    const key = Math.floor(report.time / this.bucketMs);
    if (key <= this.releasedKey) return false;
    if (key < this.lowestKey) this.lowestKey = key;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = [];
      this.buckets.set(key, bucket);
    }
    bucket.push(report);
    report.queuedKey = key;
    this.count++;
    return true;
  }

  /**
   * A queued report's time moved earlier (a duplicate heard earlier was merged in): requeue it
   * so the order stays the one event time gives. Returns false when the new time is already late.
   */
  moved(report: Report): boolean {
    const key = Math.floor(report.time / this.bucketMs);
    if (key === report.queuedKey) return true;
    this.count--; // the old entry is skipped on release (its queuedKey no longer matches)
    return this.add(report);
  }

  /**
   * Releases, in order, every report in buckets that end at or before `watermark`. Returns the
   * end of the released range (exclusive): every report before it has been handed out.
   */
  release(watermark: number, process: (report: Report) => void): number {
    const lastKey = Math.floor(watermark / this.bucketMs) - 1;
    for (let key = this.lowestKey; key <= lastKey && this.count > 0; key++) {
      const bucket = this.buckets.get(key);
      if (bucket === undefined) continue;
      this.buckets.delete(key);
      if (bucket.length > 1) bucket.sort(byEventTime);
      for (const report of bucket) {
        if (report.queuedKey !== key) continue; // requeued elsewhere
        report.queuedKey = -1;
        this.count--;
        process(report);
      }
    }
    // Whatever arrives for a bucket up to here from now on is late, independent of arrival order.
    if (lastKey > this.releasedKey) this.releasedKey = lastKey;
    if (lastKey + 1 > this.lowestKey) this.lowestKey = lastKey + 1;
    return (lastKey + 1) * this.bucketMs;
  }

  /** Releases everything (end of input). */
  drain(process: (report: Report) => void): void {
    const keys = [...this.buckets.keys()].sort((a, b) => a - b);
    if (keys.length > 0) this.release((keys[keys.length - 1]! + 1) * this.bucketMs, process);
  }
}

function byEventTime(a: Report, b: Report): number {
  return a.time - b.time || a.payloadHash - b.payloadHash || a.mmsi - b.mmsi;
}
