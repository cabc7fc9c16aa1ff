import { CodedError } from '../util/coded-error.js';
/** Why a zone file was refused. One fixed list, so callers (CLI, config checks) can branch on it. */
export const ZONE_ERROR_CODES = [
  /** The file could not be read or gunzipped. */
  'read',
  /** The file is not JSON. */
  'json',
  /** Not a GeoJSON FeatureCollection or Feature, or a feature that is not an object. */
  'structure',
  /** A kind missing, not one of ZONE_KINDS, or not inferable from an S-57 class. */
  'kind',
  /** An id missing, empty or not a string or number. */
  'id',
  /** Two zones with the same id in one zone set. */
  'duplicate_id',
  /** A name or members property of the wrong type. */
  'property',
  /** A position, ring or polygon that is not valid GeoJSON (RFC 7946 §3.1). */
  'coordinates',
] as const;

export type ZoneErrorCode = (typeof ZONE_ERROR_CODES)[number];

/** A zone file Tidewatch will not load; the message names the file, the feature and the value. */
export class ZoneError extends CodedError<ZoneErrorCode> {
  override readonly name = 'ZoneError';
  /** The file (or the name the caller gave the JSON). */
  readonly source: string;
  /** Position of the feature in the file's `features`, when one feature is at fault. */
  readonly feature: number | undefined;

  constructor(
    code: ZoneErrorCode,
    source: string,
    feature: number | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(
      code,
      `${source}${feature === undefined ? '' : `: feature ${feature}`}: ${message}`,
      options,
    );
    this.source = source;
    this.feature = feature;
  }
}
