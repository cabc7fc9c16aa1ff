/**
 * Longest line taken as NMEA, bytes without its line ending (`\n`, and a `\r` before it). An
 * NMEA 0183 sentence is at most 82 characters, and an NMEA 4.10 tag block or a provider's trailing
 * fields add a few dozen: a longer line is not NMEA (a binary stream, an HTML error page, a lost
 * newline). The decoder rejects one as `syntax`; the feed bridge sends one cut to
 * `CUT_LINE_BYTES` so that the worker rejects and dead-letters it.
 */
export const MAX_LINE_BYTES = 8192;
