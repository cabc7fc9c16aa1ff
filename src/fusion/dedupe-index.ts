import type { Report } from './report.js';

const INITIAL_CAPACITY = 1024;
/** Fibonacci hashing spreads the payload hash over the table's bits. */
const GOLDEN = 0x9e3779b1;
/** Expiry buckets span this much event time. */
const EXPIRY_BUCKET_MS = 1000;

/**
 * Finds the report a new one duplicates: the same AIS transmission (same payload bits, same
 * MMSI) heard by several members' receivers within `windowMs` (DESIGN.md §3: 30 s) is one report
 * with several sources.
 *
 * Every message of every feed is looked up here, and the table holds every report of the last
 * window and more (hundreds of thousands at 50 k vessels), so a look-up is mostly cache misses.
 * Hence an open-addressing table with linear probing instead of a Map: the probe reads a typed
 * array of 32-bit keys (the payload hash, odd, 0 = empty) and touches the report only when a
 * key matches; a new report goes into the empty slot the probe ended on, with no second look-up.
 * The other hash and the MMSI are checked on a key match, so colliding transmissions never
 * merge. Expired reports are removed with backward-shift deletion, so there are no tombstones.
 *
 * Expiry goes by event time, not arrival: reports wait in one-second buckets of their time and a
 * bucket is emptied once the watermark has passed it by the window. (An arrival-order list
 * stopped at its first report still in the window: one report stamped hours ahead — a bad
 * clock, or a partition read ahead of the others — kept every later one in memory.)
 */
export class DedupeIndex {
  private keys = new Int32Array(INITIAL_CAPACITY);
  private reports: (Report | undefined)[] = new Array(INITIAL_CAPACITY).fill(undefined);
  private shift = 32 - Math.log2(INITIAL_CAPACITY);
  private mask = INITIAL_CAPACITY - 1;
  private count = 0;
  /** Reports by the second of their time (`time / EXPIRY_BUCKET_MS`), for expiry. */
  private readonly expiry = new Map<number, Report[]>();
  /** No expiry bucket below this key holds reports. */
  private lowestKey = Number.POSITIVE_INFINITY;
  /** The bucket the last report went to (reports mostly come in time order). */
  private lastKey = Number.NaN;
  private lastBucket: Report[] = [];

  constructor(private readonly windowMs: number) {}

  get size(): number {
    return this.count;
  }

  /** The earlier report `report` duplicates, or undefined after remembering `report` as new. */
  match(report: Report): Report | undefined {
    const key = report.payloadHash | 1;
    const keys = this.keys;
    const mask = this.mask;
    let i = Math.imul(key, GOLDEN) >>> this.shift;
    for (let k = keys[i]!; k !== 0; k = keys[i]!) {
      if (k === key) {
        const other = this.reports[i]!;
        if (sameTransmission(other, report)) {
          if (Math.abs(other.time - report.time) <= this.windowMs) return other;
          // The same payload again, later: a new report, in the old one's place.
          this.reports[i] = report;
          this.scheduleExpiry(report);
          return undefined;
        }
      }
      i = (i + 1) & mask;
    }
    keys[i] = key;
    this.reports[i] = report;
    this.scheduleExpiry(report);
    if (++this.count * 2 > mask) this.resize(this.keys.length * 2);
    return undefined;
  }

