import type { FeedReader } from './feed-reader.js';

/**
 * Reads recorded feeds to their end a chunk at a time, always the one furthest behind in event
 * time, so they stay level (`replay`, DESIGN.md §2.1). After every chunk, `afterChunk` gets the
 * bytes read so far over all feeds: where the caller moves its watermark(s) and flushes.
 */
export async function readFeedsLevel(
  feeds: readonly FeedReader[],
  afterChunk: (bytesRead: number) => Promise<void> | void,
): Promise<void> {
  let bytesRead = 0;
  for (;;) {
    let behind: FeedReader | undefined;
    for (const feed of feeds) {
      if (!feed.done && (behind === undefined || feed.progressTime < behind.progressTime)) {
        behind = feed;
      }
    }
    if (behind === undefined) return;
    const before = behind.bytesRead;
    await behind.pump();
    bytesRead += behind.bytesRead - before;
    await afterChunk(bytesRead);
  }
}
