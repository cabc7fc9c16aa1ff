import { TagBlock } from './tag-block.js';

const BACKSLASH = 92;

/** Reused: the function runs once per line of a played feed. */
const tagBlock = new TagBlock();

/**
 * The receive time of a line that opens with an NMEA 4.x tag block (`\c:1717200000*hh\!AIVDM...`),
 * in epoch ms, read by the decoder's own `TagBlock` (seconds, or milliseconds from 12 digits on),
 * so whatever orders or paces lines by this time agrees with the `receivedAt` they decode to.
 * NaN when the line opens with no tag block, its tag block has no `c:`, or the decoder would
 * reject the tag block.
 */
export function tagBlockTimeMs(line: string): number {
  if (line.charCodeAt(0) !== BACKSLASH) return Number.NaN;
  const close = line.indexOf('\\', 1);
  if (close < 0) return Number.NaN;
  // Only the tag block, not the sentence behind it.
  const bytes = Buffer.from(line.slice(0, close + 1), 'latin1');
  return tagBlock.parse(bytes, 0, bytes.length) < 0 ? Number.NaN : tagBlock.receivedAt;
}
