import type { StreamDecoder } from '../src/ais/stream-decoder.js';
import type { FusionCore } from '../src/pipeline/fusion-core.js';
import { type FleetOptions, type FleetSegment, FleetStream } from './fleet.js';
import { type BenchZoneSet, benchZoneSet } from './zone-set.js';

const NEWLINE = 0x0a;

/** The benchmarks' traffic: the seeded zone set, and a fleet sailing in its area and ports. */
export function benchFleet(
  seed: number,
  vessels: number,
  options: Omit<FleetOptions, 'vessels' | 'seed' | 'area' | 'ports'> = {},
): { zoneSet: BenchZoneSet; fleet: FleetStream } {
  const zoneSet = benchZoneSet(seed);
  const fleet = new FleetStream({
    ...options,
    vessels,
    seed,
    area: zoneSet.area,
    ports: zoneSet.ports,
  });
  return { zoneSet, fleet };
}

/** Where `feedFleetLines` is in the fleet's lines: how many it has fed, and where to stop. */
export interface LineCount {
  line: number;
  readonly maxLines: number;
}

/**
 * decode → core, line by line, as `replay`'s FeedReader does: one decoder per member feed, and
 * the watermark (newest event time less the allowed lateness) moved every `advanceEveryLines`
 * lines, counted across calls by `count` (so a rebuild moves it at exactly the same points).
 * Stops at `count.maxLines`. The caller moves the watermark at the end.
 */
export function feedFleetLines(
  segment: FleetSegment,
  decoders: readonly StreamDecoder[],
  members: readonly string[],
  core: FusionCore,
  latenessMs: number,
  advanceEveryLines: number,
  count: LineCount = { line: 0, maxLines: Number.POSITIVE_INFINITY },
): void {
  const buf = segment.bytes;
  const lineMember = segment.lineMember;
  let line = count.line;
  const maxLines = count.maxLines;
  let start = 0;
  for (let i = 0; i < segment.lines && line < maxLines; i++) {
    const end = buf.indexOf(NEWLINE, start);
    const member = lineMember[i]!;
    const decoder = decoders[member]!;
    if (decoder.decodeLine(buf, start, end) === 'message') {
      const m = decoder.message;
      core.ingest(m, members[member]!, m.station);
    }
    start = end + 1;
    if (++line % advanceEveryLines === 0) core.advance(core.newestEventTime - latenessMs);
  }
  count.line = line;
}
