/**
 * Numeric command-line options, checked where they enter, with one message shape for every
 * command: the option, the text given, what it should be (`--max-lines "0" is not an integer >= 1.`).
 *
 * The commands call these from their run functions rather than through commander's `argParser`:
 * commander exits 1 on a bad argument, the commands exit 2 on a bad option, and their run
 * functions take options as text (as `main.ts` and the tests pass them).
 */

/** Decimal digits, optionally signed: not `1e3`, `0x10` or `1.0`. */
const INTEGER_TEXT = /^[+-]?\d+$/;
const UNSIGNED_TEXT = /^\d+$/;

/** Any finite number (`1.5`, `-2`, `1e3`). */
export function numberOption(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw invalidOption(name, text, 'a number');
  return value;
}

/** A finite number above 0 (a speed, a duration that must pass). */
export function positiveNumberOption(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw invalidOption(name, text, 'a number > 0');
  }
  return value;
}

/** A finite number from 0 up (a wait that may be none). */
export function nonNegativeNumberOption(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw invalidOption(name, text, 'a number >= 0');
  }
  return value;
}

/** An integer written in decimal digits, at least `min` when given. */
export function integerOption(name: string, text: string, min?: number): number {
  const value = Number(text);
  if (!INTEGER_TEXT.test(text.trim()) || (min !== undefined && value < min)) {
    throw invalidOption(name, text, min === undefined ? 'an integer' : `an integer >= ${min}`);
  }
  return value;
}

/**
 * A TCP/UDP port from `min` to 65535: 0 (the default `min`) means any free one, where the
 * command listens; a port to connect to or to receive on starts at 1.
 */
export function portOption(name: string, text: string, min = 0): number {
  if (!isPortText(text, min)) throw invalidOption(name, text, `a port number in ${min}..65535`);
  return Number(text);
}

/** Decimal digits naming a port from `min` to 65535 (`hostPortOption` checks its port with it). */
export function isPortText(text: string, min: number): boolean {
  const value = Number(text);
  return UNSIGNED_TEXT.test(text.trim()) && value >= min && value <= 65_535;
}

/** The error of a bad option value: `--NAME "TEXT" is not EXPECTED.` */
export function invalidOption(name: string, text: string, expected: string): RangeError {
  return new RangeError(`--${name} "${text}" is not ${expected}.`);
}
