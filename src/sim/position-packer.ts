import { ARMOUR_CHAR, type ArmouredPayload } from '../ais/bit-writer.js';
import { NAV_STATUS_NA, rotField, SECOND_NA, SOG_NA } from '../ais/encode-fields.js';
import { type AisEncodeInput, encodeAisPayload } from '../ais/encoder.js';

/**
 * Packs the messages the simulator sends most — class A position reports (types 1, 2, 3) and
 * class B position reports (type 18), 168 bits each — straight into armoured characters, with
 * the field conversions of `encode-fields.ts` and the layout of `encodeAisPayload` (ITU-R
 * M.1371-5, gpsd's AIVDM notes).
 * The project encoder writes bit by bit into a fresh 1008-bit buffer per message, which made
 * it more than half of the simulator's time; this one uses an integer accumulator and no
 * allocation but the payload string. `test/sim/position-packer.test.ts` holds it to
 * `encodeAisPayload`, bit for bit. Other types, and values outside their fields, go to
 * `encodeAisPayload` (which names the bad field).
 */
export function packPositionReport(m: AisEncodeInput): ArmouredPayload {
  const type = m.type;
  if (type !== 1 && type !== 2 && type !== 3 && type !== 18) return encodeAisPayload(m);
  // The conversions of `sogField`, `lonField`, `latField`, `cogField` and `headingField`, written
  // out: six more calls push the puts below out of V8's inlining budget (about 1.4x slower).
  const sog = m.sog === undefined ? SOG_NA : Math.min(Math.round(m.sog * 10), 1022);
  const lon = m.lon === undefined ? 181 * 600000 : Math.round(m.lon * 600000);
  const lat = m.lat === undefined ? 91 * 600000 : Math.round(m.lat * 600000);
  const cog = m.cog === undefined ? 3600 : Math.round(m.cog * 10);
  const heading = m.heading === undefined ? 511 : Math.round(m.heading);
  const second = m.second ?? SECOND_NA;
  const radio = m.radio ?? 0;
  if (
    !Number.isInteger(m.mmsi) ||
    m.mmsi < 0 ||
    m.mmsi >= 2 ** 30 ||
    !(sog >= 0) ||
    !(Math.abs(lon) < 2 ** 27) ||
    !(Math.abs(lat) < 2 ** 26) ||
    !(cog >= 0 && cog < 4096) ||
    !(heading >= 0 && heading < 512) ||
    !(second >= 0 && second < 64) ||
    !Number.isInteger(radio) ||
    radio < 0 ||
    radio >= (type === 18 ? 2 ** 20 : 2 ** 19)
  ) {
    return encodeAisPayload(m);
  }
  const p = packer;
  p.reset();
  p.put(type, 6);
  p.put(m.repeat ?? 0, 2);
  p.put(m.mmsi, 30);
  if (type === 18) {
    p.put(0, 8); // reserved
  } else {
    const navStatus = m.navStatus ?? NAV_STATUS_NA;
    if (navStatus < 0 || navStatus > 15) return encodeAisPayload(m);
    const rot = rotField(m.rot);
    p.put(navStatus, 4);
    p.put(rot < 0 ? rot + 256 : rot, 8);
  }
  // Speed to time stamp: the same fields in both layouts.
  p.put(sog, 10);
  p.put(m.accuracy ? 1 : 0, 1);
  p.put(lon < 0 ? lon + 2 ** 28 : lon, 28);
  p.put(lat < 0 ? lat + 2 ** 27 : lat, 27);
  p.put(cog, 12);
  p.put(heading, 9);
  p.put(second, 6);
  if (type === 18) {
    p.put(m.regional ?? 0, 2);
    // Flags: CS unit, display, DSC, whole band, message 22, assigned, RAIM.
    p.put(
      ((m.cs ? 1 : 0) << 6) |
        ((m.display ? 1 : 0) << 5) |
        ((m.dsc ? 1 : 0) << 4) |
        ((m.band ? 1 : 0) << 3) |
        ((m.msg22 ? 1 : 0) << 2) |
        ((m.assigned ? 1 : 0) << 1) |
        (m.raim ? 1 : 0),
      7,
    );
    p.put(radio, 20);
  } else {
    p.put(m.maneuver ?? 0, 2);
    p.put(0, 3); // spare
    p.put(m.raim ? 1 : 0, 1);
    p.put(radio, 19);
  }
  return { payload: p.armoured(), fillBits: 0, bitLength: 168 };
}

/** Six bits at a time into armoured character codes, in 32-bit integer arithmetic. */
class Packer {
  private readonly codes: number[] = new Array<number>(28).fill(0);
  private count = 0;
  private acc = 0;
  private bits = 0;

  reset(): void {
    this.count = 0;
    this.acc = 0;
    this.bits = 0;
  }

  /** Appends `value` as `width` ≤ 30 bits, most significant first. */
  put(value: number, width: number): void {
    if (width > 24) {
      // Keep the accumulator within 31 bits: the high part first.
      const low = width >> 1;
      this.put(Math.floor(value / (1 << low)), width - low);
      this.put(value & ((1 << low) - 1), low);
      return;
    }
    const acc = (this.acc << width) | value;
    let bits = this.bits + width;
    while (bits >= 6) {
      bits -= 6;
      this.codes[this.count++] = ARMOUR_CHAR[(acc >>> bits) & 63]!;
    }
    this.acc = acc & ((1 << bits) - 1);
    this.bits = bits;
  }

  /** The characters written; one string, no intermediate concatenations. */
  armoured(): string {
    this.codes.length = this.count;
    return String.fromCharCode.apply(null, this.codes);
  }
}

const packer = new Packer();
