/** Value of an ASCII hex digit, or -1. */
export function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/** XOR of the bytes `buf[start..end)`: the NMEA 0183 sentence and tag-block checksum. */
export function xorChecksum(buf: Uint8Array, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum ^= buf[i]!;
  return sum;
}

/** The two hex digits at `buf[at]`, `buf[at + 1]` as a byte, or -1 when they are not hex. */
export function readHexByte(buf: Uint8Array, at: number, end: number): number {
  if (at + 2 > end) return -1;
  const hi = hexValue(buf[at]!);
  const lo = hexValue(buf[at + 1]!);
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}
