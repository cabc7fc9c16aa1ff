/**
 * One scenario of the `core` benchmark, run in its own process by `core.bench.ts` (through
 * `child.ts`): a seeded fleet of `vessels` live vessels over the bench zone set, its members'
 * NMEA lines pushed through decode → dedupe → fuse → index → zones → detect (FusionCore with
 * every default detector), the core alone on the same kind of traffic decoded beforehand, and
 * the naive baseline, each timed segment by segment after a warm-up.
 */

import { PerformanceObserver, performance } from 'node:perf_hooks';
import { AisMessage } from '../src/ais/ais-message.js';
import { StreamDecoder } from '../src/ais/stream-decoder.js';
import { DEFAULT_CORE_CONFIG } from '../src/pipeline/core-config.js';
import { defaultDetectors } from '../src/pipeline/default-detectors.js';
import { FusionCore } from '../src/pipeline/fusion-core.js';
import { childInput, childResult } from './child.js';
import { profileSelfTime, type SelfTime } from './cpu-profile.js';
import { DecodedMessages } from './decoded-messages.js';
import type { FleetSegment } from './fleet.js';
import { benchFleet, feedFleetLines } from './fleet-core.js';
import { NaiveCore } from './naive-core.js';

export interface CoreScenarioInput {
  vessels: number;
  seed: number;
  /** Lines per timed segment (whole seconds of traffic, at least this many lines). */
  segmentLines: number;
  /** Timed segments per path. */
  runs: number;
  /** Event time fed before timing: the queue and the detectors reach their steady state. */
  warmupSeconds: number;
  /** Lines of each full-path segment the naive baseline is timed on (it is slow). */
  naiveLines: number;
  /** The watermark's lag behind the newest event time (`replay`: the allowed lateness). */
  latenessSeconds: number;
  /** The line loop moves the watermark after every this many lines, as `replay` after a chunk. */
  advanceEveryLines: number;
  /**
   * When the full path's median is under this rate (reports/s), profile that many more
   * segments of it and return the functions by self time.
   */
  profileBelowRate: number;
  profileSegments: number;
}

/** Per timed segment: wall seconds, the work done, and what garbage collection took of it. */
export interface TimedPath {
  seconds: number[];
  messages: number[];
  lines: number[];
  /** Garbage-collection pauses within the segment (V8 `gc` performance entries), seconds. */
  gcSeconds: number[];
  /** CPU time of the process (every thread: V8 collects garbage in helpers too), seconds. */
  cpuSeconds: number[];
}

export interface CoreScenarioResult {
  vessels: number;
  full: TimedPath;
  /** The full path's segments decoded again by other decoders, nothing else. */
  decodeOnly: TimedPath;
  coreAlone: TimedPath;
  naive: TimedPath;
  /** Event seconds per timed segment (mean), lines of warm-up, its wall seconds. */
  eventSecondsPerSegment: number;
  warmupLines: number;
  warmupWallSeconds: number;
  /** Share of the timed messages that were another member's copy. */
  duplicateShare: number;
  positionShare: number;
  tracks: number;
  naiveTracks: number;
  coreStats: FusionCore['stats'];
  pendingTimers: number;
  alerts: number;
  naiveCrossings: number;
  heapUsedMiB: number;
  profile: SelfTime[] | undefined;
}

const NEWLINE = 10;
/** Every vessel's first position report comes in the first 30 s (fleet.ts): the naive primes on them. */
const NAIVE_PRIME_SECONDS = 32;

/** decode → core over one segment (fleet-core.ts), then the watermark to its end. */
function feedCore(
  segment: FleetSegment,
  decoders: readonly StreamDecoder[],
  members: readonly string[],
  core: FusionCore,
  latenessMs: number,
  advanceEveryLines: number,
): void {
  feedFleetLines(segment, decoders, members, core, latenessMs, advanceEveryLines);
  core.advance(core.newestEventTime - latenessMs);
}

/** Decode alone: the full path's line loop without the core. */
function decodeLines(segment: FleetSegment, decoders: readonly StreamDecoder[]): void {
  const buf = segment.bytes;
  const lineMember = segment.lineMember;
  const length = buf.length;
  let start = 0;
  let line = 0;
  while (start < length) {
    const end = buf.indexOf(NEWLINE, start);
    decoders[lineMember[line++]!]!.decodeLine(buf, start, end);
    start = end + 1;
  }
}

