import type { ExpectedMessage } from './expected-fields.js';
import { ourValue } from './our-keys.js';

/**
 * gpsd prints a type 24 part B together with the name from the part A it saw before for the same
 * MMSI (gpsd driver_ais.c keeps a small queue of part A names). Our decoder emits the parts
 * separately (§2.2 `partNo`); this builds the view gpsd prints.
 */
export function withPartAName(partB: object, partA: object | undefined): object {
  const name = partA === undefined ? undefined : ourValue(partA, 'shipName');
  const merged: Record<string, unknown> = { ...partB };
  if (name === undefined) delete merged.shipName;
  else merged.shipName = name;
  return merged;
}

/**
 * The record of ours a vector's expectation is about: the last one of the expected type, MMSI
 * and type 24 part (references print the message completed by the last sentence). Undefined when
 * we decoded none. `partAFound` says whether a gpsd-style merged type 24 had our part A at hand.
 */
export function pickRecord(
  expected: ExpectedMessage,
  records: readonly object[],
): { record: object | undefined; partAFound: boolean } {
  const candidates = records.filter(
    (r) =>
      (expected.type === undefined || ourValue(r, 'type') === expected.type) &&
      (expected.mmsi === undefined || ourValue(r, 'mmsi') === expected.mmsi) &&
      (expected.partNo === undefined || ourValue(r, 'partNo') === expected.partNo),
  );
  if (!expected.mergesType24) return { record: candidates.at(-1), partAFound: false };
  const partB = candidates.filter((r) => ourValue(r, 'partNo') === 1).at(-1);
  const partA = candidates.filter((r) => ourValue(r, 'partNo') === 0).at(-1);
  if (partB === undefined) return { record: undefined, partAFound: partA !== undefined };
  return { record: withPartAName(partB, partA), partAFound: partA !== undefined };
}
