import { nmeaChecksum } from '../ais/sentence-writer.js';
import type { Random } from '../util/random.js';

/**
 * Broken lines a feed carries (DESIGN.md §4: each must be rejected, none may crash the
 * pipeline): a sentence with a bit error (its checksum no longer matches), a line cut off in
 * its payload, and a line of garbage between messages.
 */
export const MALFORMED_KINDS = ['checksum', 'truncated', 'garbage'] as const;
export type MalformedKind = (typeof MALFORMED_KINDS)[number];

const ARMOUR = '0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVW`abcdefghijklmnopqrstuvw';

/** Where the payload (field 6) of the sentence in `line` lies, after any tag block. */
function payloadSpan(line: string): { start: number; end: number } {
  let at = line.lastIndexOf('\\') + 1;
  for (let commas = 0; commas < 5; commas++) at = line.indexOf(',', at) + 1;
  return { start: at, end: line.indexOf(',', at) };
}

/** One payload character changed: the NMEA checksum no longer matches (reason `checksum`). */
export function corruptPayload(line: string, random: Random): string {
  const { start, end } = payloadSpan(line);
  const at = random.int(start, end - 1);
  let replacement = line[at]!;
  while (replacement === line[at]) replacement = random.pick(ARMOUR.split(''));
  return line.slice(0, at) + replacement + line.slice(at + 1);
}

/** The line cut off inside its payload, as a dropped connection leaves it (reason `syntax`). */
export function truncateLine(line: string, random: Random): string {
  const { start, end } = payloadSpan(line);
  return line.slice(0, random.int(start + 1, end - 1));
}

const NOISE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789,.:;*!$=?@^~_/+-';

/**
 * A line that is no AIS sentence: serial-line noise, or a valid NMEA sentence of another kind
 * (a GPS time fix, reason `non_ais`). Never blank and never starting with `#`, `\` or a digit,
 * which the decoder would take as a comment, a tag block or a receive time.
 */
export function garbageLine(random: Random, atMs: number): string {
  if (random.chance(0.3)) {
    const t = new Date(atMs);
    const two = (n: number) => String(n).padStart(2, '0');
    const body = `GPZDA,${two(t.getUTCHours())}${two(t.getUTCMinutes())}${two(t.getUTCSeconds())}.00,${two(t.getUTCDate())},${two(t.getUTCMonth() + 1)},${t.getUTCFullYear()},00,00`;
    return `$${body}*${nmeaChecksum(body)}`;
  }
  let s = random.pick(['~', '^', 'x', 'Q', '@', '?']);
  for (let n = random.int(10, 70); n > 0; n--) s += NOISE[random.int(0, NOISE.length - 1)];
  return s;
}
