/**
 * Encoding of values for `COPY ... FROM STDIN` in text format (PostgreSQL docs, COPY, "Text
 * Format"): columns separated by tab, rows by newline, NULL as `\N`, and backslash, tab, newline
 * and carriage return escaped with a backslash.
 */

/** The NULL marker of the text format. */
export const COPY_NULL = '\\N';

const NEEDS_COPY_ESCAPE = /[\\\t\n\r]/;

/** A text value as a COPY text field. */
export function copyTextField(value: string): string {
  if (!NEEDS_COPY_ESCAPE.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

/** Array elements that need no quotes: common station and member ids. */
const PLAIN_ELEMENT = /^[A-Za-z0-9_.:\-/]+$/;

/**
 * A text[] value as a COPY text field: the array literal (`{a,"b c"}`; elements quoted when
 * empty, `NULL`, or holding braces, commas, quotes, backslashes or spaces), then escaped for
 * COPY.
 */
export function copyTextArrayField(values: readonly string[]): string {
  let literal = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (i > 0) literal += ',';
    literal +=
      PLAIN_ELEMENT.test(v) && v.toUpperCase() !== 'NULL'
        ? v
        : `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  }
  return copyTextField(`${literal}}`);
}

/** A number as a COPY field (`\N` for undefined and for NaN/Infinity, which AIS never means). */
export function copyNumberField(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? COPY_NULL : String(value);
}