  /** Forgets reports older than `watermark - windowMs`; they can no longer have duplicates. */
  expire(watermark: number): void {
    const limit = watermark - this.windowMs;
    const boundaryKey = Math.floor(limit / EXPIRY_BUCKET_MS);
    if (!(this.lowestKey <= boundaryKey)) return;
    for (const key of this.keysFromLowestTo(boundaryKey)) {
      const bucket = this.expiry.get(key)!;
      if (key < boundaryKey) {
        for (const report of bucket) this.remove(report);
        this.expiry.delete(key);
        continue;
      }
      // The bucket the limit falls in: only its reports before the limit go.
      let kept = 0;
      for (const report of bucket) {
        if (report.time < limit) this.remove(report);
        else bucket[kept++] = report;
      }
      bucket.length = kept;
      if (kept === 0) this.expiry.delete(key);
    }
    this.lowestKey = this.expiry.has(boundaryKey) ? boundaryKey : boundaryKey + 1;
    if (this.lastKey <= boundaryKey && !this.expiry.has(this.lastKey)) this.lastKey = Number.NaN;
    // After a burst (or when traffic stops) give the memory back: the table follows the reports
    // of the window, not its peak.
    const capacity = this.keys.length;
    if (capacity > INITIAL_CAPACITY && this.count * 8 < capacity) {
      this.resize(Math.max(INITIAL_CAPACITY, 2 ** Math.ceil(Math.log2(this.count * 4 + 1))));
    }
  }

  /**
   * The keys of the expiry buckets from `lowestKey` to `lastKey`, in order: a walk over the
   * seconds in between, or over the buckets when they are far apart (a report stamped years
   * back must not make expiry count every second since).
   */
  private keysFromLowestTo(lastKey: number): number[] {
    const keys: number[] = [];
    if (lastKey - this.lowestKey <= 4 * this.expiry.size + 64) {
      for (let key = this.lowestKey; key <= lastKey; key++) {
        if (this.expiry.has(key)) keys.push(key);
      }
      return keys;
    }
    for (const key of this.expiry.keys()) if (key <= lastKey) keys.push(key);
    return keys.sort((a, b) => a - b);
  }

  /** Files `report` for expiry under the second of its time. */
  private scheduleExpiry(report: Report): void {
    const key = Math.floor(report.time / EXPIRY_BUCKET_MS);
    if (key !== this.lastKey) {
      let bucket = this.expiry.get(key);
      if (bucket === undefined) {
        bucket = [];
        this.expiry.set(key, bucket);
        if (key < this.lowestKey) this.lowestKey = key;
      }
      this.lastKey = key;
      this.lastBucket = bucket;
    }
    this.lastBucket.push(report);
  }

  /** Removes `report` if it still holds its slot (a later report may have taken it). */
  private remove(report: Report): void {
    const key = report.payloadHash | 1;
    const keys = this.keys;
    const reports = this.reports;
    const mask = this.mask;
    let i = Math.imul(key, GOLDEN) >>> this.shift;
    for (;;) {
      const k = keys[i]!;
      if (k === 0) return;
      if (k === key && reports[i] === report) break;
      i = (i + 1) & mask;
    }
    // Backward shift: pull up every later entry of the run whose home slot is not between the
    // hole and it, so that every probe still finds its key before an empty slot.
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const k = keys[j]!;
      if (k === 0) break;
      const home = Math.imul(k, GOLDEN) >>> this.shift;
      if (i <= j ? home > i && home <= j : home > i || home <= j) continue;
      keys[i] = k;
      reports[i] = reports[j];
      i = j;
    }
    keys[i] = 0;
    reports[i] = undefined;
    this.count--;
  }

  /** Moves every entry into a table of `capacity` slots (a power of two). */
  private resize(capacity: number): void {
    const oldKeys = this.keys;
    const oldReports = this.reports;
    this.keys = new Int32Array(capacity);
    this.reports = new Array(capacity).fill(undefined);
    this.shift = 32 - Math.log2(capacity);
    this.mask = capacity - 1;
    const keys = this.keys;
    const reports = this.reports;
    for (let s = 0; s < oldKeys.length; s++) {
      const key = oldKeys[s]!;
      if (key === 0) continue;
      let i = Math.imul(key, GOLDEN) >>> this.shift;
      while (keys[i] !== 0) i = (i + 1) & this.mask;
      keys[i] = key;
      reports[i] = oldReports[s];
    }
  }
}

function sameTransmission(a: Report, b: Report): boolean {
  return a.payloadHash === b.payloadHash && a.payloadCheck === b.payloadCheck && a.mmsi === b.mmsi;
}
