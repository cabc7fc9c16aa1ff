import { REJECT_REASONS, type RejectReason } from './reject-reason.js';

/**
 * Line accounting of a decoder. Every line ends in exactly one bucket, so after `flush()`:
 * `lines === messages + fragments + context + Σ rejected` (the fuzz test checks it).
 */
export interface DecodeStats {
  lines: number;
  /** Lines that completed a message (single-sentence messages and last parts). */
  messages: number;
  /** Earlier parts of multi-sentence messages that completed. */
  fragments: number;
  /** Lines that carry context only: `$PGHP` time, a lone tag block, comments, blank lines. */
  context: number;
  rejected: Record<RejectReason, number>;
  /** Tag blocks whose own checksum was wrong (used anyway; see `TagBlock.checksumValid`). */
  tagBlockChecksumErrors: number;
  /** Decoded messages by ITU message type (index = type). */
  byType: number[];
}

export function createDecodeStats(): DecodeStats {
  const rejected = {} as Record<RejectReason, number>;
  for (const reason of REJECT_REASONS) rejected[reason] = 0;
  return {
    lines: 0,
    messages: 0,
    fragments: 0,
    context: 0,
    rejected,
    tagBlockChecksumErrors: 0,
    byType: new Array(64).fill(0),
  };
}

export function totalRejected(stats: DecodeStats): number {
  let total = 0;
  for (const reason of REJECT_REASONS) total += stats.rejected[reason];
  return total;
}
