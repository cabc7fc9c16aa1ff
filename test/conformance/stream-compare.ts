import { decodeAll } from '../../src/ais/decode-all.js';
import type { RejectReason } from '../../src/ais/reject-reason.js';
import { alignSequences } from './align.js';
import { readDataFile } from './data-dir.js';
import { expectedMessage } from './expected-fields.js';
import { compareMessage, type FieldOutcome, type Quirk } from './field-compare.js';
import { describeInput, indexInputLines, whyOnlyOurs } from './gpsd-drop-reasons.js';
import { type GpsdReference, parseGpsdReports, readGpsdReferenceText } from './gpsd-references.js';
import { COMPARED_TYPES, ourValue } from './our-keys.js';
import { peekPayload } from './payload-peek.js';
import { withPartAName } from './pick-record.js';
import { GPSD_322_STYLE } from './reference-style.js';

type Json = Readonly<Record<string, unknown>>;

export interface MessageDifference {
  /** 0-based index among gpsd's AIS reports of the file. */
  readonly gpsdIndex: number;
  readonly gpsd: Json;
  readonly ours: object;
  /** The fields that differ. */
  readonly outcomes: readonly FieldOutcome[];
}

export interface UnpairedMessage {
  readonly key: string;
  /** Why we think the other side has no counterpart: a reason category for the README. */
  readonly reason: string;
}

export interface StreamComparison {
  readonly ref: GpsdReference;
  /** gpsd AIS reports of the compared types. */
  readonly gpsdMessages: number;
  /** gpsd AIS reports of types we do not decode (6, 8, ...), skipped. */
  readonly gpsdOtherTypes: number;
  readonly ourMessages: number;
  readonly matched: number;
  readonly agree: number;
  readonly differences: readonly MessageDifference[];
  readonly onlyGpsd: readonly UnpairedMessage[];
  readonly onlyOurs: readonly UnpairedMessage[];
  /** Our type 24 part A records: gpsd never prints them, it puts the name into part B. */
  readonly partARecords: number;
  readonly quirks: ReadonlyMap<Quirk, number>;
  readonly rejected: ReadonlyMap<RejectReason, number>;
}

/**
 * Alignment key: type and MMSI, plus the time stamp second where the type has one, so that the
 * many repeats of one vessel (heard by several stations) pair with the right copy.
 */
function alignmentKey(type: unknown, mmsi: unknown, second: unknown): string {
  const stamp = typeof second === 'number' && second < 60 ? second : '-';
  return type === 24 ? `24B:${String(mmsi)}` : `${String(type)}:${String(mmsi)}:${stamp}`;
}

function gpsdKey(report: Json): string {
  // Type 4 carries its second in gpsd's `timestamp` (YYYY-MM-DDTHH:MM:SSZ).
  const stamp = typeof report.timestamp === 'string' ? /:(\d\d)Z$/.exec(report.timestamp) : null;
  const second = report.type === 4 ? Number(stamp?.[1] ?? Number.NaN) : report.second;
  return alignmentKey(report.type, report.mmsi, second);
}

function ourKey(record: object): string {
  return alignmentKey(
    ourValue(record, 'type'),
    ourValue(record, 'mmsi'),
    ourValue(record, 'second'),
  );
}

/** `type:mmsi` of a key, as the input-line index files it. */
function lineKey(key: string): string {
  const [type, mmsi] = key.split(':');
  return `${type === '24B' ? '24' : type}:${mmsi}`;
}

/**
 * gpsd's type 24 handling (driver_ais.c): part A goes into an 8-slot round-robin queue
 * (MAX_TYPE24_INTERLEAVE, only 160-bit part As); a 168-bit part B takes its MMSI's slot and is
 * printed with that name, else not at all. We cannot see which of our records gpsd's lexer
 * dropped, so the name view uses the latest part A of the MMSI, and the queue only explains
 * which part Bs gpsd left out.
 */
class PartATracker {
  private readonly latest = new Map<unknown, { record: object; used: boolean }>();

  add(partA: object): void {
    this.latest.set(ourValue(partA, 'mmsi'), { record: partA, used: false });
  }

