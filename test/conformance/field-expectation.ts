import type { OurKey } from './our-keys.js';

/**
 * One expectation on one of our keys, and the builder the reference mappings (expected-fields.ts)
 * use to write them: the sentinel, "not available" and ITU-range conventions live here, once.
 */
export type FieldRule =
  /** The reference printed the "not available" sentinel: we must leave the key out. */
  | { readonly kind: 'absent' }
  | {
      readonly kind: 'number';
      readonly value: number;
      readonly tolerance: number;
      /** gpsd 3.22 prints the rate of turn without its sign. */
      readonly magnitudeOnly: boolean;
    }
  /** Several of our values print the same (gpsd's "Reserved" status text covers 11-14). */
  | { readonly kind: 'oneOf'; readonly values: readonly number[] }
  | {
      readonly kind: 'text';
      readonly value: string;
      /** libais prints sixbit 31 as '-' and 39 as '`' (ITU: '_' and "'"). */
      readonly libaisCharset: boolean;
    }
  | { readonly kind: 'boolean'; readonly value: boolean }
  /** An ISO 8601 instant, compared as milliseconds since the epoch. */
  | { readonly kind: 'instant'; readonly epochMillis: number };

export interface FieldExpectation {
  readonly key: OurKey;
  /** The reference's key(s) the expectation comes from. */
  readonly from: string;
  /** The reference's value as it printed it. */
  readonly shown: unknown;
  readonly rule: FieldRule;
  /** ITU "not available" or out-of-range value: leaving the key out also agrees. */
  readonly absentOk: boolean;
  /** Why the rule is what it is, when it is not a plain conversion. */
  readonly why?: string;
}

type Json = Readonly<Record<string, unknown>>;

/** Slack for values that should convert exactly. */
export const EPSILON = 1e-9;
/** float32 keeps 24 bits of mantissa: relative error below 2^-24 ≈ 6e-8. */
export function float32Tolerance(value: number): number {
  return Math.abs(value) * 1.2e-7 + 1e-6;
}
export function decimalsTolerance(places: number): number {
  return 0.5 * 10 ** -places + EPSILON;
}

/** Text fields carry '@' (sixbit 0) and spaces as padding; §2.2 strips them at the end. */
export function trimAisText(text: string): string {
  return text.replace(/[@ ]+$/, '');
}

const ETA_PATTERN = /^(\d\d)-(\d\d)T(\d\d):(\d\d)Z$/;

/**
 * Month 0, day 0, hour 24, minute 60 are ITU "not available" (ITU-R M.1371 Table 50); larger
 * values are invalid. Either may be dropped.
 */
function etaHasUnavailablePart(eta: string): boolean {
  const m = ETA_PATTERN.exec(eta);
  if (m === null) return true;
  const [month, day, hour, minute] = [m[1], m[2], m[3], m[4]].map(Number);
  return (
    month === undefined ||
    day === undefined ||
    hour === undefined ||
    minute === undefined ||
    month === 0 ||
    month > 12 ||
    day === 0 ||
    day > 31 ||
    hour >= 24 ||
    minute >= 60
  );
}

export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return undefined;
}

export function isNear(value: number, target: number, tolerance = 1e-6): boolean {
  return Math.abs(value - target) <= tolerance;
}

/** Collects expectations for one message; applies the cross-field rules at the end. */
export class ExpectationBuilder {
  readonly fields: FieldExpectation[] = [];
  readonly used = new Set<string>();

  constructor(readonly source: Json) {}

  has(key: string): boolean {
    return Object.hasOwn(this.source, key);
  }

  value(key: string): unknown {
    this.used.add(key);
    return this.source[key];
  }

  add(field: FieldExpectation): void {
    this.fields.push(field);
  }

  absent(key: OurKey, from: string, shown: unknown, why: string): void {
    this.add({ key, from, shown, rule: { kind: 'absent' }, absentOk: true, why });
  }