/** The core alone: the same calls with messages decoded beforehand. */
function feedDecoded(
  decoded: DecodedMessages,
  m: AisMessage,
  members: readonly string[],
  core: FusionCore,
  latenessMs: number,
): void {
  const count = decoded.count;
  const member = decoded.member;
  const advanceAfter = decoded.advanceAfter;
  for (let i = 0; i < count; i++) {
    decoded.fill(i, m);
    core.ingest(m, members[member[i]!]!, m.station);
    if (advanceAfter[i] === 1) core.advance(core.newestEventTime - latenessMs);
  }
  core.advance(core.newestEventTime - latenessMs);
}

/** The naive baseline on the first `lines` lines of a segment; returns the messages fed. */
function feedNaive(
  segment: FleetSegment,
  lines: number,
  decoders: readonly StreamDecoder[],
  members: readonly string[],
  naive: NaiveCore,
  advanceEveryLines: number,
): number {
  const buf = segment.bytes;
  const lineMember = segment.lineMember;
  const last = Math.min(lines, segment.lines);
  let start = 0;
  let newest = Number.NEGATIVE_INFINITY;
  let messages = 0;
  for (let line = 0; line < last; line++) {
    const end = buf.indexOf(NEWLINE, start);
    const member = lineMember[line]!;
    const decoder = decoders[member]!;
    if (decoder.decodeLine(buf, start, end) === 'message') {
      const m = decoder.message;
      if (m.receivedAt! > newest) newest = m.receivedAt!;
      naive.ingest(m, members[member]!, m.station);
      messages++;
    }
    start = end + 1;
    if ((line + 1) % advanceEveryLines === 0) naive.advance(newest);
  }
  naive.advance(newest);
  return messages;
}

function seconds(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function newPath(): TimedPath {
  return { seconds: [], messages: [], lines: [], gcSeconds: [], cpuSeconds: [] };
}

/**
 * Times `work` into `path`; the pauses of the garbage collector that fall within it are added
 * once the observer has delivered them (`settleGc`).
 */
class Stopwatch {
  private readonly pauses: { start: number; end: number }[] = [];
  private readonly windows: { path: TimedPath; index: number; start: number; end: number }[] = [];
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      this.pauses.push({ start: entry.startTime, end: entry.startTime + entry.duration });
  });

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  time(path: TimedPath, messages: number, lines: number, work: () => void): void {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const started = process.hrtime.bigint();
    work();
    path.seconds.push(seconds(started));
    const end = performance.now();
    const used = process.cpuUsage(cpu);
    path.cpuSeconds.push((used.user + used.system) / 1e6);
    path.messages.push(messages);
    path.lines.push(lines);
    path.gcSeconds.push(0);
    this.windows.push({ path, index: path.seconds.length - 1, start, end });
  }

  /** Waits for the pending gc entries and charges each pause to the window it fell in. */
  async settleGc(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 50));
    this.observer.disconnect();
    for (const w of this.windows) {
      let ms = 0;
      for (const p of this.pauses)
        ms += Math.max(0, Math.min(p.end, w.end) - Math.max(p.start, w.start));
      w.path.gcSeconds[w.index] = ms / 1000;
    }
  }
}

function log(message: string): void {
  process.stderr.write(`[bench] core: ${message}\n`);
}

