import { describe, expect, it } from 'vitest';
import {
  CopyBinaryWriter,
  textArrayField,
  textField,
} from '../../../src/io/postgres/copy-binary.js';

const STATIONS = textArrayField(['s-1', 'ström']);

/** One row of every kind of field, after `padding` bytes (which move where the buffer grows). */
function write(out: CopyBinaryWriter, padding: number): Buffer {
  out.encoded(Buffer.alloc(padding, 0x2a));
  out.row(8);
  out.int32(2 ** 31 + padding);
  out.int16(-padding);
  out.int16(undefined);
  out.float4(padding / 7);
  out.float4(Number.NaN);
  out.float8(1.7e12 + padding / 3);
  out.null();
  out.encoded(STATIONS);
  out.end();
  return out.take();
}

describe('CopyBinaryWriter', () => {
  it('writes the same bytes wherever its buffer has to grow', () => {
    for (let padding = 0; padding < 80; padding++) {
      const roomy = write(new CopyBinaryWriter(1 << 16), padding);
      expect(write(new CopyBinaryWriter(1), padding), `padding ${padding}`).toEqual(roomy);
    }
  });

  it('writes the header, the field count, length-prefixed values, NULL as -1 and the trailer', () => {
    const bytes = write(new CopyBinaryWriter(), 0);
    expect(bytes.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
    expect(bytes.readInt16BE(19)).toBe(8);
    expect(bytes.readInt32BE(21)).toBe(4);
    expect(bytes.readInt32BE(25)).toBe(-(2 ** 31)); // 2^31 wraps as `| 0` does
    expect(bytes.readInt32BE(29)).toBe(2);
    expect(bytes.readInt16BE(33)).toBe(0);
    expect(bytes.readInt32BE(35)).toBe(-1);
    expect(bytes.readInt16BE(bytes.length - 2)).toBe(-1);
  });

  it('encodes a text field as its UTF-8 length and bytes', () => {
    const field = textField('ström-1');
    expect(field.readInt32BE(0)).toBe(8);
    expect(field.subarray(4).toString('utf8')).toBe('ström-1');
    expect(textField('').readInt32BE(0)).toBe(0);
  });
});