  /** The part A for a part B, and whether it was still unused (gpsd would have queued it). */
  take(partB: object): { partA: object | undefined; fresh: boolean } {
    const entry = this.latest.get(ourValue(partB, 'mmsi'));
    if (entry === undefined) return { partA: undefined, fresh: false };
    const fresh = !entry.used;
    entry.used = true;
    return { partA: entry.record, fresh };
  }
}

/**
 * Decodes the reference's input with our decoder and pairs and compares it with gpsd's output:
 * the stored one, or `gpsdOutput` from a live run.
 */
export function compareWithGpsd(
  ref: GpsdReference,
  gpsdOutput = readGpsdReferenceText(ref),
): StreamComparison {
  const reports = parseGpsdReports(ref, gpsdOutput).filter((r) => r.class === 'AIS');
  const gpsd = reports.filter((r) => typeof r.type === 'number' && COMPARED_TYPES.has(r.type));
  const inputBytes = readDataFile(ref.input);
  const rejected = new Map<RejectReason, number>();
  const rejectedKeys = new Map<string, RejectReason>();
  const { records } = decodeAll(inputBytes, {
    onReject: (reason, line) => {
      rejected.set(reason, (rejected.get(reason) ?? 0) + 1);
      const peek = peekPayload(line);
      if (peek?.mmsi !== undefined) rejectedKeys.set(`${peek.type}:${peek.mmsi}`, reason);
    },
  });

  // gpsd never prints part A: it prints part B with the name of the part A it queued for the MMSI.
  const ours: object[] = [];
  const partABefore: Array<object | undefined> = [];
  const freshPartA: boolean[] = [];
  const partAs = new PartATracker();
  let partARecords = 0;
  for (const record of records) {
    const type = ourValue(record, 'type');
    if (typeof type !== 'number' || !COMPARED_TYPES.has(type)) continue;
    if (type === 24 && ourValue(record, 'partNo') === 0) {
      partARecords++;
      partAs.add(record);
      continue;
    }
    const { partA, fresh } = type === 24 ? partAs.take(record) : { partA: undefined, fresh: false };
    ours.push(record);
    partABefore.push(partA);
    freshPartA.push(fresh);
  }

  const { pairs, onlyA, onlyB } = alignSequences(gpsd.map(gpsdKey), ours.map(ourKey));
  const differences: MessageDifference[] = [];
  const quirks = new Map<Quirk, number>();
  let agree = 0;
  for (const [g, o] of pairs) {
    const report = gpsd[g];
    const record = ours[o];
    if (report === undefined || record === undefined) continue;
    const view = ourValue(record, 'type') === 24 ? withPartAName(record, partABefore[o]) : record;
    const outcomes = compareMessage(expectedMessage(report, GPSD_322_STYLE), view);
    for (const outcome of outcomes) {
      if (outcome.ok && outcome.quirk !== undefined) {
        quirks.set(outcome.quirk, (quirks.get(outcome.quirk) ?? 0) + 1);
      }
    }
    const failed = outcomes.filter((x) => !x.ok);
    if (failed.length === 0) agree++;
    else differences.push({ gpsdIndex: g, gpsd: report, ours: view, outcomes: failed });
  }

  const inputLines = indexInputLines(inputBytes.toString('latin1'));
  const onlyGpsd = onlyA.map((g): UnpairedMessage => {
    const key = gpsdKey(gpsd[g] ?? {});
    const reason = rejectedKeys.get(lineKey(key));
    return {
      key,
      reason:
        reason === undefined
          ? `not decoded by us (${describeInput(inputLines.get(lineKey(key)))})`
          : `we rejected a line of this type and MMSI: ${reason}`,
    };
  });
  const onlyOurs = onlyB.map((o): UnpairedMessage => {
    const record = ours[o] ?? {};
    const key = ourKey(record);
    const facts = inputLines.get(lineKey(key));
    return { key, reason: whyOnlyOurs(ourValue(record, 'type'), facts, freshPartA[o] === true) };
  });

  return {
    ref,
    gpsdMessages: gpsd.length,
    gpsdOtherTypes: reports.length - gpsd.length,
    ourMessages: ours.length,
    matched: pairs.length,
    agree,
    differences,
    onlyGpsd,
    onlyOurs,
    partARecords,
    quirks,
    rejected,
  };
}
