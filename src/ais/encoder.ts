/**
 * AIS encoder: a message in DESIGN.md §2.2 units → `!AIVDM` sentences. The inverse of the
 * decoder, for fuzz tests, the decode benchmark and the traffic simulator. Pure: no I/O, no
 * clock, no randomness.
 *
 * Bit layouts follow ITU-R M.1371-5 as documented by gpsd's AIVDM notes
 * (https://gpsd.gitlab.io/gpsd/AIVDM.html); field names in comments are gpsd's. A field that is
 * absent (`undefined`) is written as its ITU "not available" sentinel, so decoding the result
 * gives the field back absent. Values are checked to fit their field and rejected with a
 * `RangeError` naming the field otherwise; values that fit but are physically odd (latitude 100)
 * are written as asked, so tests can exercise the decoder's range checks.
 */

import { type ArmouredPayload, BitWriter } from './bit-writer.js';
import {
  cogField,
  headingField,
  latField,
  lonField,
  NAV_STATUS_NA,
  rotField,
  SECOND_NA,
  SOG_NA,
  sogField,
} from './encode-fields.js';
import { type SentenceOptions, writeSentences } from './sentence-writer.js';

export type { ArmouredPayload } from './bit-writer.js';
export type { SentenceOptions, TagBlockOptions } from './sentence-writer.js';

/** Message types the encoder writes. */
export const ENCODABLE_TYPES = [1, 2, 3, 4, 5, 9, 11, 18, 19, 21, 24, 27] as const;

/**
 * One message to encode. Structurally compatible with the decoder's `AisMessage`, so a decoded
 * message can be encoded again. Fields beyond §2.2 (radio state, flags) default to 0 / false.
 */
export interface AisEncodeInput {
  type: number;
  mmsi: number;
  /** Repeat indicator 0..3 (default 0). */
  repeat?: number | undefined;
  navStatus?: number | undefined;
  /** Rate of turn, degrees per minute (±720 = turning fast, rate unknown). */
  rot?: number | undefined;
  /** Speed over ground, knots (≥ 102.2 is written as "102.2 or more"). */
  sog?: number | undefined;
  accuracy?: boolean | undefined;
  lon?: number | undefined;
  lat?: number | undefined;
  /** Course over ground, degrees. */
  cog?: number | undefined;
  /** True heading, degrees. */
  heading?: number | undefined;
  /** UTC second of the fix, 0..63 (60 = not available). */
  second?: number | undefined;
  /** Types 1-3: special manoeuvre indicator 0..2. */
  maneuver?: number | undefined;
  raim?: boolean | undefined;
  /** Radio status bits (SOTDMA/ITDMA communication state), 19 or 20 bits. */
  radio?: number | undefined;
  /** Types 4 / 11: UTC as gpsd prints it, `YYYY-MM-DDTHH:MM:SSZ` (components may be sentinels). */
  timestamp?: string | undefined;
  /** Electronic position fixing device 0..15 (types 4, 5, 19, 21). */
  epfd?: number | undefined;
  /** Type 5: AIS version 0..3. */
  aisVersion?: number | undefined;
  imo?: number | undefined;
  callSign?: string | undefined;
  shipName?: string | undefined;
  shipType?: number | undefined;
  /** Dimensions to the reference point, metres. */
  toBow?: number | undefined;
  toStern?: number | undefined;
  toPort?: number | undefined;
  toStarboard?: number | undefined;
  /** Draught, metres (0.1 m resolution). */
  draught?: number | undefined;
  destination?: string | undefined;
  /** Type 5 ETA as `MM-DDTHH:MMZ` (gpsd's form; components may be the sentinels 0/0/24/60). */
  eta?: string | undefined;
  /** Data terminal equipment: 0 = ready, 1 = not ready (the ITU default). Types 5, 9, 19. */
  dte?: number | undefined;
  /** Type 18/19 regional reserved bits. */
  regional?: number | undefined;
  /** Type 18 flags (gpsd names): CS unit, display, DSC, whole band, message 22, assigned. */
  cs?: boolean | undefined;
  display?: boolean | undefined;
  dsc?: boolean | undefined;
  band?: boolean | undefined;
  msg22?: boolean | undefined;
  assigned?: boolean | undefined;
  /** Type 24: part 0 = A (name), 1 = B (type, vendor, call sign, dimensions). */
  partNo?: number | undefined;
  /** Type 24 B: vendor id (3 characters), unit model code and serial number (ITU-R M.1371-4). */
  vendorId?: string | undefined;
  model?: number | undefined;
  serial?: number | undefined;
  /** Type 24 B of an auxiliary craft (MMSI 98xxxxxxx): written in place of the dimensions. */
  mothershipMmsi?: number | undefined;
  /** Type 21: aid type 0..31 and name (up to 34 characters: 20 + a 14-character extension). */
  aidType?: number | undefined;
  name?: string | undefined;
  offPosition?: boolean | undefined;
  virtualAid?: boolean | undefined;
  /** Type 9: altitude, metres (4095 = not available). */
  altitude?: number | undefined;
  /** Type 27: true when the position is not from the current GNSS fix. */
  gnss?: boolean | undefined;
}

