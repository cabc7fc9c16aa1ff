import type { DecodeStats } from '../../src/ais/decode-stats.js';
import { type DecodedRecord, toRecord } from '../../src/ais/decoded-record.js';
import { StreamDecoder } from '../../src/ais/stream-decoder.js';
import type { MemberFeed } from '../../src/sim/feed-writer.js';

/** A decoded message with the feed it came from and its last line. */
export interface FeedRecord {
  member: string;
  record: DecodedRecord;
  /** Receive time, ms. */
  timeMs: number;
  /** The message's sentences without tag blocks, `\n`-separated: the same in every feed. */
  sentence: string;
}

/** Decodes every member feed line by line with the project decoder. */
export function decodeFeeds(feeds: readonly MemberFeed[]): {
  records: FeedRecord[];
  stats: Map<string, DecodeStats>;
} {
  const records: FeedRecord[] = [];
  const stats = new Map<string, DecodeStats>();
  for (const feed of feeds) {
    const decoder = new StreamDecoder({ requireTime: true });
    let parts = '';
    for (const line of feed.lines) {
      const buf = Buffer.from(line, 'latin1');
      const outcome = decoder.decodeLine(buf, 0, buf.length);
      const sentence = line.slice(line.lastIndexOf('\\') + 1);
      if (outcome === 'pending') parts += `${sentence}\n`;
      if (outcome !== 'message') continue;
      const record = toRecord(decoder.message);
      records.push({
        member: feed.member,
        record,
        timeMs: Date.parse(record.receivedAt!),
        sentence: parts + sentence,
      });
      parts = '';
    }
    decoder.flush();
    stats.set(feed.member, decoder.stats);
  }
  return { records, stats };
}

export const POSITION_TYPES = new Set([1, 2, 3, 4, 18, 21]);

/**
 * The records grouped into distinct reports as DESIGN.md §3 dedupes them: copies of the same
 * sentence received within 30 s of the first copy are one report (static messages repeat
 * verbatim every 6 minutes, so the sentence alone is not enough).
 */
export function distinctReports(records: readonly FeedRecord[]): FeedRecord[][] {
  const sorted = [...records].sort((a, b) => a.timeMs - b.timeMs);
  const open = new Map<string, FeedRecord[]>();
  const reports: FeedRecord[][] = [];
  for (const r of sorted) {
    const copies = open.get(r.sentence);
    if (copies !== undefined && r.timeMs - copies[0]!.timeMs <= 30_000) {
      copies.push(r);
      continue;
    }
    const fresh = [r];
    open.set(r.sentence, fresh);
    reports.push(fresh);
  }
  return reports;
}

export interface Fix {
  timeMs: number;
  lat: number;
  lon: number;
  sog: number | undefined;
  cog: number | undefined;
}

/** Position reports of `mmsi`, one per distinct report (its first copy), in time order. */
export function fixesOf(records: readonly FeedRecord[], mmsi: number): Fix[] {
  const mine = records.filter((r) => r.record.mmsi === mmsi && POSITION_TYPES.has(r.record.type));
  return distinctReports(mine).map(([r]) => ({
    timeMs: r!.timeMs,
    lat: r!.record.lat!,
    lon: r!.record.lon!,
    sog: r!.record.sog,
    cog: r!.record.cog,
  }));
}
