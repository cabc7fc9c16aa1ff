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
  /** One 6-bit value per character. */
  private readonly values = new Uint8Array(MAX_PAYLOAD_CHARS + 8);
  private chars = 0;
  /** Number of payload bits (characters × 6 minus the fill bits of the last sentence). */
  bitLength = 0;
  /** Scratch buffer for text fields (at most 120 bits = 20 characters each). */
  private readonly textCodes: number[] = [];

  reset(): void {
    this.chars = 0;
    this.bitLength = 0;
  }

  /**
   * Appends armoured characters `buf[start..end)`. Returns false, leaving the payload in an
   * undefined state, when a character is outside the AIS alphabet or the payload is too long.
   */
  append(buf: Uint8Array, start: number, end: number): boolean {
    if (this.chars + (end - start) > MAX_PAYLOAD_CHARS) return false;
    const values = this.values;
    let n = this.chars;
    for (let i = start; i < end; i++) {
      const code = buf[i]!;
      const v = code < 128 ? ARMOUR[code]! : 255;
      if (v === 255) return false;
      values[n++] = v;
    }
    this.chars = n;
    return true;
  }

  /** Sets the bit length from the character count and the last sentence's fill bits. */
  finish(fillBits: number): void {
    this.bitLength = this.chars * 6 - fillBits;
    // Zero a few characters past the end, so a field that a short message lacks reads as 0
    // ("not available") instead of the previous message's bits.
    this.values.fill(0, this.chars, Math.min(this.chars + 8, MAX_PAYLOAD_CHARS + 8));
  }

  /** Unsigned integer of `length` ≤ 48 bits at bit offset `start` (MSB first). */
  uint(start: number, length: number): number {
    const values = this.values;
    let value = 0;
    let bit = start;
    const end = start + length;
    while (bit < end) {
      const index = (bit / 6) | 0;
      const offset = bit - index * 6;
      const available = 6 - offset;
      const remaining = end - bit;
      const take = Math.min(available, remaining);
      const chunk = (values[index]! >> (available - take)) & ((1 << take) - 1);
      value = value * (1 << take) + chunk;
      bit += take;
    }
    return value;
  }

  /** Two's-complement signed integer of `length` ≤ 32 bits at bit offset `start`. */
  int(start: number, length: number): number {
    const value = this.uint(start, length);
    const half = 2 ** (length - 1);
    return value >= half ? value - 2 * half : value;
  }

  bool(start: number): boolean {
    return this.uint(start, 1) === 1;
  }

  /**
   * 6-bit ASCII text of `length` bits at `start`, with trailing `@` (padding) and spaces removed
   * (DESIGN.md §2.2). Reads only the bits present; returns undefined when nothing is left.
   */
  text(start: number, length: number): string | undefined {
    const end = Math.min(start + length, this.bitLength);
    const codes = this.textCodes;
    codes.length = 0;
    for (let bit = start; bit + 6 <= end; bit += 6) {
      const v = this.uint(bit, 6);
      // gpsd stops at the first '@' (value 0): everything after it is padding.
      if (v === 0) break;
      codes.push(SIXBIT_ASCII[v]!);
    }
    let n = codes.length;
    while (n > 0 && codes[n - 1] === 32) n--;
    if (n === 0) return undefined;
    codes.length = n;
    return String.fromCharCode.apply(null, codes);
  }
}
