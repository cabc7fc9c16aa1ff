import type { DecodedRecord } from '../../src/ais/decoded-record.js';

/**
 * The keys of a decoded message (DESIGN.md §2.2) that a reference decoder can confirm: all of
 * them. `receivedAt` and `station` (tag block `c:` and `s:`) only libais prints, for its
 * tag-block samples.
 */
export type OurKey = keyof DecodedRecord;

/** Message types Tidewatch decodes (position, base station, static, SAR, class B, AtoN, long range). */
export const COMPARED_TYPES: ReadonlySet<number> = new Set([1, 2, 3, 4, 5, 9, 18, 19, 21, 24, 27]);

/** A decoded record seen through the keys the suite compares (the decoder's objects are plain). */
export type OurValue = number | string | boolean | undefined;

export function ourValue(record: object, key: OurKey): OurValue {
  const value = (record as Readonly<Record<string, unknown>>)[key];
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') {
    return value;
  }
  return undefined;
}
