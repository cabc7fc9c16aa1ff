/**
 * The `memory` benchmark's measurement, run by `memory.bench.ts` in a child started with
 * `--expose-gc`: heap used by a FusionCore (every default detector, the bench zone set) before
 * and after its vessels' first reports, a full garbage collection before each reading. The same
 * seeded lines go to a fresh core (and fresh decoders) on every run.
 */

import { StreamDecoder } from '../src/ais/stream-decoder.js';
import { DEFAULT_CORE_CONFIG } from '../src/pipeline/core-config.js';
import { defaultDetectors } from '../src/pipeline/default-detectors.js';
import { FusionCore } from '../src/pipeline/fusion-core.js';
import { childInput, childResult } from './child.js';
import type { FleetSegment } from './fleet.js';
import { benchFleet } from './fleet-core.js';
import type { benchZoneSet } from './zone-set.js';

export interface MemoryProbeInput {
  vessels: number;
  seed: number;
  /** Every vessel sends its first position report and its static data within this time. */
  seconds: number;
  runs: number;
}

/** Per run, heap used after a full GC, bytes. */
export interface MemoryProbeResult {
  vessels: number;
  lines: number;
  messages: number;
  /** Distinct reports fused (per run: the same every run). */
  reports: number;
  tracks: number;
  pendingTimers: number;
  /** The empty core. */
  before: number[];
  /** Every message ingested, the last 30 s still in the event-time queue and dedupe index. */
  queued: number[];
  /** A minute of event time later: everything fused, the dedupe window passed. */
  after: number[];
  feedSeconds: number[];
}

const NEWLINE = 10;

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('memory probe: run node with --expose-gc.');
  gc();
  return process.memoryUsage().heapUsed;
}

function newCore(zones: ReturnType<typeof benchZoneSet>['index']): FusionCore {
  const config = DEFAULT_CORE_CONFIG;
  return new FusionCore(config, zones, { alert: () => {} }, defaultDetectors(config));
}

/** Decodes the first `lines` lines of `segment` into `core`, one decoder per member. */
function feed(
  segment: FleetSegment,
  lines: number,
  members: readonly string[],
  decoders: readonly StreamDecoder[],
  core: FusionCore,
): void {
  const buf = segment.bytes;
  let start = 0;
  for (let line = 0; line < lines; line++) {
    const end = buf.indexOf(NEWLINE, start);
    const member = segment.lineMember[line]!;
    const decoder = decoders[member]!;
    if (decoder.decodeLine(buf, start, end) === 'message') {
      core.ingest(decoder.message, members[member]!, decoder.message.station);
    }
    start = end + 1;
  }
}

/**
 * One run, in its own frame: once it returns nothing refers to its core (a core left in a stale
 * register of a long-running frame would survive the next run's collections).
 */
function measure(
  segment: FleetSegment,
  members: readonly string[],
  zones: ReturnType<typeof benchZoneSet>['index'],
  result: MemoryProbeResult,
): void {
  const decoders = members.map(() => new StreamDecoder({ requireTime: true }));
  result.before.push(heapAfterGc());
  const core = newCore(zones);
  const started = process.hrtime.bigint();
  feed(segment, segment.lines, members, decoders, core);
  result.feedSeconds.push(Number(process.hrtime.bigint() - started) / 1e9);
  result.queued.push(heapAfterGc());
  // A minute of silence: the watermark passes every report and the dedupe window; what is left
  // is the state kept per vessel (and per station and coverage cell).
  core.advance(segment.toMs + 60_000 + DEFAULT_CORE_CONFIG.dedupeWindowSeconds * 1000);
  result.after.push(heapAfterGc());
  result.messages = core.stats.messages;
  result.reports = core.stats.reports;
  result.tracks = core.tracks.size;
  result.pendingTimers = core.pendingTimers;
}

function main(): void {
  const input = childInput<MemoryProbeInput>();
  const { zoneSet, fleet } = benchFleet(input.seed, input.vessels, {
    firstPositionWithinSeconds: input.seconds,
    firstStaticWithinSeconds: input.seconds,
  });
  const members = fleet.members;
  // The lines live outside the V8 heap (a Buffer): they are not counted.
  const segment = fleet.nextSeconds(input.seconds);
  const newDecoders = () => members.map(() => new StreamDecoder({ requireTime: true }));
  // Warm-up: compiled code and the decoders' interned strings are not vessel state.
  feed(segment, Math.min(segment.lines, 20_000), members, newDecoders(), newCore(zoneSet.index));

  const result: MemoryProbeResult = {
    vessels: input.vessels,
    lines: segment.lines,
    messages: 0,
    reports: 0,
    tracks: 0,
    pendingTimers: 0,
    before: [],
    queued: [],
    after: [],
    feedSeconds: [],
  };
  for (let run = 0; run < input.runs; run++) measure(segment, members, zoneSet.index, result);
  childResult(result);
}

main();
