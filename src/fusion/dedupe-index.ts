import type { Report } from './report.js';

const INITIAL_CAPACITY = 1024;
/** Fibonacci hashing spreads the payload hash over the table's bits. */
const GOLDEN = 0x9e3779b1;

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
 */
export class DedupeIndex {
  private keys = new Int32Array(INITIAL_CAPACITY);
  private reports: (Report | undefined)[] = new Array(INITIAL_CAPACITY).fill(undefined);
  private shift = 32 - Math.log2(INITIAL_CAPACITY);
  private mask = INITIAL_CAPACITY - 1;
  private count = 0;
  /** Reports in the order they were added, for expiry. */
  private readonly order: Report[] = [];
  private head = 0;

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
          this.order.push(report);
          return undefined;
        }
      }
      i = (i + 1) & mask;
    }
    keys[i] = key;
    this.reports[i] = report;
    this.order.push(report);
    if (++this.count * 2 > mask) this.resize(this.keys.length * 2);
    return undefined;
  }

  /** Forgets reports older than `watermark - windowMs`; they can no longer have duplicates. */
  expire(watermark: number): void {
    const limit = watermark - this.windowMs;
    const order = this.order;
    let head = this.head;
    while (head < order.length && order[head]!.time < limit) {
      this.remove(order[head]!);
      head++;
    }
    // Compact now and then so the array does not grow without bound.
    if (head > 4096 && head * 2 > order.length) {
      order.splice(0, head);
      head = 0;
    }
    this.head = head;
    // After a burst (or when traffic stops) give the memory back: the table follows the reports
    // of the window, not its peak.
    const capacity = this.keys.length;
    if (capacity > INITIAL_CAPACITY && this.count * 8 < capacity) {
      this.resize(Math.max(INITIAL_CAPACITY, 2 ** Math.ceil(Math.log2(this.count * 4 + 1))));
    }
  }

  /** Drops the expired reports the expiry order still points at (before a state snapshot). */
  compact(): void {
    this.order.splice(0, this.head);
    this.head = 0;
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
