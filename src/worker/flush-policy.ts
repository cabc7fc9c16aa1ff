/** Unflushed history rows above which a flush starts without waiting for the interval. */
export const FLUSH_ROWS = 50_000;

/**
 * Flushes running at once (the history sink writes two at once); the next starts when one ends,
 * with everything buffered meanwhile. The loop goes on reading meanwhile: the sinks' high-water
 * marks bound what it buffers.
 */
export const MAX_FLUSHES_IN_FLIGHT = 2;

/** What the loop knows when it decides whether to start a flush. */
export interface FlushInputs {
  readonly flushesInFlight: number;
  /** History rows buffered and not yet written. */
  readonly bufferedRows: number;
  /** Batches whose reports the core has released, waiting for a flush to store their offsets. */
  readonly releasedBatches: number;
  /** A periodic state checkpoint is due (it rides on a flush). */
  readonly checkpointDue: boolean;
  readonly sinceLastFlushMs: number;
  /** `output.flushIntervalMs`. */
  readonly flushIntervalMs: number;
}

/**
 * Whether the loop starts a flush now: when there is something to make durable (rows, released
 * batches or a due checkpoint) and either the flush interval has passed or `FLUSH_ROWS` rows are
 * waiting; never more than `MAX_FLUSHES_IN_FLIGHT` at once.
 */
export function shouldFlush(inputs: FlushInputs): boolean {
  if (inputs.flushesInFlight >= MAX_FLUSHES_IN_FLIGHT) return false;
  const rows = inputs.bufferedRows;
  if (inputs.releasedBatches === 0 && rows === 0 && !inputs.checkpointDue) return false;
  return rows >= FLUSH_ROWS || inputs.sinceLastFlushMs >= inputs.flushIntervalMs;
}
