import type pg from 'pg';

const DAY_MS = 86_400_000;

/** The UTC day of an epoch-ms time, as days since 1970-01-01 (the partition key of `positions`). */
export function utcDay(timeMs: number): number {
  return Math.floor(timeMs / DAY_MS);
}

/**
 * The daily partitions of `positions` (migrations/0001) this writer knows exist. Before a batch
 * is inserted, `ensure` creates the missing days with `ensure_positions_partition` in their own
 * short statement (DDL takes a strong lock on `positions`; it must not be held for the length
 * of a batch). One query per new day seen, none in the steady state.
 */
export class PositionPartitions {
  private readonly known = new Set<number>();

  async ensure(client: pg.ClientBase, days: ReadonlySet<number>): Promise<void> {
    const missing: string[] = [];
    for (const day of days) {
      if (!this.known.has(day)) missing.push(new Date(day * DAY_MS).toISOString().slice(0, 10));
    }
    if (missing.length === 0) return;
    await client.query('SELECT ensure_positions_partition(day) FROM unnest($1::date[]) AS day', [
      missing,
    ]);
    for (const day of days) this.known.add(day);
  }

  /** Forgets what it knows (after a failed write: a partition may have been dropped meanwhile). */
  reset(): void {
    this.known.clear();
  }
}
