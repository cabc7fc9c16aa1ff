/**
 * The AIS payload as a bit string: NMEA 6-bit armoured characters (ITU-R M.1371 Annex 8,
 * IEC 61162-1) are de-armoured into one 6-bit value per byte of a reused buffer, and fields are
 * read by bit offset. No allocation per message except for text fields.
 */

/** De-armour table: character code → 6-bit value, or 255 for a character outside the alphabet. */
const ARMOUR = new Uint8Array(128).fill(255);
for (let c = 48; c <= 87; c++) ARMOUR[c] = c - 48;
for (let c = 96; c <= 119; c++) ARMOUR[c] = c - 56;

/** 6-bit ASCII (ITU-R M.1371 Table 47): value → character code. */
const SIXBIT_ASCII = new Uint8Array(64);
for (let v = 0; v < 64; v++) SIXBIT_ASCII[v] = v < 32 ? v + 64 : v;

/** Longest payload accepted, in characters: five full sentences of 82 characters. */
export const MAX_PAYLOAD_CHARS = 5 * 82;

/** True when every character of `buf[start..end)` is in the AIS payload alphabet. */
export function isArmoured(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = buf[i]!;
    if (code >= 128 || ARMOUR[code] === 255) return false;
  }
  return true;
}

export class SixbitPayload {
  /**
   * The payload bits packed MSB-first into 32-bit words, so any field of up to 32 bits is read
   * from at most two words without a loop. Two spare words stay zero past the end: a field a
   * short message lacks reads as 0 ("not available") instead of the previous message's bits.
   */
  private readonly words = new Int32Array(Math.ceil((MAX_PAYLOAD_CHARS * 6) / 32) + 3);
  private wordCount = 0;
  /** Bits not yet stored in `words`, right-aligned in `pending` (fewer than 32). */
  private pending = 0;
  private pendingBits = 0;
  private chars = 0;
  /** Number of payload bits (characters × 6 minus the fill bits of the last sentence). */
  bitLength = 0;
  /** Scratch buffer for text fields (at most 120 bits = 20 characters each). */
  private readonly textCodes: number[] = [];

  reset(): void {
    this.chars = 0;
    this.bitLength = 0;
    this.wordCount = 0;
    this.pending = 0;
    this.pendingBits = 0;
  }

  /**
   * Appends armoured characters `buf[start..end)`. Returns false, leaving the payload in an
   * undefined state, when a character is outside the AIS alphabet or the payload is too long.
   */
  append(buf: Uint8Array, start: number, end: number): boolean {
    if (this.chars + (end - start) > MAX_PAYLOAD_CHARS) return false;
    const words = this.words;
    let w = this.wordCount;
    let acc = this.pending;
    let bits = this.pendingBits;
    for (let i = start; i < end; i++) {
      const code = buf[i]!;
      const v = code < 128 ? ARMOUR[code]! : 255;
      if (v === 255) return false;
      if (bits <= 26) {
        acc = (acc << 6) | v;
        bits += 6;
        if (bits === 32) {
          words[w++] = acc;
          acc = 0;
          bits = 0;
        }
      } else {
        // Split the character: the high bits complete this word, the rest starts the next.
        const rest = bits - 26;
        words[w++] = (acc << (6 - rest)) | (v >>> rest);
        acc = v & ((1 << rest) - 1);
        bits = rest;
      }
    }
    this.wordCount = w;
    this.pending = acc;
    this.pendingBits = bits;
    this.chars += end - start;
    return true;
  }

  /** Sets the bit length from the character count and the last sentence's fill bits. */
  finish(fillBits: number): void {
    this.bitLength = this.chars * 6 - fillBits;
    const words = this.words;
    let w = this.wordCount;
    if (this.pendingBits > 0) words[w++] = this.pending << (32 - this.pendingBits);
    words[w] = 0;
    words[w + 1] = 0;
  }

  /** Unsigned integer of `length` (1..32) bits at bit offset `start` (MSB first). */
  uint(start: number, length: number): number {
    const index = start >>> 5;
    const offset = start & 31;
    const words = this.words;
    // The high word shifted so the field starts at bit 31; bits it lacks come from the next word.
    let value = (words[index]! << offset) >>> (32 - length);
    const over = offset + length - 32;
    if (over > 0) value = (value | (words[index + 1]! >>> (32 - over))) >>> 0;
    return value;
  }

  /**
   * A 32-bit hash of the payload bits (FNV-1a over the packed words and the bit length, with
   * `seed` as the offset basis). Two seeds give the 64 bits that identify a transmission when
   * members' receivers hear the same message (dedupe, DESIGN.md §3).
   */
  hash(seed: number): number {
    const words = this.words;
    const count = (this.bitLength + 31) >>> 5;
    let h = seed ^ this.bitLength;
    for (let i = 0; i < count; i++) h = Math.imul(h ^ words[i]!, 0x01000193);
    return h >>> 0;
  }

  /** Two's-complement signed integer of `length` (1..32) bits at bit offset `start`. */
  int(start: number, length: number): number {
    const shift = 32 - length;
    return (this.uint(start, length) << shift) >> shift;
  }

  bool(start: number): boolean {
    return this.uint(start, 1) === 1;
  }

  /**
   * 6-bit ASCII text of `length` bits at `start`, with trailing `@` (padding) and spaces removed
   * (DESIGN.md §2.2): like gpsd, the text ends at the first `@`. Reads only the bits present;
   * returns undefined when nothing is left. `trimSpaces: false` keeps trailing spaces.
   */
  text(start: number, length: number, trimSpaces = true): string | undefined {
    const end = Math.min(start + length, this.bitLength);
    const codes = this.textCodes;
    codes.length = 0;
    for (let bit = start; bit + 6 <= end; bit += 6) {
      const v = this.uint(bit, 6);
      if (v === 0) break;
      codes.push(SIXBIT_ASCII[v]!);
    }
    let n = codes.length;
    if (trimSpaces) while (n > 0 && codes[n - 1] === 32) n--;
    if (n === 0) return undefined;
    codes.length = n;
    return String.fromCharCode.apply(null, codes);
  }

  /** True when the `length` bits at `start` hold an `@` (6-bit 0): the text is padded. */
  hasPadding(start: number, length: number): boolean {
    const end = Math.min(start + length, this.bitLength);
    for (let bit = start; bit + 6 <= end; bit += 6) if (this.uint(bit, 6) === 0) return true;
    return false;
  }
}
