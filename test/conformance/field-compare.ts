import type { ExpectedMessage } from './expected-fields.js';
import type { FieldExpectation, FieldRule } from './field-expectation.js';
import { type OurKey, type OurValue, ourValue } from './our-keys.js';

/** Reference quirks under which a field still agrees; each is counted and reported. */
export const QUIRKS = {
  textAfterAtSign:
    "text after the first '@' (sixbit 0, padding): gpsd and we stop there, libais keeps it",
  libaisCharset:
    "libais prints sixbit 31 as '-' and 39 as '`' (ITU-R M.1371 Table 47: '_' and \"'\")",
  unsignedTurn: 'gpsd 3.22 prints |rate of turn| (it squares the signed ROT_AIS)',
} as const;

export type Quirk = keyof typeof QUIRKS;

export interface FieldOutcome {
  readonly key: OurKey;
  readonly from: string;
  /** The expectation in our units, for the report. */
  readonly expected: string;
  readonly got: string;
  readonly ok: boolean;
  /** Agreement that needed a reference quirk. */
  readonly quirk?: Quirk;
  /** The rule's reason (sentinel, ITU range, tolerance) for the report. */
  readonly why?: string;
}

export function describeRule(rule: FieldRule): string {
  switch (rule.kind) {
    case 'absent':
      return '(absent)';
    case 'number': {
      const tolerance = rule.tolerance > 1e-6 ? ` ±${Number(rule.tolerance.toPrecision(2))}` : '';
      return `${rule.magnitudeOnly ? '|x| = ' : ''}${rule.value}${tolerance}`;
    }
    case 'oneOf':
      return `one of ${rule.values.join('/')}`;
    case 'text':
      return JSON.stringify(rule.value);
    case 'boolean':
      return String(rule.value);
    case 'instant':
      return new Date(rule.epochMillis).toISOString();
  }
}

function describeValue(value: OurValue): string {
  if (value === undefined) return '(absent)';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function toLibaisCharset(text: string): string {
  return text.replaceAll('_', '-').replaceAll("'", '`');
}

/** Text up to the first '@', without trailing spaces: what gpsd's from_sixbit() keeps. */
function cutAtSign(text: string): string {
  const at = text.indexOf('@');
  return (at < 0 ? text : text.slice(0, at)).replace(/ +$/, '');
}

/** Compares one of our values with one expectation. */
export function compareField(field: FieldExpectation, got: OurValue): FieldOutcome {
  const base = {
    key: field.key,
    from: field.from,
    expected: `${describeRule(field.rule)}${field.absentOk && field.rule.kind !== 'absent' ? ' or absent' : ''}`,
    got: describeValue(got),
    ...(field.why === undefined ? {} : { why: field.why }),
  };
  const rule = field.rule;
  if (rule.kind === 'absent') return { ...base, ok: got === undefined };
  if (got === undefined) return { ...base, ok: field.absentOk };
  switch (rule.kind) {
    case 'number': {
      if (typeof got !== 'number') return { ...base, ok: false };
      if (Math.abs(got - rule.value) <= rule.tolerance) return { ...base, ok: true };
      if (rule.magnitudeOnly && Math.abs(Math.abs(got) - rule.value) <= rule.tolerance) {
        return { ...base, ok: true, quirk: 'unsignedTurn' };
      }
      return { ...base, ok: false };
    }
    case 'oneOf':
      return { ...base, ok: typeof got === 'number' && rule.values.includes(got) };
    case 'text': {
      if (got === rule.value) return { ...base, ok: true };
      if (typeof got !== 'string') return { ...base, ok: false };
      const ours = rule.libaisCharset ? toLibaisCharset(got) : got;
      if (ours === rule.value) return { ...base, ok: true, quirk: 'libaisCharset' };
      if (cutAtSign(ours) === cutAtSign(rule.value)) {
        return { ...base, ok: true, quirk: 'textAfterAtSign' };
      }
      return { ...base, ok: false };
    }
    case 'boolean':
      return { ...base, ok: got === rule.value };
    case 'instant':
      return { ...base, ok: typeof got === 'string' && Date.parse(got) === rule.epochMillis };
  }
}

/** Compares every expectation of a message with one of our records. */
export function compareMessage(expected: ExpectedMessage, record: object): FieldOutcome[] {
  return expected.fields.map((field) => compareField(field, ourValue(record, field.key)));
}
