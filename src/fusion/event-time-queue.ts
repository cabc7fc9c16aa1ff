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
  private keys = new Float64Array(1024);
  private readonly scratch: Report[] = [];

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
    if (this.add(report)) return true;
    // Late: the caller fuses it now. Its old entry must not match on release, or it would be
    // handed out twice and counted out twice (issue 16).
    report.queuedKey = -1;
    return false;
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
      if (bucket.length > 1) this.sortBucket(bucket, key * this.bucketMs);
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

  /**
   * Sorts one bucket by `byEventTime`. A comparator sort costs about 13 calls per report for the
   * thousands of reports a busy second holds; instead each report gets a numeric key (its
   * millisecond in the bucket, the top 27 bits of its payload hash, its index), a typed array of
   * keys is sorted natively, and an insertion pass with the exact comparator fixes what the key
   * could not tell apart (sub-millisecond times, the hash's low bits, the MMSI): about one
   * comparison per report, since the array is then all but sorted. The result is the
   * comparator's order.
   */
  private sortBucket(bucket: Report[], bucketStart: number): void {
    const n = bucket.length;
    if (n > MAX_KEYED || this.bucketMs > MAX_KEYED_BUCKET_MS) {
      bucket.sort(byEventTime);
      return;
    }
    if (this.keys.length < n) this.keys = new Float64Array(Math.max(n, this.keys.length * 2));
    const keys = this.keys.subarray(0, n);
    for (let i = 0; i < n; i++) {
      const report = bucket[i]!;
      let ms = Math.floor(report.time - bucketStart);
      // A report requeued to another bucket stays here until skipped: any key will do.
      if (!(ms >= 0)) ms = 0;
      else if (ms >= MAX_KEYED_BUCKET_MS) ms = MAX_KEYED_BUCKET_MS - 1;
      // payloadHash may be a signed or an unsigned 32-bit value: + 2^31 keeps its order.
      const hash = Math.floor((report.payloadHash + 0x8000_0000) / 64);
      keys[i] = ms * 2 ** 42 + hash * 2 ** 15 + i;
    }
    keys.sort();
    const sorted = this.scratch;
    sorted.length = n;
    for (let i = 0; i < n; i++) sorted[i] = bucket[keys[i]! % 2 ** 15]!;
    for (let i = 1; i < n; i++) {
      const report = sorted[i]!;
      let j = i - 1;
      while (j >= 0 && byEventTime(sorted[j]!, report) > 0) {
        sorted[j + 1] = sorted[j]!;
        j--;
      }
      sorted[j + 1] = report;
    }
    for (let i = 0; i < n; i++) bucket[i] = sorted[i]!;
    sorted.length = 0;
  }

  /** The `release` watermark that hands out every report up to `time`, its bucket included. */
  bucketEndAfter(time: number): number {
    return (Math.floor(time / this.bucketMs) + 1) * this.bucketMs;
  }

  /** Releases everything (end of input). */
  drain(process: (report: Report) => void): void {
    const keys = [...this.buckets.keys()].sort((a, b) => a - b);
    if (keys.length > 0) this.release((keys[keys.length - 1]! + 1) * this.bucketMs, process);
  }
}

/** Reports per bucket the keyed sort handles (the index takes 15 bits of the key). */
const MAX_KEYED = 2 ** 15;
/** Milliseconds per bucket the keyed sort handles (10 bits of the key). */
const MAX_KEYED_BUCKET_MS = 1024;

export function byEventTime(a: Report, b: Report): number {
  return a.time - b.time || a.payloadHash - b.payloadHash || a.mmsi - b.mmsi;
}
