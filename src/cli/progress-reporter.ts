/**
 * Progress on long work, on stderr, only when stderr is a terminal (so pipes and logs stay
 * clean): at most one line a second, overwritten in place.
 */
export class ProgressReporter {
  private last = Date.now();
  private shown = false;
  private readonly enabled = process.stderr.isTTY === true;

  constructor(
    private readonly label: string,
    private readonly describe: () => string,
    private readonly intervalMs = 1000,
  ) {}

  tick(): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < this.intervalMs) return;
    this.last = now;
    this.shown = true;
    process.stderr.write(`\r${this.label}: ${this.describe()}\x1b[K`);
  }

  done(): void {
    if (this.shown) process.stderr.write('\r\x1b[K');
  }
}
