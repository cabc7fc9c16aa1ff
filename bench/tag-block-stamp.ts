import { nmeaChecksum } from '../src/ais/sentence-writer.js';

/**
 * `line` with the receive time of its NMEA 4.10 tag block (`c:`) set to `timeMs`, written in
 * milliseconds (the decoder reads seconds or milliseconds, src/ais/tag-block.ts), and the tag
 * block's checksum recomputed. A line without a tag block, or whose tag block has no `c:`, is
 * returned unchanged (the second sentence of a group carries only `g:`). The end-to-end
 * benchmark stamps simulated traffic with the time it appends it to Kafka, so event time moves
 * with the wall clock and a report's latency is measured from its own append time.
 */
export function stampReceiveTime(line: string, timeMs: number): string {
  if (line.charCodeAt(0) !== 92 /* \ */) return line;
  const close = line.indexOf('\\', 1);
  if (close < 0) return line;
  const star = line.lastIndexOf('*', close);
  const fieldsEnd = star > 0 ? star : close;
  const fields = line.slice(1, fieldsEnd);
  const first = fields.startsWith('c:');
  const at = first ? 0 : fields.indexOf(',c:') + 1;
  if (at === 0 && !first) return line;
  let valueEnd = fields.indexOf(',', at);
  if (valueEnd < 0) valueEnd = fields.length;
  const stamped = `${fields.slice(0, at)}c:${timeMs}${fields.slice(valueEnd)}`;
  const checksum = star > 0 ? `*${nmeaChecksum(stamped)}` : '';
  return `\\${stamped}${checksum}${line.slice(close)}`;
}
