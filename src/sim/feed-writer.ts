import { nmeaChecksum } from '../ais/sentence-writer.js';
import type { Random } from '../util/random.js';
import {
  corruptPayload,
  garbageLine,
  MALFORMED_KINDS,
  type MalformedKind,
  truncateLine,
} from './malformed.js';
import type { Station } from './receivers.js';

/** One member's feed as written: NMEA lines with tag blocks, in receive-time order. */
export interface MemberFeed {
  member: string;
  lines: string[];
}

/** Line counts of one member's feed. */
export interface FeedStats {
  lines: number;
  /** Messages received (a two-sentence type 5 counts once). */
  messages: number;
  /** Malformed lines by kind; each is one line the decoder must reject. */
  malformed: Record<MalformedKind, number>;
}

/** Tag block groups are numbered 1..9999 per feed (NMEA 4.10 `g:` field). */
const MAX_GROUP_ID = 9999;

/**
 * Collects what each member's stations receive and writes the member feeds: every sentence gets
 * an NMEA 4.10 tag block with the station (`s:`) and the receive time in UNIX seconds (`c:`), as
 * the Kystverket and AMSA streams carry them; a multi-sentence message keeps its parts together,
 * grouped by `g:`. A small share of lines is made malformed (`malformed.ts`).
 */
export class FeedWriter {
  private readonly feeds = new Map<
    string,
    { times: number[]; texts: string[]; stats: FeedStats; nextGroup: number }
  >();

  constructor(
    members: readonly string[],
    private readonly malformedRate: number,
  ) {
    for (const member of members) {
      const malformed = {} as Record<MalformedKind, number>;
      for (const kind of MALFORMED_KINDS) malformed[kind] = 0;
      this.feeds.set(member, {
        times: [],
        texts: [],
        stats: { lines: 0, messages: 0, malformed },
        nextGroup: 1,
      });
    }
  }

  /**
   * `station` received `sentences` (one message, without tag blocks) at `receivedAtMs`. When
   * `corruptible`, a single-sentence copy may be damaged at the malformed rate (two thirds of it;
   * garbage lines make the last third). Returns false when this copy was damaged.
   */
  receive(
    station: Station,
    receivedAtMs: number,
    sentences: readonly string[],
    random: Random,
    corruptible: boolean,
  ): boolean {
    const feed = this.feeds.get(station.member)!;
    const seconds = Math.floor(receivedAtMs / 1000);
    feed.stats.messages++;
    feed.times.push(receivedAtMs);
    if (sentences.length === 1) {
      let line = tagBlock(`s:${station.id},c:${seconds}`) + sentences[0]!;
      let clean = true;
      if (corruptible && random.chance((this.malformedRate * 2) / 3)) {
        clean = false;
        if (random.chance(0.5)) {
          line = corruptPayload(line, random);
          feed.stats.malformed.checksum++;
        } else {
          line = truncateLine(line, random);
          feed.stats.malformed.truncated++;
        }
      }
      feed.texts.push(line);
      return clean;
    }
    const group = feed.nextGroup;
    feed.nextGroup = group === MAX_GROUP_ID ? 1 : group + 1;
    const count = sentences.length;
    let text = '';
    for (let i = 0; i < count; i++) {
      const fields =
        i === 0
          ? `g:1-${count}-${group},s:${station.id},c:${seconds}`
          : `g:${i + 1}-${count}-${group}`;
      text += (i === 0 ? '' : '\n') + tagBlock(fields) + sentences[i]!;
    }
    feed.texts.push(text);
    return true;
  }

  stats(member: string): FeedStats {
    return this.feeds.get(member)!.stats;
  }

  /**
   * The feeds, each in receive-time order (ties keep arrival order), with garbage lines
   * inserted between messages at a third of the malformed rate; `random` forks one stream per
   * member.
   */
  finish(random: Random): MemberFeed[] {
    const out: MemberFeed[] = [];
    for (const [member, feed] of this.feeds) {
      const r = random.fork(`garbage:${member}`);
      const { times, texts } = feed;
      const order = receiveOrder(times);
      const lines: string[] = [];
      for (let k = 0; k < order.length; k++) {
        const i = order[k]!;
        if (r.chance(this.malformedRate / 3)) {
          lines.push(garbageLine(r, times[i]!));
          feed.stats.malformed.garbage++;
        }
        const text = texts[i]!;
        if (text.includes('\n')) lines.push(...text.split('\n'));
        else lines.push(text);
      }
      feed.stats.lines = lines.length;
      out.push({ member, lines });
    }
    return out;
  }
}

/**
 * Indices of `times` in ascending time, ties in index order. Sorted as one Float64Array of
 * `time offset × 2^k + index` (exact below 2^53), much faster than a comparator over indices.
 */
function receiveOrder(times: readonly number[]): ArrayLike<number> {
  const n = times.length;
  if (n === 0) return [];
  let t0 = Number.POSITIVE_INFINITY;
  let t1 = Number.NEGATIVE_INFINITY;
  for (const t of times) {
    if (t < t0) t0 = t;
    if (t > t1) t1 = t;
  }
  const radix = 2 ** Math.ceil(Math.log2(n + 1));
  if ((t1 - t0 + 1) * radix >= 2 ** 53) {
    const order = Array.from({ length: n }, (_, i) => i);
    return order.sort((a, b) => times[a]! - times[b]! || a - b);
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = (times[i]! - t0) * radix + i;
  keys.sort();
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = keys[i]! % radix;
  return order;
}

/** `\fields*hh\`: an NMEA 4.10 tag block with its checksum. */
function tagBlock(fields: string): string {
  return `\\${fields}*${nmeaChecksum(fields)}\\`;
}
