import type { AisMessage } from './ais-message.js';

/** A decoded message as a plain object: the NDJSON of `tidewatch decode` (DESIGN.md §2.2). */
export interface DecodedRecord {
  type: number;
  mmsi: number;
  navStatus?: number;
  rot?: number;
  sog?: number;
  accuracy?: boolean;
  lon?: number;
  lat?: number;
  cog?: number;
  heading?: number;
  second?: number;
  imo?: number;
  callSign?: string;
  shipName?: string;
  shipType?: number;
  toBow?: number;
  toStern?: number;
  toPort?: number;
  toStarboard?: number;
  draught?: number;
  destination?: string;
  eta?: string;
  partNo?: number;
  aidType?: number;
  name?: string;
  altitude?: number;
  /** ISO 8601. */
  receivedAt?: string;
  station?: string;
}

/** Keys copied as they are, in output order; `receivedAt` is converted. */
const PLAIN_KEYS = [
  'navStatus',
  'rot',
  'sog',
  'accuracy',
  'lon',
  'lat',
  'cog',
  'heading',
  'second',
  'imo',
  'callSign',
  'shipName',
  'shipType',
  'toBow',
  'toStern',
  'toPort',
  'toStarboard',
  'draught',
  'destination',
  'eta',
  'partNo',
  'aidType',
  'name',
  'altitude',
] as const satisfies readonly (keyof AisMessage & keyof DecodedRecord)[];

/** Copies the present fields of the reused decoder message into a new record. */
export function toRecord(m: AisMessage): DecodedRecord {
  const record: DecodedRecord = { type: m.type, mmsi: m.mmsi };
  const target = record as unknown as Record<string, unknown>;
  for (const key of PLAIN_KEYS) {
    const value = m[key];
    if (value !== undefined) target[key] = value;
  }
  if (m.receivedAt !== undefined) record.receivedAt = new Date(m.receivedAt).toISOString();
  if (m.station !== undefined) record.station = m.station;
  return record;
}
