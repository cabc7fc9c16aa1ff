/** Receives one line `buf[start..end)`, without its newline; valid only during the call. */
export type LineHandler = (buf: Uint8Array, start: number, end: number) => void;

/**
 * Splits a byte stream into lines (LF or CRLF) without making strings: lines are handed out in
 * place; only a line cut by a chunk boundary is copied once.
 */
export class LineSplitter {
  private carry: Uint8Array | undefined = undefined;

  push(chunk: Uint8Array, onLine: LineHandler): void {
    let buf = chunk;
    if (this.carry !== undefined) {
      buf = Buffer.concat([this.carry, chunk]);
      this.carry = undefined;
    }
    let start = 0;
    const length = buf.length;
    for (;;) {
      const end = buf.indexOf(10, start);
      if (end < 0) break;
      onLine(buf, start, end);
      start = end + 1;
    }
    if (start < length) this.carry = buf.slice(start);
  }

  /** End of stream: the last line, if it has no newline. */
  end(onLine: LineHandler): void {
    const carry = this.carry;
    this.carry = undefined;
    if (carry !== undefined && carry.length > 0) onLine(carry, 0, carry.length);
  }
}
