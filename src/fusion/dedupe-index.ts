import type { Report } from './report.js';

/**
 * Finds the report a new one duplicates: the same AIS transmission (same payload bits, same
 * MMSI) heard by several members' receivers within `windowMs` (DESIGN.md §3: 30 s) is one report
 * with several sources. The primary map is keyed by 30 bits of the payload hash, a small
 * integer V8 stores without allocating; the other hash and the MMSI are checked on a hit, and the
 * rare report whose slot is taken by another transmission goes to an overflow map keyed by more
 * bits, so no duplicate is missed.
 */
export class DedupeIndex {
  private readonly byKey = new Map<number, Report>();
  private readonly overflow = new Map<number, Report>();
  /** Reports in the order they were added, for expiry. */
  private readonly order: Report[] = [];
  private head = 0;

  constructor(private readonly windowMs: number) {}

  get size(): number {
    return this.byKey.size + this.overflow.size;
  }

  /** The earlier report `report` duplicates, or undefined after remembering `report` as new. */
  match(report: Report): Report | undefined {
    const key = report.payloadHash & 0x3fffffff;
    const primary = this.byKey.get(key);
    if (primary === undefined) {
      this.byKey.set(key, report);
    } else if (sameTransmission(primary, report)) {
      if (Math.abs(primary.time - report.time) <= this.windowMs) return primary;
      this.byKey.set(key, report); // the same payload again, later: a new report
    } else {
      const wideKey = overflowKey(report);
      const other = this.overflow.get(wideKey);
      if (
        other !== undefined &&
        sameTransmission(other, report) &&
        Math.abs(other.time - report.time) <= this.windowMs
      ) {
        return other;
      }
      this.overflow.set(wideKey, report);
    }
    this.order.push(report);
    return undefined;
  }

  /** Forgets reports older than `watermark - windowMs`; they can no longer have duplicates. */
  expire(watermark: number): void {
    const limit = watermark - this.windowMs;
    const order = this.order;
    let head = this.head;
    while (head < order.length && order[head]!.time < limit) {
      const report = order[head]!;
      const key = report.payloadHash & 0x3fffffff;
      if (this.byKey.get(key) === report) this.byKey.delete(key);
      else {
        const wideKey = overflowKey(report);
        if (this.overflow.get(wideKey) === report) this.overflow.delete(wideKey);
      }
      head++;
    }
    // Compact now and then so the array does not grow without bound.
    if (head > 4096 && head * 2 > order.length) {
      order.splice(0, head);
      head = 0;
    }
    this.head = head;
  }
}

function sameTransmission(a: Report, b: Report): boolean {
  return a.payloadHash === b.payloadHash && a.payloadCheck === b.payloadCheck && a.mmsi === b.mmsi;
}

function overflowKey(report: Report): number {
  return (report.payloadCheck & 0x1fffff) * 0x1_0000_0000 + report.payloadHash;
}
