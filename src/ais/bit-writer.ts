/**
 * Builds an AIS payload bit by bit (ITU-R M.1371 field order, most significant bit first) and
 * armours it into NMEA 6-bit characters (ITU-R M.1371 Annex 8 / IEC 61162-1). The writer is
 * the inverse of `SixbitPayload`: every field is checked to fit its width, naming the field.
 */

/** Longest AIS message: 5 slots = 1008 bits (type 8 / 6 binary messages, ITU-R M.1371 §3.3). */
export const MAX_PAYLOAD_BITS = 1008;

/** A payload as it goes on the wire: armoured characters plus the fill bits of the last one. */
export interface ArmouredPayload {
  /** 6-bit armoured characters (`0`..`W`, `` ` ``..`w`). */
  readonly payload: string;
  /** Number of padding bits (0..5) added to complete the last character. */
  readonly fillBits: number;
  /** Number of payload bits before padding. */
  readonly bitLength: number;
}

/** 6-bit value → armoured character code: 0..39 → '0'..'W', 40..63 → '`'..'w'. */
export const ARMOUR_CHAR = new Uint8Array(64);
for (let v = 0; v < 64; v++) ARMOUR_CHAR[v] = v < 40 ? v + 48 : v + 56;

export class BitWriter {
  /** One bit per byte: simple and fast enough for payloads of at most 1008 bits. */
  private readonly bits = new Uint8Array(MAX_PAYLOAD_BITS);
  /** Number of bits written so far. */
  length = 0;

  reset(): this {
    this.length = 0;
    return this;
  }

  /** Writes `value` as an unsigned integer of `width` ≤ 48 bits. */
  uint(field: string, value: number, width: number): this {
    if (!Number.isInteger(value) || value < 0 || value >= 2 ** width) {
      throw new RangeError(`AIS field ${field}: ${value} does not fit ${width} unsigned bits.`);
    }
    this.put(value, width);
    return this;
  }

  /** Writes `value` as a two's-complement signed integer of `width` ≤ 32 bits. */
  int(field: string, value: number, width: number): this {
    const half = 2 ** (width - 1);
    if (!Number.isInteger(value) || value < -half || value >= half) {
      throw new RangeError(`AIS field ${field}: ${value} does not fit ${width} signed bits.`);
    }
    this.put(value < 0 ? value + 2 * half : value, width);
    return this;
  }

  bool(value: boolean): this {
    this.put(value ? 1 : 0, 1);
    return this;
  }

  /**
   * Writes `text` as 6-bit ASCII (ITU-R M.1371 Table 47) in a field of `width` bits, padded
   * with `@` (value 0, "not available"). Lower-case letters are written in upper case, as the
   * 6-bit alphabet has none.
   */
  text(field: string, text: string, width: number): this {
    const chars = width / 6;
    if (text.length > chars) {
      throw new RangeError(`AIS field ${field}: "${text}" is longer than ${chars} characters.`);
    }
    for (let i = 0; i < chars; i++) {
      this.put(i < text.length ? sixbitOf(field, text, i) : 0, 6);
    }
    return this;
  }

  /** Armours the bits written so far, padding the last character with zero fill bits. */
  armour(): ArmouredPayload {
    const bitLength = this.length;
    const chars = Math.ceil(bitLength / 6);
    const fillBits = chars * 6 - bitLength;
    const bits = this.bits;
    bits.fill(0, bitLength, chars * 6);
    const codes = new Array<number>(chars);
    for (let c = 0, b = 0; c < chars; c++, b += 6) {
      const v =
        (bits[b]! << 5) |
        (bits[b + 1]! << 4) |
        (bits[b + 2]! << 3) |
        (bits[b + 3]! << 2) |
        (bits[b + 4]! << 1) |
        bits[b + 5]!;
      codes[c] = ARMOUR_CHAR[v]!;
    }
    return { payload: String.fromCharCode(...codes), fillBits, bitLength };
  }

  private put(value: number, width: number): void {
    if (this.length + width > MAX_PAYLOAD_BITS) {
      throw new RangeError(`AIS payload longer than ${MAX_PAYLOAD_BITS} bits.`);
    }
    const bits = this.bits;
    // Division instead of shifts: fields of up to 48 bits exceed the 32-bit shift range.
    let rest = value;
    for (let i = this.length + width - 1; i >= this.length; i--) {
      const bit = rest % 2;
      bits[i] = bit;
      rest = (rest - bit) / 2;
    }
    this.length += width;
  }
}

/** 6-bit ASCII value of `text[i]`: '@'..'_' → 0..31, ' '..'?' → 32..63. */
function sixbitOf(field: string, text: string, i: number): number {
  let code = text.charCodeAt(i);
  if (code >= 97 && code <= 122) code -= 32;
  if (code >= 64 && code <= 95) return code - 64;
  if (code >= 32 && code <= 63) return code;
  throw new RangeError(
    `AIS field ${field}: character ${JSON.stringify(text[i])} of "${text}" is not in the 6-bit alphabet.`,
  );
}
