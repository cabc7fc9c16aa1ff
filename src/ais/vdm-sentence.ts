import { parseEpochMillis } from './ascii-number.js';
import { readHexByte, xorChecksum } from './nmea-checksum.js';

const COMMA = 44;
const STAR = 42;

/**
 * One `!ccVDM` / `!ccVDO` sentence (IEC 61162-1, ITU-R M.1371 Annex 8):
 * `!AIVDM,<count>,<number>,<seq id>,<channel>,<payload>,<fill bits>*hh`, parsed in place into a
 * reused instance: the payload stays in the caller's buffer as `[payloadStart, payloadEnd)`.
 */
export class VdmSentence {
  /** Number of sentences of the message (1-9) and this sentence's number (1-based). */
  fragmentCount = 0;
  fragmentNumber = 0;
  /** Sequential message id 0-9, -1 when empty (single-sentence messages). */
  sequenceId = -1;
  /** Radio channel code: 'A', 'B', '1', '2' as a char code, 0 when empty. */
  channel = 0;
  payloadStart = 0;
  payloadEnd = 0;
  fillBits = 0;
  /** `VDO`: the receiver's own vessel. */
  ownShip = false;
  /** Epoch ms of a receive time appended after the checksum (`...*hh,1328133720012`), or NaN. */
  trailingTime = Number.NaN;

  /**
   * Parses `buf[start..end)`, which begins with `!`. Returns 0, or a negative reason:
   * -1 syntax, -2 checksum, -3 not a VDM/VDO sentence.
   */
  parse(buf: Uint8Array, start: number, end: number): number {
    // "!" + 2-char talker + "VDM" + "," at least; any other sentence is not AIS.
    if (end - start < 7 || buf[start + 3] !== 86 /* V */ || buf[start + 4] !== 68 /* D */)
      return -3;
    const kind = buf[start + 5];
    if (kind === 77 /* M */) this.ownShip = false;
    else if (kind === 79 /* O */) this.ownShip = true;
    else return -3;
    if (buf[start + 6] !== COMMA) return -1;

    // Checksum: the first '*' after the payload. Search from the end, skipping a trailing time.
    let star = -1;
    for (let i = end - 3; i > start + 6; i--) {
      if (buf[i] === STAR) {
        star = i;
        break;
      }
    }
    if (star < 0) return -1;
    const expected = readHexByte(buf, star + 1, end);
    if (expected < 0) return -1;
    this.trailingTime = Number.NaN;
    const afterChecksum = star + 3;
    if (afterChecksum < end) {
      if (buf[afterChecksum] !== COMMA) return -1;
      this.trailingTime = parseEpochMillis(buf, afterChecksum + 1, end);
      if (Number.isNaN(this.trailingTime)) return -1;
    }

    // Fields: count, number, sequence id, channel, payload, fill bits.
    let i = start + 7;
    const count = buf[i]! - 48;
    if (count < 1 || count > 9 || buf[i + 1] !== COMMA) return -1;
    const number = buf[i + 2]! - 48;
    if (number < 1 || number > count || buf[i + 3] !== COMMA) return -1;
    i += 4;
    let sequenceId = -1;
    if (buf[i] !== COMMA) {
      sequenceId = buf[i]! - 48;
      if (sequenceId < 0 || sequenceId > 9 || buf[i + 1] !== COMMA) return -1;
      i++;
    }
    i++;
    let channel = 0;
    if (buf[i] !== COMMA) {
      channel = buf[i]!;
      i++;
      if (buf[i] !== COMMA) return -1;
    }
    i++;
    const payloadStart = i;
    while (i < star && buf[i] !== COMMA) i++;
    if (i >= star) return -1;
    const payloadEnd = i;
    // The fill bits: one digit 0-5 right before '*'.
    if (star !== payloadEnd + 2) return -1;
    const fill = buf[payloadEnd + 1]! - 48;
    if (fill < 0 || fill > 5) return -1;

    if (xorChecksum(buf, start + 1, star) !== expected) return -2;
    this.fragmentCount = count;
    this.fragmentNumber = number;
    this.sequenceId = sequenceId;
    this.channel = channel;
    this.payloadStart = payloadStart;
    this.payloadEnd = payloadEnd;
    this.fillBits = fill;
    return 0;
  }
}
