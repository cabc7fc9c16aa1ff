/** Parses unsigned decimal digits `buf[start..end)`; -1 when empty or not all digits. */
export function parseDigits(buf: Uint8Array, start: number, end: number): number {
  if (start >= end) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * Parses an epoch time stamp `buf[start..end)` — seconds (optionally with a fraction) or, from
 * 12 integer digits on, milliseconds — into milliseconds; NaN when malformed.
 */
export function parseEpochMillis(buf: Uint8Array, start: number, end: number): number {
  let integer = 0;
  let digits = 0;
  let i = start;
  for (; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) break;
    integer = integer * 10 + d;
    digits++;
  }
  if (digits === 0) return Number.NaN;
  let fraction = 0;
  let scale = 1;
  if (i < end && buf[i] === 46 /* . */) {
    for (i++; i < end; i++) {
      const d = buf[i]! - 48;
      if (d < 0 || d > 9) return Number.NaN;
      if (scale < 1e6) {
        fraction = fraction * 10 + d;
        scale *= 10;
      }
    }
  }
  if (i !== end) return Number.NaN;
  // 12+ digits cannot be seconds before the year 5138: they are milliseconds (AMSA, Kystverket).
  if (digits >= 12) return integer;
  return integer * 1000 + Math.round((fraction / scale) * 1000);
}
