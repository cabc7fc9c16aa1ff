import { parseEpochMillis } from './ascii-number.js';
import { readHexByte } from './nmea-checksum.js';

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
   * Where a receiver id appended after the checksum starts (USCG NAIS `,r003669946`), or -1; it
   * ends at `trailingStationEnd`.
   */
  trailingStation = -1;
  trailingStationEnd = -1;

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

    // One pass up to '*': the checksum, and the six commas that delimit the fields
    // (address, count, number, sequence id, channel, payload | fill bits).
    let sum = 0;
    let commas = 0;
    let c2 = 0;
    let c3 = 0;
    let c4 = 0;
    let c5 = 0;
    let c6 = 0;
    let i = start + 1;
    for (; i < end; i++) {
      const c = buf[i]!;
      if (c === STAR) break;
      sum ^= c;
      if (c === COMMA) {
        commas++;
        if (commas === 2) c2 = i;
        else if (commas === 3) c3 = i;
        else if (commas === 4) c4 = i;
        else if (commas === 5) c5 = i;
        else if (commas === 6) c6 = i;
      }
    }
    const star = i;
    if (star === end || commas !== 6 || buf[start + 6] !== COMMA) return -1;
    const expected = readHexByte(buf, star + 1, end);
    if (expected < 0) return -1;

    this.trailingTime = Number.NaN;
    this.trailingStation = -1;
    if (star + 3 < end && buf[star + 3] === COMMA) this.parseTrailer(buf, star + 4, end);

    const count = buf[start + 7]! - 48;
    if (c2 !== start + 8 || count < 1 || count > 9) return -1;
    const number = buf[c2 + 1]! - 48;
    if (c3 !== c2 + 2 || number < 1 || number > count) return -1;
    let sequenceId = -1;
    if (c4 === c3 + 2) {
      sequenceId = buf[c3 + 1]! - 48;
      if (sequenceId < 0 || sequenceId > 9) return -1;
    } else if (c4 !== c3 + 1) return -1;
    let channel = 0;
    if (c5 === c4 + 2) channel = buf[c4 + 1]!;
    else if (c5 !== c4 + 1) return -1;
    // The fill bits: one digit 0-5 right before '*'.
    const fill = buf[c6 + 1]! - 48;
    if (star !== c6 + 2 || fill < 0 || fill > 5) return -1;

    if (sum !== expected) return -2;
    this.fragmentCount = count;
    this.fragmentNumber = number;
    this.sequenceId = sequenceId;
    this.channel = channel;
    this.payloadStart = c5 + 1;
    this.payloadEnd = c6;
    this.fillBits = fill;
    return 0;
  }

  /**
   * Fields appended after the checksum, comma-separated: providers add receiver metadata there
   * (USCG NAIS `,d-109,S2105,t050056.00,T56.1,r003669946,1325394060,1325394001`; AMSA
   * `,1328133720012`). The last field that is an epoch is the receive time; an `r` field is the
   * receiving station; anything else is ignored, as gpsd ignores it.
   */
  private parseTrailer(buf: Uint8Array, start: number, end: number): void {
    let fieldStart = start;
    for (let i = start; i <= end; i++) {
      if (i < end && buf[i] !== COMMA) continue;
      const first = buf[fieldStart];
      if (first !== undefined && first >= 48 && first <= 57) {
        const time = parseEpochMillis(buf, fieldStart, i);
        if (!Number.isNaN(time)) this.trailingTime = time;
      } else if (first === 114 /* r */ && i - fieldStart > 1) {
        this.trailingStation = fieldStart + 1;
        this.trailingStationEnd = i;
      }
      fieldStart = i + 1;
    }
  }
}
