import type { AisMessage } from './ais-message.js';
import type { SixbitPayload } from './sixbit.js';

/**
 * Field readers shared by several message types, with the ITU-R M.1371 "not available" sentinels
 * turned into absent values (DESIGN.md §2.2, §3 sanity rules).
 */

/** 1/10 000 minute per unit (types 1-4, 9, 18, 19, 21); type 27 uses 1/10 minute. */
export const HIGH_RES_PER_DEGREE = 600_000;
export const LOW_RES_PER_DEGREE = 600;

/** Longitude (28 or 18 bits) and latitude (27 or 17 bits); 181° / 91° mean "not available". */
export function readLonLat(
  p: SixbitPayload,
  m: AisMessage,
  lonAt: number,
  lonBits: number,
  latAt: number,
  latBits: number,
  unitsPerDegree: number,
): void {
  const lon = p.int(lonAt, lonBits) / unitsPerDegree;
  const lat = p.int(latAt, latBits) / unitsPerDegree;
  // 181 / 91 are the sentinels; anything else out of range is no position either.
  if (lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90) {
    m.lon = lon;
    m.lat = lat;
  }
}

/** Speed over ground in 0.1 kn (10 bits): 1023 = not available, 1022 = 102.2 kn or more. */
export function readSogTenths(p: SixbitPayload, m: AisMessage, at: number): void {
  const raw = p.uint(at, 10);
  if (raw !== 1023) m.sog = raw / 10;
}

/** Course over ground in 0.1° (12 bits): 3600 = not available, above is invalid. */
export function readCogTenths(p: SixbitPayload, m: AisMessage, at: number): void {
  const raw = p.uint(at, 12);
  if (raw < 3600) m.cog = raw / 10;
}

/** True heading in degrees (9 bits): 511 = not available, 360-510 invalid. */
export function readHeading(p: SixbitPayload, m: AisMessage, at: number): void {
  const raw = p.uint(at, 9);
  if (raw < 360) m.heading = raw;
}

/** UTC second of the fix (6 bits): 60 = not available; 61-63 keep their ITU meanings. */
export function readSecond(p: SixbitPayload, m: AisMessage, at: number): void {
  const raw = p.uint(at, 6);
  if (raw !== 60) m.second = raw;
}

/**
 * Speed, accuracy, position, course, heading and time stamp: the 93 bits class A (types 1-3, at
 * bit 50) and class B (types 18 and 19, at bit 46) position reports share.
 */
export function readMotion(p: SixbitPayload, m: AisMessage, at: number): void {
  readSogTenths(p, m, at);
  m.accuracy = p.bool(at + 10);
  readLonLat(p, m, at + 11, 28, at + 39, 27, HIGH_RES_PER_DEGREE);
  readCogTenths(p, m, at + 66);
  readHeading(p, m, at + 78);
  readSecond(p, m, at + 87);
}

/** Ship dimensions to the reference point (9, 9, 6, 6 bits): 0 = not available. */
export function readDimensions(p: SixbitPayload, m: AisMessage, at: number): void {
  const toBow = p.uint(at, 9);
  const toStern = p.uint(at + 9, 9);
  const toPort = p.uint(at + 18, 6);
  const toStarboard = p.uint(at + 24, 6);
  if (toBow !== 0) m.toBow = toBow;
  if (toStern !== 0) m.toStern = toStern;
  if (toPort !== 0) m.toPort = toPort;
  if (toStarboard !== 0) m.toStarboard = toStarboard;
}

/** Ship and cargo type (8 bits): 0 = not available. */
export function readShipType(p: SixbitPayload, m: AisMessage, at: number): void {
  const raw = p.uint(at, 8);
  if (raw !== 0) m.shipType = raw;
}
