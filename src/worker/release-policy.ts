import type { Watermark } from './watermark-source.js';

/** What the core does with the watermark of this loop turn. */
export type ReleaseStep =
  /** Release (fuse, fire timers) up to `until`. */
  | { readonly kind: 'advance'; readonly until: number }
  /** Fuse everything it holds up to `until`, leaving queued what is stamped beyond `limit`. */
  | { readonly kind: 'finish'; readonly until: number; readonly limit: number }
  | { readonly kind: 'none' };

/** What the release decision needs to know of the core. */
export interface HeldReports {
  readonly queuedReports: number;
  /** `FusionCore.releasedUntil`. */
  readonly releasedUntil: number;
}

/**
 * How far the core releases at `watermark`. Normally up to the watermark less
 * `core.allowedLatenessSeconds`. When every partition is idle, everything written so far has
 * been read: fuse what the core holds, as `replay` does at the end of its files (later reports
 * for that time are fused at once, as late ones), but leave queued a report stamped beyond the
 * future tolerance and beyond the end of the run its partition's latest times form
 * (`Watermark.end`): a bad clock must not fire every timer hours ahead. Nothing before the
 * watermark is known.
 */
export function releaseStep(
  watermark: Watermark,
  core: HeldReports,
  latenessMs: number,
  futureToleranceMs: number,
): ReleaseStep {
  if (!Number.isFinite(watermark.time)) return { kind: 'none' };
  if (!watermark.allIdle) return { kind: 'advance', until: watermark.time - latenessMs };
  if (core.queuedReports > 0 || core.releasedUntil < watermark.time) {
    // A thin partition's tail lies beyond its median: fused up to where its input got (`end`).
    const limit = Math.max(watermark.time + futureToleranceMs, watermark.end ?? -Infinity);
    return { kind: 'finish', until: watermark.time, limit };
  }
  return { kind: 'none' };
}

/**
 * Until when a batch waits in the ledger (`BatchLedger`): its newest report, but no further than
 * its partition's progress plus `watermark.futureToleranceSeconds` — a report stamped far ahead
 * is fused when the watermark gets there, without holding the batch's offsets for it.
 */
export function holdUntil(
  newestReportMs: number,
  partitionProgressMs: number,
  futureToleranceMs: number,
): number {
  return Math.min(newestReportMs, partitionProgressMs + futureToleranceMs);
}
