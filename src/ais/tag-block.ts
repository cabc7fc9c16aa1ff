import { AsciiInterner } from './ascii-interner.js';
import { parseDigits, parseEpochMillis } from './ascii-number.js';
import { readHexByte } from './nmea-checksum.js';

const BACKSLASH = 92;
const STAR = 42;
const COMMA = 44;
const COLON = 58;
const DASH = 45;

/**
 * An NMEA 4.x tag block (IEC 61162-1 §7.9): `\s:station,c:time,g:1-2-42*hh\`.
 * Parsed into a reused instance; the fields Tidewatch uses are kept, others are skipped.
 */
export class TagBlock {
  /** `c:` receive time, ms since the epoch (seconds or milliseconds on the wire); NaN if absent. */
  receivedAt = Number.NaN;
  /** `s:` source/station id. */
  station: string | undefined = undefined;
  /** `g:` sentence-group: number of this sentence, total, group id (-1 when absent). */
  groupNumber = -1;
  groupTotal = -1;
  groupId = -1;
  /**
   * False when the tag block's own checksum is wrong. The block is still used: the sentence
   * behind it has its own checksum, and some providers write a placeholder (`*00`, AMSA).
   */
  checksumValid = true;
  private readonly interner = new AsciiInterner();

  reset(): void {
    this.checksumValid = true;
    this.receivedAt = Number.NaN;
    this.station = undefined;
    this.groupNumber = -1;
    this.groupTotal = -1;
    this.groupId = -1;
  }

  /**
   * Parses the tag block that opens at `buf[start] === '\\'`. Returns the index just past the
   * closing `\\`, or -1 for a syntax error. One pass: checksum and fields together.
   */
  parse(buf: Uint8Array, start: number, end: number): number {
    this.reset();
    let sum = 0;
    let fieldStart = start + 1;
    let colon = -1;
    let i = start + 1;
    for (; i < end; i++) {
      const c = buf[i]!;
      if (c === STAR || c === BACKSLASH) break;
      sum ^= c;
      if (c === COLON) {
        if (colon < 0) colon = i;
      } else if (c === COMMA) {
        if (!this.field(buf, fieldStart, colon, i)) return -1;
        fieldStart = i + 1;
        colon = -1;
      }
    }
    if (i === end || !this.field(buf, fieldStart, colon, i)) return -1;
    if (buf[i] === BACKSLASH) return i + 1; // some feeds omit the tag-block checksum
    const expected = readHexByte(buf, i + 1, end);
    if (expected < 0 || buf[i + 3] !== BACKSLASH) return -1;
    this.checksumValid = sum === expected;
    return i + 4;
  }

  /** One `key:value` field `buf[start..end)` with its first colon at `colon`. */
  private field(buf: Uint8Array, start: number, colon: number, end: number): boolean {
    if (colon <= start) return false;
    const key = buf[start]!;
    if (colon === start + 1) {
      if (key === 99 /* c */) {
        this.receivedAt = parseEpochMillis(buf, colon + 1, end);
        return !Number.isNaN(this.receivedAt);
      }
      if (key === 115 /* s */) {
        this.station = end > colon + 1 ? this.interner.intern(buf, colon + 1, end) : undefined;
      } else if (key === 103 /* g */) {
        return this.parseGroup(buf, colon + 1, end);
      }
      return true;
    }
    return key >= 48 && key <= 57 ? this.parseNumberedGroup(buf, start, colon, end) : true;
  }

  /** The NMEA 4.0 group form `1G2:58944` (sentence 1 of 2, group 58944), as Kystverket sends. */
  private parseNumberedGroup(buf: Uint8Array, start: number, colon: number, end: number): boolean {
    let g = start;
    while (g < colon && buf[g] !== 71 /* G */) g++;
    if (g === colon) return true; // another numeric key: not ours
    this.groupNumber = parseDigits(buf, start, g);
    this.groupTotal = parseDigits(buf, g + 1, colon);
    this.groupId = parseDigits(buf, colon + 1, end);
    return this.groupNumber > 0 && this.groupTotal > 0 && this.groupId >= 0;
  }

  private parseGroup(buf: Uint8Array, start: number, end: number): boolean {
    let dash1 = -1;
    let dash2 = -1;
    for (let i = start; i < end; i++) {
      if (buf[i] === DASH) {
        if (dash1 < 0) dash1 = i;
        else if (dash2 < 0) dash2 = i;
      }
    }
    if (dash1 < 0 || dash2 < 0) return false;
    this.groupNumber = parseDigits(buf, start, dash1);
    this.groupTotal = parseDigits(buf, dash1 + 1, dash2);
    this.groupId = parseDigits(buf, dash2 + 1, end);
    return this.groupNumber > 0 && this.groupTotal > 0 && this.groupId >= 0;
  }
}

/** Bytes as a string, one character per byte (input is ASCII). */
export function latin1(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]!);
  return s;
}
