/**
 * Field values as ITU-R M.1371 carries them, from DESIGN.md §2.2 units: the inverse of the
 * readers of `fields.ts`. An absent value (`undefined`) becomes the field's "not available"
 * sentinel (gpsd AIVDM notes, per field). Shared by `encoder.ts` and the simulator's
 * `position-packer.ts`, which must write the same bits.
 */

export const NAV_STATUS_NA = 15;
export const SECOND_NA = 60;
export const SOG_NA = 1023;
const ROT_NA = -128;
const LON_NA = 181 * 600000;
const LAT_NA = 91 * 600000;
const COG_NA = 3600;
const HEADING_NA = 511;

/**
 * ROT_AIS = 4.733 × √ROT_sensor (degrees per minute), signed; ±126 means 708°/min or more and
 * ±127 "turning at more than 5° per 30 s, no turn indicator" (which the decoder gives as ±720).
 */
export function rotField(rot: number | undefined): number {
  if (rot === undefined) return ROT_NA;
  const magnitude = Math.abs(rot);
  const raw = magnitude >= 720 ? 127 : Math.min(126, Math.round(4.733 * Math.sqrt(magnitude)));
  return rot < 0 ? -raw : raw;
}

/** Speed in 1/10 knot; 1022 = 102.2 knots or more. */
export function sogField(sog: number | undefined): number {
  return sog === undefined ? SOG_NA : Math.min(Math.round(sog * 10), 1022);
}

/** Longitude in 1/10 000 minute. */
export function lonField(lon: number | undefined): number {
  return lon === undefined ? LON_NA : Math.round(lon * 600000);
}

export function latField(lat: number | undefined): number {
  return lat === undefined ? LAT_NA : Math.round(lat * 600000);
}

/**
 * Course in 1/10 degree. Valid courses are 0..359.9; larger values that fit 12 bits are written
 * as given (the decoder must reject them), so callers normalise 360° to 0° themselves.
 */
export function cogField(cog: number | undefined): number {
  return cog === undefined ? COG_NA : Math.round(cog * 10);
}

/** Heading in whole degrees; 360..510 are invalid but written as given, like the course. */
export function headingField(heading: number | undefined): number {
  return heading === undefined ? HEADING_NA : Math.round(heading);
}
