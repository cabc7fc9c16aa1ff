/**
 * Wraps an armoured AIS payload in NMEA 0183 `!xxVDM` sentences (IEC 61162-1, gpsd AIVDM notes
 * "AIVDM/AIVDO sentence layer"): splits long payloads into numbered fragments with a sequential
 * message id, writes the fill bits on the last fragment, the `*hh` checksum, and optionally an
 * NMEA 4.10 tag block (`\g:1-2-7,s:STATION,c:EPOCH*hh\`).
 */

import type { ArmouredPayload } from './bit-writer.js';

export interface TagBlockOptions {
  /** Receiving station, written as `s:` (NMEA 4.10 source identification). */
  station?: string | undefined;
  /** Receive time, milliseconds since the epoch, written as `c:`. */
  receivedAtMs?: number | undefined;
  /** Unit of `c:`: UNIX seconds (the common form, default) or milliseconds (some providers). */
  timeUnit?: 'seconds' | 'milliseconds';
  /** Group id for `g:` on multi-sentence messages (1..9999); default: the sequence id + 1. */
  groupId?: number;
}

export interface SentenceOptions {
  /** Two-character talker id: `AI` (default), `AB`, `BS`, ... (any printable pair, as seen on air). */
  talker?: string;
  /** `VDM` (default: traffic heard) or `VDO` (own vessel). */
  sentence?: 'VDM' | 'VDO';
  /** Radio channel field: `A` (default), `B`, `1`, `2` or empty. */
  channel?: 'A' | 'B' | '1' | '2' | '';
  /**
   * Sequential message id 0..9. Written when given (some receivers number single sentences too);
   * otherwise 0 for multi-sentence messages and empty for single ones.
   */
  sequenceId?: number | undefined;
  /**
   * Most payload characters per sentence. 60 keeps a sentence within NMEA's 82 characters and is
   * what receivers do: a 424-bit type 5 becomes 60 + 11 characters.
   */
  maxPayloadChars?: number;
  /** Prefix every sentence with an NMEA 4.10 tag block. */
  tagBlock?: TagBlockOptions | undefined;
}

/** NMEA 4.10 allows up to 9 fragments; AIS messages need at most 5 (1008 bits). */
const MAX_FRAGMENTS = 9;

/** XOR of the character codes of `text[start..end)`, as two upper-case hex digits. */
export function nmeaChecksum(text: string, start = 0, end = text.length): string {
  let sum = 0;
  for (let i = start; i < end; i++) sum ^= text.charCodeAt(i);
  return sum.toString(16).toUpperCase().padStart(2, '0');
}

/** Splits `armoured` into NMEA sentences (without line terminators). */
export function writeSentences(armoured: ArmouredPayload, options: SentenceOptions = {}): string[] {
  const talker = options.talker ?? 'AI';
  if (!isTalker(talker)) throw new RangeError(`NMEA talker: "${talker}" is not two characters.`);
  const channel = options.channel ?? 'A';
  const maxChars = options.maxPayloadChars ?? 60;
  if (!Number.isInteger(maxChars) || maxChars < 1) {
    throw new RangeError(`maxPayloadChars: ${maxChars} is not a positive integer.`);
  }
  const { payload, fillBits } = armoured;
  const count = Math.max(1, Math.ceil(payload.length / maxChars));
  if (count > MAX_FRAGMENTS) {
    throw new RangeError(`AIS payload of ${payload.length} characters needs ${count} sentences.`);
  }
  const sequenceId = options.sequenceId ?? 0;
  if (!Number.isInteger(sequenceId) || sequenceId < 0 || sequenceId > 9) {
    throw new RangeError(`Sequential message id: ${sequenceId} is not 0..9.`);
  }
  const head = `!${talker}${options.sentence ?? 'VDM'},${count},`;
  const seqField = options.sequenceId !== undefined || count > 1 ? String(sequenceId) : '';
  const sentences = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const last = i === count - 1;
    const body = `${head}${i + 1},${seqField},${channel},${payload.slice(i * maxChars, (i + 1) * maxChars)},${last ? fillBits : 0}`;
    const sentence = `${body}*${nmeaChecksum(body, 1)}`;
    sentences[i] = options.tagBlock
      ? tagBlock(options.tagBlock, i, count, sequenceId) + sentence
      : sentence;
  }
  return sentences;
}

/**
 * `\g:n-m-id,s:station,c:time*hh\`: the group parameter on every fragment, station and time on
 * the first one only, as the AMSA satellite stream does (tracks/amsa_risky).
 */
function tagBlock(options: TagBlockOptions, index: number, count: number, sequenceId: number) {
  const fields: string[] = [];
  if (count > 1) fields.push(`g:${index + 1}-${count}-${options.groupId ?? sequenceId + 1}`);
  if (index === 0) {
    if (options.station !== undefined) fields.push(`s:${options.station}`);
    if (options.receivedAtMs !== undefined) {
      const time =
        options.timeUnit === 'milliseconds'
          ? Math.floor(options.receivedAtMs)
          : Math.floor(options.receivedAtMs / 1000);
      fields.push(`c:${time}`);
    }
  }
  if (fields.length === 0) return '';
  const body = fields.join(',');
  return `\\${body}*${nmeaChecksum(body)}\\`;
}

/**
 * Two printable ASCII characters that do not delimit NMEA fields: real streams carry talkers
 * such as `=I` (tracks/amsa_risky), so letters alone would be too strict.
 */
function isTalker(talker: string): boolean {
  if (talker.length !== 2) return false;
  for (let i = 0; i < 2; i++) {
    const code = talker.charCodeAt(i);
    // ! $ * , \ delimit sentences, checksums, fields and tag blocks.
    if (code <= 32 || code >= 127 || code === 33 || code === 36 || code === 42 || code === 44) {
      return false;
    }
    if (code === 92) return false;
  }
  return true;
}
