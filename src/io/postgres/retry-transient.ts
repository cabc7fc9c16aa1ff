import { PostgresError } from './postgres-error.js';
import { isTransientError } from './transient-error.js';

export interface RetryOptions {
  /** Wait after the first transient failure, milliseconds; doubles per attempt (default 100). */
  initialDelayMs?: number;
  /** Longest wait between attempts, milliseconds (default 5000). */
  maxDelayMs?: number;
  /**
   * Give up (PG_UNAVAILABLE) when transient failures have lasted this long, milliseconds
   * (default 60 000). `Infinity` waits for Postgres forever.
   */
  giveUpAfterMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = {
  initialDelayMs: 100,
  maxDelayMs: 5_000,
  giveUpAfterMs: 60_000,
};

/** Called before each wait: the failure, the attempt that failed (1-based), the wait. */
export type RetryListener = (error: unknown, attempt: number, delayMs: number) => void;

/**
 * Runs `operation` until it succeeds, waiting with exponential backoff (and jitter, so workers
 * restarted together do not reconnect in step) after each transient failure
 * (`isTransientError`). A non-transient error is rethrown at once. When transient failures have
 * lasted `giveUpAfterMs`, throws PG_UNAVAILABLE with the last error as `cause`.
 */
export async function retryTransient<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
  onRetry?: RetryListener,
): Promise<T> {
  const o = { ...DEFAULT_RETRY, ...options };
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (!isTransientError(error)) throw error;
      const elapsedMs = Date.now() - started;
      const remainingMs = o.giveUpAfterMs - elapsedMs;
      if (remainingMs <= 0) {
        throw new PostgresError(
          'PG_UNAVAILABLE',
          `Postgres unavailable for ${(elapsedMs / 1000).toFixed(1)} s (${attempt} attempts, limit ${o.giveUpAfterMs / 1000} s): ${(error as Error).message}`,
          { cause: error },
        );
      }
      const backoffMs = Math.min(o.maxDelayMs, o.initialDelayMs * 2 ** Math.min(attempt - 1, 30));
      const delayMs = Math.min(remainingMs, backoffMs / 2 + (Math.random() * backoffMs) / 2);
      onRetry?.(error, attempt, delayMs);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
