import { describe, expect, it } from 'vitest';
import { SixbitPayload } from '../../src/ais/sixbit.js';
import { seededRandom } from '../support/seeded-random.js';

const ALPHABET = '0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVW`abcdefghijklmnopqrstuvw';

describe('SixbitPayload', () => {
  it('reads every field width at every offset like a plain bit string (seeded)', () => {
    const random = seededRandom(7);
    const payload = new SixbitPayload();
    let checked = 0;
    for (let trial = 0; trial < 300; trial++) {
      const chars = 1 + Math.floor(random() * 80);
      let text = '';
      let bits = '';
      for (let i = 0; i < chars; i++) {
        const value = Math.floor(random() * 64);
        text += ALPHABET[value];
        bits += value.toString(2).padStart(6, '0');
      }
      // Appended in up to three pieces, like the parts of a multi-sentence message.
      const buf = Buffer.from(text, 'latin1');
      const cut1 = Math.floor(random() * chars);
      const cut2 = cut1 + Math.floor(random() * (chars - cut1));
      payload.reset();
      expect(payload.append(buf, 0, cut1)).toBe(true);
      expect(payload.append(buf, cut1, cut2)).toBe(true);
      expect(payload.append(buf, cut2, chars)).toBe(true);
      payload.finish(0);
      expect(payload.bitLength).toBe(chars * 6);
      for (let q = 0; q < 40; q++) {
        const length = 1 + Math.floor(random() * 32);
        if (length > bits.length) continue;
        const start = Math.floor(random() * (bits.length - length + 1));
        const expected = Number.parseInt(bits.slice(start, start + length), 2);
        expect(payload.uint(start, length)).toBe(expected);
        const signed = expected >= 2 ** (length - 1) ? expected - 2 ** length : expected;
        expect(payload.int(start, length)).toBe(signed);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('reads past the end as zero, not as the previous message', () => {
    const payload = new SixbitPayload();
    payload.append(Buffer.from('wwwwwwwwww'), 0, 10);
    payload.finish(0);
    payload.reset();
    payload.append(Buffer.from('w'), 0, 1);
    payload.finish(0);
    expect(payload.uint(6, 30)).toBe(0);
  });

  it('rejects characters outside the AIS alphabet', () => {
    const payload = new SixbitPayload();
    for (const bad of ['X', 'x', '!', ' ', '\u00ff']) {
      payload.reset();
      expect(payload.append(Buffer.from(`00${bad}`, 'latin1'), 0, 3)).toBe(false);
    }
  });

  it('decodes 6-bit text, stops at @ and trims trailing spaces', () => {
    const payload = new SixbitPayload();
    // "AB C  @@X": A=1, B=2, space=32, C=3; X after the @ padding is ignored.
    const values = [1, 2, 32, 3, 32, 32, 0, 0, 24];
    payload.append(Buffer.from(values.map((v) => ALPHABET[v]).join('')), 0, values.length);
    payload.finish(0);
    expect(payload.text(0, values.length * 6)).toBe('AB C');
    payload.reset();
    payload.append(Buffer.from('PP'), 0, 2); // two spaces
    payload.finish(0);
    expect(payload.text(0, 12)).toBeUndefined();
  });
});
