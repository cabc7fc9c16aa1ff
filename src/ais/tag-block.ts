import { parseDigits, parseEpochMillis } from './ascii-number.js';
import { readHexByte, xorChecksum } from './nmea-checksum.js';

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

  reset(): void {
    this.checksumValid = true;
    this.receivedAt = Number.NaN;
    this.station = undefined;
    this.groupNumber = -1;
    this.groupTotal = -1;
    this.groupId = -1;
  }

  /**
   * Parses the tag block that opens at `buf[start] === '\'`. Returns the index just past the
   * closing `\`, or -1 for a syntax error.
   */
  parse(buf: Uint8Array, start: number, end: number): number {
    this.reset();
    let close = -1;
    for (let i = start + 1; i < end; i++) {
      if (buf[i] === BACKSLASH) {
        close = i;
        break;
      }
    }
    if (close < 0) return -1;
    let star = -1;
    for (let i = close - 1; i > start; i--) {
      if (buf[i] === STAR) {
        star = i;
        break;
      }
    }
    // Some feeds omit the tag-block checksum; accept that, verify it when present.
    let bodyEnd = close;
    if (star > 0 && close - star === 3) {
      const expected = readHexByte(buf, star + 1, close);
      if (expected < 0) return -1;
      this.checksumValid = xorChecksum(buf, start + 1, star) === expected;
      bodyEnd = star;
    }
    let field = start + 1;
    while (field < bodyEnd) {
      let fieldEnd = field;
      let colon = -1;
      while (fieldEnd < bodyEnd && buf[fieldEnd] !== COMMA) {
        if (colon < 0 && buf[fieldEnd] === COLON) colon = fieldEnd;
        fieldEnd++;
      }
      if (colon <= field) return -1;
      const key = buf[field]!;
      if (colon === field + 1) {
        if (key === 99 /* c */) {
          const t = parseEpochMillis(buf, colon + 1, fieldEnd);
          if (Number.isNaN(t)) return -1;
          this.receivedAt = t;
        } else if (key === 115 /* s */) {
          this.station = fieldEnd > colon + 1 ? latin1(buf, colon + 1, fieldEnd) : undefined;
        } else if (key === 103 /* g */) {
          if (!this.parseGroup(buf, colon + 1, fieldEnd)) return -1;
        }
      } else if (key >= 48 && key <= 57 && !this.parseNumberedGroup(buf, field, colon, fieldEnd)) {
        return -1;
      }
      field = fieldEnd + 1;
    }
    return close + 1;
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
