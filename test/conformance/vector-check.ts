import { decodeAll } from '../../src/ais/decode-all.js';
import type { RejectReason } from '../../src/ais/reject-reason.js';
import type { AisVector } from './ais-vectors.js';
import { type ExpectedMessage, expectedMessage } from './expected-fields.js';
import { compareMessage, type FieldOutcome } from './field-compare.js';
import { COMPARED_TYPES } from './our-keys.js';
import { vectorMessageType } from './payload-peek.js';
import { pickRecord } from './pick-record.js';
import { parseStyle } from './reference-style.js';

export type VectorStatus =
  /** Every mapped field agrees. */
  | 'agree'
  /** We decoded the message and at least one field differs. */
  | 'disagree'
  /** We decoded no message of the expected type and MMSI. */
  | 'missing'
  /** A message type Tidewatch does not decode (6, 7, 8, 10, ...): not compared. */
  | 'other-type';

export interface VectorResult {
  readonly vector: AisVector;
  readonly expected: ExpectedMessage;
  readonly status: VectorStatus;
  readonly outcomes: readonly FieldOutcome[];
  /** What our decoder rejected while decoding the vector's sentences. */
  readonly rejections: ReadonlyArray<{ readonly reason: RejectReason; readonly line: string }>;
  /** Type 24 name printed by gpsd from a part A that is not among the vector's sentences. */
  readonly uncheckedName: boolean;
}

/** Decodes one vector's sentences with our decoder and compares with its expected decode. */
export function checkVector(vector: AisVector): VectorResult {
  const style = parseStyle(vector.style);
  const expected = expectedMessage(vector.expected, style, vectorMessageType(vector.sentences));
  const rejections: Array<{ reason: RejectReason; line: string }> = [];
  const base = { vector, expected, rejections, uncheckedName: false };
  if (expected.type === undefined || !COMPARED_TYPES.has(expected.type)) {
    return { ...base, status: 'other-type', outcomes: [] };
  }
  const { records } = decodeAll(`${vector.sentences.join('\n')}\n`, {
    onReject: (reason, line) => rejections.push({ reason, line }),
  });
  const { record, partAFound } = pickRecord(expected, records);
  if (record === undefined) return { ...base, status: 'missing', outcomes: [] };
  let outcomes = compareMessage(expected, record);
  // gpsd's logs give part B the name of a part A many lines earlier; without that part A among
  // the vector's sentences the name cannot be checked here (the gpsd-ref stream test does).
  const uncheckedName = expected.mergesType24 && !partAFound;
  if (uncheckedName) outcomes = outcomes.filter((o) => o.key !== 'shipName');
  const status = outcomes.every((o) => o.ok) ? 'agree' : 'disagree';
  return { ...base, status, outcomes, uncheckedName };
}
