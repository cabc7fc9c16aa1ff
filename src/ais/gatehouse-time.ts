import { AsciiInterner } from './ascii-interner.js';
import { parseDigits } from './ascii-number.js';
import { readHexByte, xorChecksum } from './nmea-checksum.js';

const COMMA = 44;
const STAR = 42;

/**
 * A Gatehouse `$PGHP` time line, as in Danish Maritime Authority logs (AisLib `PGHP`):
 * `$PGHP,1,<yyyy>,<mm>,<dd>,<hh>,<mi>,<ss>,<ms>,<country>,<region>,<source mmsi>,<online>,<cs>*hh`.
 * It gives the receive time (and the receiving station) of the sentence that follows it.
 */
export class GatehouseTime {
  /** Epoch milliseconds. */
  receivedAt = Number.NaN;
  /** Receiving station: the source MMSI field, when present. */
  station: string | undefined = undefined;
  private readonly interner = new AsciiInterner();

  /** Parses `buf[start..end)` (which starts `$PGHP,`). Returns 0, -1 syntax or -2 checksum. */
  parse(buf: Uint8Array, start: number, end: number): number {
    let star = -1;
    for (let i = end - 3; i > start; i--) {
      if (buf[i] === STAR) {
        star = i;
        break;
      }
    }
    if (star < 0) return -1;
    const expected = readHexByte(buf, star + 1, end);
    if (expected < 0) return -1;
    if (xorChecksum(buf, start + 1, star) !== expected) return -2;
    // Fields after "$PGHP": split on commas in place.
    const fields: number[] = [];
    let fieldStart = start + 6;
    let i = fieldStart;
    let sourceStart = -1;
    let sourceEnd = -1;
    let index = 0;
    for (; i <= star; i++) {
      if (i === star || buf[i] === COMMA) {
        if (index <= 7) fields.push(parseDigits(buf, fieldStart, i));
        else if (index === 10) {
          sourceStart = fieldStart;
          sourceEnd = i;
        }
        index++;
        fieldStart = i + 1;
      }
    }
    if (fields.length < 8 || fields[0] !== 1) return -1;
    const [, year, month, day, hour, minute, second, millis] = fields as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    if (fields.some((v) => v < 0)) return -1;
    if (year < 1970 || month < 1 || month > 12 || day < 1 || day > 31) return -1;
    if (hour > 23 || minute > 59 || second > 60 || millis < 0 || millis > 999) return -1;
    this.receivedAt = Date.UTC(year, month - 1, day, hour, minute, second, millis);
    this.station =
      sourceEnd > sourceStart ? this.interner.intern(buf, sourceStart, sourceEnd) : undefined;
    return 0;
  }
}
