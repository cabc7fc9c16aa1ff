/** Something that happens at an event time: a detector's silence or duration check. */
export interface Timer {
  /** Called once when the watermark reaches the deadline it was scheduled for. */
  fire(now: number): void;
}

/**
 * Timers on event time (DESIGN.md §1): a binary min-heap of deadlines. Detectors keep at most
 * one pending timer per vessel or pair and re-arm it when it fires early, so the heap stays
 * proportional to the live vessels, not to the reports.
 */
export class TimerQueue {
  private deadlines: number[] = [];
  private timers: Timer[] = [];
  private sequence: number[] = [];
  private counter = 0;

  get size(): number {
    return this.deadlines.length;
  }

  schedule(deadline: number, timer: Timer): void {
    const d = this.deadlines;
    const t = this.timers;
    const q = this.sequence;
    let i = d.length;
    d.push(deadline);
    t.push(timer);
    q.push(this.counter++);
    // Sift up; ties keep scheduling order so runs are deterministic.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (d[parent]! < deadline || (d[parent] === deadline && q[parent]! < q[i]!)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Earliest deadline, or Infinity. */
  peek(): number {
    return this.deadlines.length > 0 ? this.deadlines[0]! : Number.POSITIVE_INFINITY;
  }

  /** Fires, in deadline order, every timer due at or before `now`. */
  runUntil(now: number): void {
    while (this.deadlines.length > 0 && this.deadlines[0]! <= now) {
      const deadline = this.deadlines[0]!;
      const timer = this.pop();
      timer.fire(deadline);
    }
  }

  private pop(): Timer {
    const d = this.deadlines;
    const top = this.timers[0]!;
    const last = d.length - 1;
    this.swap(0, last);
    d.pop();
    this.timers.pop();
    this.sequence.pop();
    let i = 0;
    const n = d.length;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < n && this.less(left, smallest)) smallest = left;
      if (right < n && this.less(right, smallest)) smallest = right;
      if (smallest === i) break;
      this.swap(i, smallest);
      i = smallest;
    }
    return top;
  }

  private less(a: number, b: number): boolean {
    const d = this.deadlines;
    return d[a]! < d[b]! || (d[a] === d[b] && this.sequence[a]! < this.sequence[b]!);
  }

  private swap(a: number, b: number): void {
    const d = this.deadlines;
    const t = this.timers;
    const q = this.sequence;
    [d[a], d[b]] = [d[b]!, d[a]!];
    [t[a], t[b]] = [t[b]!, t[a]!];
    [q[a], q[b]] = [q[b]!, q[a]!];
  }
}
