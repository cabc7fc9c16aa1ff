import { StreamDecoder } from '../../src/ais/stream-decoder.js';
import type { Release } from '../../src/coalition/release.js';
import { visibleAt } from '../../src/coalition/release.js';
import { ContributionZones } from '../../src/pipeline/contribution-zones.js';
import type { ZoneIndex } from '../../src/zones/zone-index.js';

/** A feed's lines grouped by what they are: one decoded message, or a line that is none. */
export interface FeedItem {
  readonly lines: readonly string[];
  /**
   * Ids of the zones the message is judged inside (ContributionZones, the pipeline's own rule);
   * undefined for a line that is no message (a lone tag block or `$PGHP` line: kept, it sets the
   * time of the sentences after it).
   */
  readonly zoneIds: ReadonlySet<string> | undefined;
}

const encoder = new TextEncoder();

/**
 * One member's feed (NMEA lines) as its messages, each with all of its lines (both parts of a
 * type 5) and the zones where DESIGN.md §6 judges it, so a test can write "only the input visible
 * to A" as a plain feed again. Rejected lines are left out (they feed no picture).
 */
export function feedItems(lines: readonly string[], zones: ZoneIndex | undefined): FeedItem[] {
  const decoder = new StreamDecoder({ requireTime: true });
  const judge = new ContributionZones(zones, 1);
  const scratch: number[] = [];
  const pending = new Map<string, string[]>();
  const items: FeedItem[] = [];
  for (const line of lines) {
    const bytes = encoder.encode(line);
    const outcome = decoder.decodeLine(bytes, 0, bytes.length);
    if (outcome === 'context') {
      items.push({ lines: [line], zoneIds: undefined });
      continue;
    }
    // !AIVDM,<parts>,<part>,<sequence id>,<channel>,...: the parts of one message share the last two.
    const fields = line.slice(line.indexOf('!')).split(',');
    const key = `${fields[3]},${fields[4]}`;
    if (outcome === 'pending') {
      pending.set(key, [...(pending.get(key) ?? []), line]);
      continue;
    }
    if (outcome !== 'message') continue;
    const parts = fields[1] === '1' ? [line] : [...(pending.get(key) ?? []), line];
    pending.delete(key);
    const count = judge.zonesOf(decoder.message, 0, scratch);
    const zoneIds = new Set<string>();
    for (let i = 0; i < count; i++) zoneIds.add(zones!.zones[scratch[i]!]!.id);
    items.push({ lines: parts, zoneIds });
  }
  return items;
}

/** The lines of `items` an audience with `release` towards this feed's contributor may see. */
export function visibleLines(items: readonly FeedItem[], release: Release): string[] {
  const out: string[] = [];
  for (const item of items) {
    if (item.zoneIds === undefined || visibleAt(release, item.zoneIds)) out.push(...item.lines);
  }
  return out;
}