async function main(): Promise<void> {
  const input = childInput<CoreScenarioInput>();
  const config = DEFAULT_CORE_CONFIG;
  const latenessMs = input.latenessSeconds * 1000;
  const every = input.advanceEveryLines;
  const { zoneSet, fleet } = benchFleet(input.seed, input.vessels);
  const members = fleet.members;
  let alerts = 0;
  const core = new FusionCore(
    config,
    zoneSet.index,
    { alert: () => void alerts++ },
    defaultDetectors(config),
  );
  const newDecoders = () => members.map(() => new StreamDecoder({ requireTime: true }));
  const decoders = newDecoders();
  const naive = new NaiveCore(
    zoneSet.geojson.features.map((f) => ({
      id: f.properties.id,
      coordinates: f.geometry.coordinates,
    })),
    config.dedupeWindowSeconds * 1000,
  );
  const naiveDecoders = newDecoders();
  const decodeOnlyDecoders = newDecoders();

  // Warm-up: every vessel reports (the naive baseline primes on these first seconds, without
  // its zone tests), then enough event time for the event-time queue to fill to its steady
  // depth (lateness + dedupe window) and release as much as comes in.
  const started = process.hrtime.bigint();
  const first = fleet.nextSeconds(NAIVE_PRIME_SECONDS);
  let warmupLines = first.lines;
  feedCore(first, decoders, members, core, latenessMs, every);
  decodeLines(first, decodeOnlyDecoders);
  naive.startPriming();
  feedNaive(first, first.lines, naiveDecoders, members, naive, every);
  naive.endPriming();
  const warmupEndMs = first.fromMs + input.warmupSeconds * 1000;
  let warmupSegments = 0;
  while (fleet.timeMs < warmupEndMs || warmupSegments < 2) {
    const segment = fleet.nextLines(input.segmentLines);
    feedCore(segment, decoders, members, core, latenessMs, every);
    warmupLines += segment.lines;
    warmupSegments++;
  }
  const warmupWallSeconds = seconds(started);
  log(
    `${input.vessels} vessels: warm-up ${warmupLines} lines, ${((fleet.timeMs - first.fromMs) / 1000).toFixed(0)} s of traffic, ${warmupWallSeconds.toFixed(1)} s`,
  );

  const full = newPath();
  const decodeOnly = newPath();
  const coreAlone = newPath();
  const naiveRuns = newPath();
  const stopwatch = new Stopwatch();
  const reused = new AisMessage();
  let eventMs = 0;
  let messages = 0;
  let duplicates = 0;
  let positions = 0;
  for (let run = 0; run < input.runs; run++) {
    // Full path and core alone on consecutive segments of the same traffic, alternately; the
    // naive baseline on the first lines of the full path's segment.
    const a = fleet.nextLines(input.segmentLines);
    stopwatch.time(full, a.messages, a.lines, () =>
      feedCore(a, decoders, members, core, latenessMs, every),
    );
    stopwatch.time(decodeOnly, a.messages, a.lines, () => decodeLines(a, decodeOnlyDecoders));
    let naiveMessages = 0;
    stopwatch.time(naiveRuns, 0, Math.min(a.lines, input.naiveLines), () => {
      naiveMessages = feedNaive(a, input.naiveLines, naiveDecoders, members, naive, every);
    });
    naiveRuns.messages[naiveRuns.messages.length - 1] = naiveMessages;

    const b = fleet.nextLines(input.segmentLines);
    const decoded = new DecodedMessages(b, decoders, every);
    stopwatch.time(coreAlone, b.messages, b.lines, () =>
      feedDecoded(decoded, reused, members, core, latenessMs),
    );

    for (const segment of [a, b]) {
      eventMs += segment.toMs - segment.fromMs;
      messages += segment.messages;
      duplicates += segment.duplicates;
      positions += segment.positions;
    }
  }
  await stopwatch.settleGc();

  let profile: SelfTime[] | undefined;
  const rates = full.messages.map((n, i) => n / full.seconds[i]!).sort((x, y) => x - y);
  const median = rates[rates.length >> 1] ?? 0;
  if (input.profileSegments > 0 && median < input.profileBelowRate) {
    const segments: FleetSegment[] = [];
    for (let i = 0; i < input.profileSegments; i++)
      segments.push(fleet.nextLines(input.segmentLines));
    log(`${input.vessels} vessels: profiling ${input.profileSegments} segments of the full path`);
    profile = await profileSelfTime(
      () => {
        for (const segment of segments)
          feedCore(segment, decoders, members, core, latenessMs, every);
      },
      { root: process.cwd(), top: 15 },
    );
  }

  const result: CoreScenarioResult = {
    vessels: input.vessels,
    full,
    decodeOnly,
    coreAlone,
    naive: naiveRuns,
    eventSecondsPerSegment: eventMs / 1000 / (2 * input.runs),
    warmupLines,
    warmupWallSeconds,
    duplicateShare: duplicates / messages,
    positionShare: positions / messages,
    tracks: core.tracks.size,
    naiveTracks: naive.tracks.size,
    coreStats: { ...core.stats },
    pendingTimers: core.pendingTimers,
    alerts,
    naiveCrossings: naive.crossings,
    heapUsedMiB: process.memoryUsage().heapUsed / 2 ** 20,
    profile,
  };
  childResult(result);
}

await main();
