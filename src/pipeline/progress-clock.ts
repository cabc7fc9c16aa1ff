/** Event times kept for the estimate. */
const RECENT_TIMES = 255;

/**
 * How far one input (a recorded feed, a Kafka partition) has got in event time: the median of
 * its latest message times (-Infinity before the first). Not the newest time: one row stamped
 * hours ahead (the MarineCadastre day file has one at 23:59 among its first rows) must not pull
 * the watermark past everything else, and a late row must not hold it back.
 */
export class ProgressClock {
  private readonly recent = new Float64Array(RECENT_TIMES);
  private count = 0;
  private cached = Number.NEGATIVE_INFINITY;
  private cachedAt = 0;

  /** Records the event time (epoch ms) of one message. */
  note(time: number): void {
    this.recent[this.count++ % RECENT_TIMES] = time;
  }

  /** Messages noted so far. */
  get noted(): number {
    return this.count;
  }

  /**
   * The end of the run its latest times form from the median up, no step over `maxGapMs`: where
   * the input has really got to when it has ended (a thin input's median lags its newest time by
   * half its latest times' span), without the row stamped hours ahead (a gap before it).
   * -Infinity before the first time.
   */
  runEnd(maxGapMs: number): number {
    const n = Math.min(this.count, RECENT_TIMES);
    if (n === 0) return Number.NEGATIVE_INFINITY;
    const sorted = this.recent.slice(0, n).sort();
    let i = n >> 1;
    while (i + 1 < n && sorted[i + 1]! - sorted[i]! <= maxGapMs) i++;
    return sorted[i]!;
  }

  get progressTime(): number {
    const n = Math.min(this.count, RECENT_TIMES);
    if (n === 0) return Number.NEGATIVE_INFINITY;
    // Read after every chunk or batch, written per message: sort only when something changed.
    if (this.cachedAt !== this.count) {
      this.cached = this.recent.slice(0, n).sort()[n >> 1]!;
      this.cachedAt = this.count;
    }
    return this.cached;
  }
}
