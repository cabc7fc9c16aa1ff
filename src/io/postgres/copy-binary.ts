import { withRoom } from '../grown-buffer.js';

/**
 * Rows for `COPY ... FROM STDIN (FORMAT binary)` (PostgreSQL docs, COPY, "Binary Format"): a
 * signature and header, then per row a 16-bit field count and per field a 32-bit length (-1 for
 * NULL) and the value in the type's binary send format (big-endian), then a -1 trailer.
 * Postgres reads numbers and arrays without parsing text, and the writer formats none.
 */

/** `PGCOPY\n\377\r\n\0`, flags 0, header extension length 0. */
const HEADER = Buffer.from([
  0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
]);
/** pg_type OID of `text`, the element type of text[]. */
const TEXT_OID = 25;

/**
 * Writes binary COPY rows into a growing buffer; `take()` hands out what was written (a chunk for
 * the COPY stream) and starts over. The first chunk starts with the header; `end()` adds the
 * trailer.
 */
export class CopyBinaryWriter {
  private buffer: Buffer;
  private length = 0;
  private headerWritten = false;

  constructor(initialBytes = 1 << 16) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  /** Bytes written since the last `take()`. */
  get size(): number {
    return this.length;
  }

  /** Starts a row of `fields` fields. */
  row(fields: number): void {
    this.header();
    this.room(2);
    this.buffer.writeInt16BE(fields, this.length);
    this.length += 2;
  }

  null(): void {
    this.room(4);
    this.buffer.writeInt32BE(-1, this.length);
    this.length += 4;
  }

  /** `smallint` (NULL when undefined). */
  int16(value: number | undefined): void {
    if (value === undefined) {
      this.null();
      return;
    }
    const at = this.field(2);
    this.buffer.writeInt16BE(value, at);
  }

  /** `integer` (a value ≥ 2^31 wraps, as `| 0` would). */
  int32(value: number): void {
    const at = this.field(4);
    this.buffer.writeInt32BE(value | 0, at);
  }

  /** `real` (NULL when undefined or not finite). */
  float4(value: number | undefined): void {
    if (value === undefined || !Number.isFinite(value)) {
      this.null();
      return;
    }
    const at = this.field(4);
    this.buffer.writeFloatBE(value, at);
  }

  /** `double precision` (NULL when undefined or not finite). */
  float8(value: number | undefined): void {
    if (value === undefined || !Number.isFinite(value)) {
      this.null();
      return;
    }
    const at = this.field(8);
    this.buffer.writeDoubleBE(value, at);
  }

  /** A field already encoded by `textArray` (repeated values are encoded once by the caller). */
  encoded(field: Buffer): void {
    this.room(field.length);
    field.copy(this.buffer, this.length);
    this.length += field.length;
  }

  /** The trailer that ends the data (after the last row). */
  end(): void {
    this.header(); // an empty COPY still has one
    this.room(2);
    this.buffer.writeInt16BE(-1, this.length);
    this.length += 2;
  }

  /** What was written since the last call, as a new Buffer. */
  take(): Buffer {
    const out = Buffer.allocUnsafe(this.length);
    this.buffer.copy(out, 0, 0, this.length);
    this.length = 0;
    return out;
  }

  private header(): void {
    if (this.headerWritten) return;
    this.room(HEADER.length);
    HEADER.copy(this.buffer, this.length);
    this.length += HEADER.length;
    this.headerWritten = true;
  }

  /**
   * Starts a field of `bytes` bytes: writes its length and returns where its value goes. It may
   * replace `this.buffer`: call it before reading `this.buffer` (not as an argument of a method
   * called on it, whose receiver is read first).
   */
  private field(bytes: number): number {
    this.room(4 + bytes);
    this.buffer.writeInt32BE(bytes, this.length);
    const at = this.length + 4;
    this.length = at + bytes;
    return at;
  }

  private room(bytes: number): void {
    this.buffer = withRoom(this.buffer, this.length, this.length + bytes);
  }
}

/** A `text` value as a whole binary COPY field (length prefix included): its UTF-8 bytes. */
export function textField(value: string): Buffer {
  const bytes = Buffer.byteLength(value, 'utf8');
  const field = Buffer.allocUnsafe(4 + bytes);
  field.writeInt32BE(bytes, 0);
  field.write(value, 4, 'utf8');
  return field;
}

/** A `text[]` value as a whole binary COPY field (length prefix included), one dimension. */
export function textArrayField(values: readonly string[]): Buffer {
  const elements = values.map((value) => Buffer.from(value, 'utf8'));
  const bodyBytes =
    values.length === 0 ? 12 : 20 + elements.reduce((sum, e) => sum + 4 + e.length, 0);
  const field = Buffer.allocUnsafe(4 + bodyBytes);
  field.writeInt32BE(bodyBytes, 0);
  field.writeInt32BE(values.length === 0 ? 0 : 1, 4); // dimensions
  field.writeInt32BE(0, 8); // no NULL elements
  field.writeInt32BE(TEXT_OID, 12);
  if (values.length === 0) return field;
  field.writeInt32BE(values.length, 16); // elements in the dimension
  field.writeInt32BE(1, 20); // its lower bound
  let at = 24;
  for (const element of elements) {
    field.writeInt32BE(element.length, at);
    element.copy(field, at + 4);
    at += 4 + element.length;
  }
  return field;
}
