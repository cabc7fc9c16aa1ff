/** A consumed batch on its way to being durable. */
export interface LedgerEntry<B> {
  readonly batch: B;
  /**
   * Event time (epoch ms) the core must have released before every report of the batch has
   * reached the sinks: the batch's newest report time, capped a little past its partition's
   * progress (see Worker).
   */
  readonly holdUntil: number;
  /** Wall-clock time (ms) the batch was consumed, for the batch-duration metric. */
  readonly consumedAtMs: number;
}

/**
 * Which consumed batches may have their Kafka offsets stored (at-least-once, issue 4). A batch
 * goes through three stages: its reports wait in the core's event-time queue (`waiting`); once
 * the core has released past `holdUntil` they are all in the sinks' buffers (`released`); a
 * flush of the sinks that started after that makes them durable, and the caller stores the
 * offsets. A failed flush hands its entries back, to ride on the next one. Pure bookkeeping: the
 * caller owns the batches, the core and the sinks.
 */
export class BatchLedger<B> {
  private waiting: LedgerEntry<B>[] = [];
  private released: LedgerEntry<B>[] = [];

  add(batch: B, holdUntil: number, consumedAtMs: number): void {
    this.waiting.push({ batch, holdUntil, consumedAtMs });
  }

  /** Moves the batches whose reports the core has all released (up to `releasedUntil`). */
  release(releasedUntil: number): number {
    let moved = 0;
    let kept = 0;
    for (const entry of this.waiting) {
      if (entry.holdUntil <= releasedUntil) {
        this.released.push(entry);
        moved++;
      } else {
        this.waiting[kept++] = entry;
      }
    }
    this.waiting.length = kept;
    return moved;
  }

  /** The released batches a flush starting now will make durable (they leave the ledger). */
  takeReleased(): LedgerEntry<B>[] {
    const taken = this.released;
    this.released = [];
    return taken;
  }

  /** A flush failed: its batches wait for the next one (in front of those released since). */
  restore(entries: readonly LedgerEntry<B>[]): void {
    if (entries.length > 0) this.released = [...entries, ...this.released];
  }

  /** Batches whose reports are still in the core. */
  get waitingCount(): number {
    return this.waiting.length;
  }

  /** Batches at the sinks, waiting for a flush. */
  get releasedCount(): number {
    return this.released.length;
  }
}
