import { REJECT_REASONS, type RejectReason } from '../ais/reject-reason.js';
import type { FeedReader } from '../pipeline/feed-reader.js';

/** The per-feed lines of `replay`'s summary, the lines read and the rejections by reason. */
export function feedSummary(feeds: readonly FeedReader[]): {
  lines: string[];
  lineCount: number;
  rejectedByReason: Map<RejectReason, number>;
} {
  const lines: string[] = [];
  const rejectedByReason = new Map<RejectReason, number>();
  let lineCount = 0;
  for (const feed of feeds) {
    const s = feed.lineStats;
    lineCount += s.lines;
    let feedRejected = 0;
    for (const reason of REJECT_REASONS) {
      feedRejected += s.rejected[reason];
      rejectedByReason.set(reason, (rejectedByReason.get(reason) ?? 0) + s.rejected[reason]);
    }
    lines.push(
      `  feed ${feed.member} (${feed.format}) ${feed.path}: ${s.lines} lines, ${s.messages} messages, ${feedRejected} rejected`,
    );
  }
  return { lines, lineCount, rejectedByReason };
}

/** `reason count, ...` of the reasons with a count, or 'none'. */
export function countsText(counts: ReadonlyMap<string, number>): string {
  const parts: string[] = [];
  for (const [reason, count] of counts) if (count > 0) parts.push(`${reason} ${count}`);
  return parts.join(', ') || 'none';
}
