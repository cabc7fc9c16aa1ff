import { fnv1a } from '../util/fnv1a.js';

/**
 * Turns short ASCII byte ranges into strings, reusing the string when the same bytes come again
 * (station ids repeat on nearly every line of a feed): a direct-mapped cache keyed by a hash of
 * the bytes, verified byte by byte, so the hot path makes no new string for a known station.
 */
export class AsciiInterner {
  private readonly keys: (Uint8Array | undefined)[];
  private readonly values: string[];
  private readonly mask: number;

  constructor(slots = 1024) {
    if (!Number.isInteger(Math.log2(slots)))
      throw new Error(`slots must be a power of two: ${slots}`);
    this.keys = new Array(slots).fill(undefined);
    this.values = new Array(slots).fill('');
    this.mask = slots - 1;
  }

  intern(buf: Uint8Array, start: number, end: number): string {
    const slot = fnv1a(buf, start, end) & this.mask;
    const key = this.keys[slot];
    const length = end - start;
    if (key !== undefined && key.length === length) {
      let same = true;
      for (let i = 0; i < length; i++) {
        if (key[i] !== buf[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return this.values[slot]!;
    }
    let text = '';
    for (let i = start; i < end; i++) text += String.fromCharCode(buf[i]!);
    this.keys[slot] = buf.slice(start, end);
    this.values[slot] = text;
    return text;
  }
}