/** Encodes one message's payload bits and armours them. */
export function encodeAisPayload(input: AisEncodeInput): ArmouredPayload {
  const w = new BitWriter();
  const type = input.type;
  w.uint('type', type, 6);
  w.uint('repeat', input.repeat ?? 0, 2);
  w.uint('mmsi', input.mmsi, 30);
  switch (type) {
    case 1:
    case 2:
    case 3:
      writeClassAPosition(w, input);
      break;
    case 4:
    case 11:
      writeBaseStation(w, input);
      break;
    case 5:
      writeStaticVoyage(w, input);
      break;
    case 9:
      writeSarAircraft(w, input);
      break;
    case 18:
      writeClassBPosition(w, input);
      break;
    case 19:
      writeClassBExtended(w, input);
      break;
    case 21:
      writeAidToNavigation(w, input);
      break;
    case 24:
      writeStaticDataReport(w, input);
      break;
    case 27:
      writeLongRange(w, input);
      break;
    default:
      throw new RangeError(
        `AIS message type ${type} cannot be encoded (supported: ${ENCODABLE_TYPES.join(', ')}).`,
      );
  }
  return w.armour();
}

/**
 * Encodes one message into NMEA sentences (no line terminators): one sentence for up to
 * `maxPayloadChars` characters (default 60), numbered fragments beyond, each with its checksum
 * and, when `options.tagBlock` is given, an NMEA 4.10 tag block.
 */
export function encodeAis(input: AisEncodeInput, options?: SentenceOptions): string[] {
  return writeSentences(encodeAisPayload(input), options);
}

/** Types 1, 2, 3: position report class A, 168 bits. */
function writeClassAPosition(w: BitWriter, m: AisEncodeInput): void {
  w.uint('navStatus', m.navStatus ?? NAV_STATUS_NA, 4);
  w.int('rot', rotField(m.rot), 8);
  writeMotion(w, m);
  w.uint('maneuver', m.maneuver ?? 0, 2);
  w.uint('spare', 0, 3);
  w.bool(m.raim ?? false);
  w.uint('radio', m.radio ?? 0, 19);
}

/** Types 4 (base station report) and 11 (UTC/date response), 168 bits. */
function writeBaseStation(w: BitWriter, m: AisEncodeInput): void {
  // Not available: year 0, month 0, day 0, hour 24, minute 60, second 60.
  let date = [0, 0, 0, 24, 60, 60];
  if (m.timestamp !== undefined) {
    date = parseNumbers('timestamp', m.timestamp, /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z$/);
  }
  w.uint('year', date[0]!, 14);
  w.uint('month', date[1]!, 4);
  w.uint('day', date[2]!, 5);
  w.uint('hour', date[3]!, 5);
  w.uint('minute', date[4]!, 6);
  w.uint('second', date[5]!, 6);
  writePosition(w, m);
  w.uint('epfd', m.epfd ?? 0, 4);
  w.uint('spare', 0, 10);
  w.bool(m.raim ?? false);
  w.uint('radio', m.radio ?? 0, 19);
}

