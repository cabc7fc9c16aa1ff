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
  if (text.trim() === '' || !Number.isFinite(value)) throw invalid(name, text, 'a number');
  return value;
}

/** A finite number above 0 (a speed, a duration that must pass). */
export function positiveNumberOption(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw invalid(name, text, 'a number > 0');
  }
  return value;
}

/** A finite number from 0 up (a wait that may be none). */
export function nonNegativeNumberOption(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw invalid(name, text, 'a number >= 0');
  }
  return value;
}

/** An integer written in decimal digits, at least `min` when given. */
export function integerOption(name: string, text: string, min?: number): number {
  const value = Number(text);
  if (!INTEGER_TEXT.test(text.trim()) || (min !== undefined && value < min)) {
    throw invalid(name, text, min === undefined ? 'an integer' : `an integer >= ${min}`);
  }
  return value;
}

/** A TCP/UDP port to listen on, 0 meaning any free one. */
export function portOption(name: string, text: string): number {
  const value = Number(text);
  if (!UNSIGNED_TEXT.test(text.trim()) || value > 65_535) {
    throw invalid(name, text, 'a port number in 0..65535');
  }
  return value;
}

function invalid(name: string, text: string, expected: string): RangeError {
  return new RangeError(`--${name} "${text}" is not ${expected}.`);
}