  number(
    key: OurKey,
    from: string,
    shown: unknown,
    value: number,
    tolerance: number,
    options: { absentOk?: boolean; magnitudeOnly?: boolean; why?: string } = {},
  ): void {
    const rule: FieldRule = {
      kind: 'number',
      value,
      tolerance,
      magnitudeOnly: options.magnitudeOnly ?? false,
    };
    const field: FieldExpectation = { key, from, shown, rule, absentOk: options.absentOk ?? false };
    this.add(options.why === undefined ? field : { ...field, why: options.why });
  }

  /** A value where 0 means "not available" (ITU): IMO, ship type, dimensions, draught, aid type. */
  zeroIsUnavailable(key: OurKey, from: string, shown: unknown, value: number, tolerance = 0): void {
    const unavailable = value === 0;
    this.number(key, from, shown, value, tolerance + EPSILON, {
      absentOk: unavailable,
      ...(unavailable ? { why: '0 = not available (ITU-R M.1371)' } : {}),
    });
  }

  text(key: OurKey, from: string, shown: unknown, libaisCharset: boolean): void {
    if (shown === null || shown === undefined) {
      this.absent(key, from, shown, 'reference printed null');
      return;
    }
    if (typeof shown !== 'string') throw new Error(`${from}: expected text, got ${String(shown)}.`);
    const value = trimAisText(shown);
    const field: FieldExpectation = {
      key,
      from,
      shown,
      rule: { kind: 'text', value, libaisCharset },
      absentOk: value === '',
    };
    this.add(value === '' ? { ...field, why: 'all padding = not available' } : field);
  }

  boolean(key: OurKey, from: string, shown: unknown): void {
    const n = asNumber(shown);
    if (n === undefined) throw new Error(`${from}: expected a flag, got ${String(shown)}.`);
    this.add({ key, from, shown, rule: { kind: 'boolean', value: n !== 0 }, absentOk: false });
  }

  eta(from: string, shown: unknown, eta: string): void {
    const unavailable = etaHasUnavailablePart(eta);
    const field: FieldExpectation = {
      key: 'eta',
      from,
      shown,
      rule: { kind: 'text', value: eta, libaisCharset: false },
      absentOk: unavailable,
    };
    this.add(unavailable ? { ...field, why: 'ETA part not available or invalid' } : field);
  }

  /**
   * Cross-field rules: a position is a pair, so when one coordinate is n/a or out of range the
   * other may be left out too; values outside the ITU range may be dropped.
   */
  finish(): FieldExpectation[] {
    const lat = this.fields.find((f) => f.key === 'lat');
    const lon = this.fields.find((f) => f.key === 'lon');
    const outOfRange = (f: FieldExpectation | undefined, limit: number): boolean =>
      f !== undefined && f.rule.kind === 'number' && Math.abs(f.rule.value) > limit;
    const latBad = lat !== undefined && (lat.rule.kind === 'absent' || outOfRange(lat, 90));
    const lonBad = lon !== undefined && (lon.rule.kind === 'absent' || outOfRange(lon, 180));
    return this.fields.map((f) => {
      if (f.absentOk || f.rule.kind !== 'number') return f;
      const v = f.rule.value;
      if (f.key === 'lat' && outOfRange(f, 90)) return invalid(f, 'latitude outside ±90°');
      if (f.key === 'lon' && outOfRange(f, 180)) return invalid(f, 'longitude outside ±180°');
      if (f.key === 'lat' && lonBad) return invalid(f, 'position pair: longitude n/a or invalid');
      if (f.key === 'lon' && latBad) return invalid(f, 'position pair: latitude n/a or invalid');
      if (f.key === 'cog' && v >= 360) return invalid(f, 'course ≥ 360° is invalid (ITU)');
      if (f.key === 'heading' && v >= 360) return invalid(f, 'heading 360-510 is invalid (ITU)');
      return f;
    });
  }
}

function invalid(field: FieldExpectation, why: string): FieldExpectation {
  return { ...field, absentOk: true, why };
}