/** Type 5: static and voyage related data, 424 bits (two sentences). */
function writeStaticVoyage(w: BitWriter, m: AisEncodeInput): void {
  w.uint('aisVersion', m.aisVersion ?? 0, 2);
  w.uint('imo', m.imo ?? 0, 30);
  w.text('callSign', m.callSign ?? '', 42);
  w.text('shipName', m.shipName ?? '', 120);
  w.uint('shipType', m.shipType ?? 0, 8);
  writeDimensions(w, m);
  w.uint('epfd', m.epfd ?? 0, 4);
  // Not available: month 0, day 0, hour 24, minute 60.
  let eta = [0, 0, 24, 60];
  if (m.eta !== undefined) eta = parseNumbers('eta', m.eta, /^(\d\d)-(\d\d)T(\d\d):(\d\d)Z$/);
  w.uint('etaMonth', eta[0]!, 4);
  w.uint('etaDay', eta[1]!, 5);
  w.uint('etaHour', eta[2]!, 5);
  w.uint('etaMinute', eta[3]!, 6);
  w.uint('draught', m.draught === undefined ? 0 : Math.round(m.draught * 10), 8);
  w.text('destination', m.destination ?? '', 120);
  w.uint('dte', m.dte ?? 1, 1);
  w.uint('spare', 0, 1);
}

/** Type 9: standard SAR aircraft position report, 168 bits. Speed is in whole knots. */
function writeSarAircraft(w: BitWriter, m: AisEncodeInput): void {
  w.uint('altitude', m.altitude === undefined ? 4095 : Math.min(Math.round(m.altitude), 4094), 12);
  w.uint('sog', m.sog === undefined ? SOG_NA : Math.min(Math.round(m.sog), 1022), 10);
  writePosition(w, m);
  w.uint('cog', cogField(m.cog), 12);
  w.uint('second', m.second ?? SECOND_NA, 6);
  w.uint('regional', m.regional ?? 0, 8);
  w.uint('dte', m.dte ?? 1, 1);
  w.uint('spare', 0, 3);
  w.bool(m.assigned ?? false);
  w.bool(m.raim ?? false);
  w.uint('radio', m.radio ?? 0, 20);
}

/** Type 18: standard class B position report, 168 bits. */
function writeClassBPosition(w: BitWriter, m: AisEncodeInput): void {
  w.uint('reserved', 0, 8);
  writeMotion(w, m);
  w.uint('regional', m.regional ?? 0, 2);
  w.bool(m.cs ?? false);
  w.bool(m.display ?? false);
  w.bool(m.dsc ?? false);
  w.bool(m.band ?? false);
  w.bool(m.msg22 ?? false);
  w.bool(m.assigned ?? false);
  w.bool(m.raim ?? false);
  w.uint('radio', m.radio ?? 0, 20);
}

/** Type 19: extended class B position report, 312 bits. */
function writeClassBExtended(w: BitWriter, m: AisEncodeInput): void {
  w.uint('reserved', 0, 8);
  writeMotion(w, m);
  w.uint('regional', m.regional ?? 0, 4);
  w.text('shipName', m.shipName ?? '', 120);
  w.uint('shipType', m.shipType ?? 0, 8);
  writeDimensions(w, m);
  w.uint('epfd', m.epfd ?? 0, 4);
  w.bool(m.raim ?? false);
  w.uint('dte', m.dte ?? 1, 1);
  w.bool(m.assigned ?? false);
  w.uint('spare', 0, 4);
}

/** Type 21: aid-to-navigation report, 272 bits plus up to 88 bits of name extension. */
function writeAidToNavigation(w: BitWriter, m: AisEncodeInput): void {
  const name = m.name ?? '';
  if (name.length > 34) {
    throw new RangeError(`AIS field name: "${name}" is longer than 34 characters.`);
  }
  w.uint('aidType', m.aidType ?? 0, 5);
  w.text('name', name.slice(0, 20), 120);
  writePosition(w, m);
  writeDimensions(w, m);
  w.uint('epfd', m.epfd ?? 0, 4);
  w.uint('second', m.second ?? SECOND_NA, 6);
  w.bool(m.offPosition ?? false);
  w.uint('regional', m.regional ?? 0, 8);
  w.bool(m.raim ?? false);
  w.bool(m.virtualAid ?? false);
  w.bool(m.assigned ?? false);
  w.uint('spare', 0, 1);
  // The extension holds only the characters present, then 0-6 spare bits up to a byte boundary
  // (ITU-R M.1371 Table 84: 0..88 bits in all).
  const extension = name.slice(20);
  if (extension.length > 0) {
    w.text('name', extension, extension.length * 6);
    w.uint('spare', 0, (8 - (w.length % 8)) % 8);
  }
}

/**
 * Type 24: static data report. Part A carries the name in 160 bits (ITU-R M.1371; some
 * transponders send 168); part B the type, vendor, call sign and dimensions in 168 bits.
 */
function writeStaticDataReport(w: BitWriter, m: AisEncodeInput): void {
  const part = m.partNo ?? 0;
  w.uint('partNo', part, 2);
  if (part === 0) {
    w.text('shipName', m.shipName ?? '', 120);
    return;
  }
  if (part !== 1) throw new RangeError(`AIS field partNo: ${part} is neither 0 (A) nor 1 (B).`);
  w.uint('shipType', m.shipType ?? 0, 8);
  w.text('vendorId', m.vendorId ?? '', 18);
  w.uint('model', m.model ?? 0, 4);
  w.uint('serial', m.serial ?? 0, 20);
  w.text('callSign', m.callSign ?? '', 42);
  if (m.mothershipMmsi !== undefined) w.uint('mothershipMmsi', m.mothershipMmsi, 30);
  else writeDimensions(w, m);
  w.uint('spare', 0, 6);
}

/** Type 27: long-range broadcast, 96 bits; 1/10 minute positions, whole knots and degrees. */
function writeLongRange(w: BitWriter, m: AisEncodeInput): void {
  w.bool(m.accuracy ?? false);
  w.bool(m.raim ?? false);
  w.uint('navStatus', m.navStatus ?? NAV_STATUS_NA, 4);
  w.int('lon', m.lon === undefined ? 181 * 600 : Math.round(m.lon * 600), 18);
  w.int('lat', m.lat === undefined ? 91 * 600 : Math.round(m.lat * 600), 17);
  w.uint('sog', m.sog === undefined ? 63 : Math.min(Math.round(m.sog), 62), 6);
  w.uint('cog', m.cog === undefined ? 511 : Math.round(m.cog), 9);
  w.bool(m.gnss ?? false);
  w.uint('spare', 0, 1);
}

/** Speed, position, course, heading and time stamp: the 93 bits types 1-3, 18 and 19 share. */
function writeMotion(w: BitWriter, m: AisEncodeInput): void {
  w.uint('sog', sogField(m.sog), 10);
  writePosition(w, m);
  w.uint('cog', cogField(m.cog), 12);
  w.uint('heading', headingField(m.heading), 9);
  w.uint('second', m.second ?? SECOND_NA, 6);
}

/** Position accuracy, longitude and latitude in 1/10 000 minute (types 1-4, 9, 11, 18, 19, 21). */
function writePosition(w: BitWriter, m: AisEncodeInput): void {
  w.bool(m.accuracy ?? false);
  w.int('lon', lonField(m.lon), 28);
  w.int('lat', latField(m.lat), 27);
}

/** Reference point dimensions (types 5, 19, 21, 24 B): 9 + 9 + 6 + 6 bits, 0 = not available. */
function writeDimensions(w: BitWriter, m: AisEncodeInput): void {
  w.uint('toBow', m.toBow ?? 0, 9);
  w.uint('toStern', m.toStern ?? 0, 9);
  w.uint('toPort', m.toPort ?? 0, 6);
  w.uint('toStarboard', m.toStarboard ?? 0, 6);
}

function parseNumbers(field: string, text: string, pattern: RegExp): number[] {
  const match = pattern.exec(text);
  if (match === null)
    throw new RangeError(`AIS field ${field}: "${text}" is not ${pattern.source}.`);
  return match.slice(1).map(Number);
}
