/**
 * The `checkpoint` benchmark's measurement, run by `checkpoint.bench.ts` in a child started with
 * `--expose-gc`: a FusionCore (every default detector, the bench zone set) fed seeded traffic as
 * `replay` feeds it, then, run after run, the state checkpoint the worker takes of its core
 * (`encodeWorkerState` on the core alone), the restore into a freshly built core, and the
 * baseline: a fresh core fusing the same input again (a restart without a checkpoint). Every
 * restored and rebuilt core is checked against the one the checkpoint was taken of.
 */

import { gunzipSync, gzipSync } from 'node:zlib';
import { StreamDecoder } from '../src/ais/stream-decoder.js';
import { DEFAULT_CORE_CONFIG } from '../src/pipeline/core-config.js';
import { coreStateExternals } from '../src/pipeline/core-state.js';
import { defaultDetectors } from '../src/pipeline/default-detectors.js';
import { type CoreOutput, type CoreStats, FusionCore } from '../src/pipeline/fusion-core.js';
import { encodeState, restoreState } from '../src/state/state-graph.js';
import { childInput, childResult } from './child.js';
import type { FleetSegment } from './fleet.js';
import { benchFleet, feedFleetLines } from './fleet-core.js';
import type { benchZoneSet } from './zone-set.js';

export interface CheckpointProbeInput {
  vessels: number;
  seed: number;
  /** Event time of traffic fed before the checkpoint (every vessel reports in the first 30 s). */
  feedSeconds: number;
  /** The watermark's lag behind the newest event time (`replay`: the allowed lateness). */
  latenessSeconds: number;
  /** The line loop moves the watermark after every this many lines, as `replay` after a chunk. */
  advanceEveryLines: number;
  /** Measured take → restore → rebuild rounds. */
  runs: number;
}

/** What a checkpoint was taken of; a restored or rebuilt core must show the same. */
export interface CoreFigures {
  tracks: number;
  queuedReports: number;
  pendingTimers: number;
  /** Alerts raised so far, by kind. */
  alertsRaised: Record<string, number>;
  newestEventTime: number;
  releasedUntil: number;
  stats: CoreStats;
}

export interface CheckpointProbeResult {
  vessels: number;
  lines: number;
  messages: number;
  /** Event time fed, and how much of it still waits in the event-time queue, seconds. */
  eventSeconds: number;
  queuedSeconds: number;
  figures: CoreFigures;
  /** Wall seconds of the first feed (JIT warm-up included): not a measurement. */
  firstFeedSeconds: number;
  /** Per run, milliseconds: `encodeState`, `gzipSync` level 1, and their sum. */
  takeMs: number[];
  encodeMs: number[];
  gzipMs: number[];
  /** Per run: the snapshot before and after gzip, bytes. */
  rawBytes: number[];
  gzipBytes: number[];
  /** Per run, milliseconds: a fresh core, `gunzipSync`, `restoreState`, and their sum. */
  restoreMs: number[];
  gunzipMs: number[];
  restoreStateMs: number[];
  /** Per run, milliseconds: a fresh core and fresh decoders through the same lines again. */
  rebuildMs: number[];
  /** Heap used right after a restore (the mirror's garbage included), the highest, MiB. */
  heapUsedMiB: number;
}

/** Lines fed to a small core whose checkpoint is taken and restored before any timing (JIT). */
const WARMUP_LINES = 20_000;

/** Every core gets the same output: the snapshot names it `core.output`, the restore maps it. */
const output: CoreOutput = { alert: () => {} };

function newCore(zones: ReturnType<typeof benchZoneSet>['index']): FusionCore {
  const config = DEFAULT_CORE_CONFIG;
  return new FusionCore(config, zones, output, defaultDetectors(config));
}

/** decode → core over the segments (fleet-core.ts), at most `maxLines` lines, then the watermark. */
function feed(
  segments: readonly FleetSegment[],
  members: readonly string[],
  core: FusionCore,
  latenessMs: number,
  advanceEveryLines: number,
  maxLines = Number.POSITIVE_INFINITY,
): void {
  const decoders = members.map(() => new StreamDecoder({ requireTime: true }));
  const count = { line: 0, maxLines };
  for (const segment of segments) {
    feedFleetLines(segment, decoders, members, core, latenessMs, advanceEveryLines, count);
  }
  core.advance(core.newestEventTime - latenessMs);
}

function figuresOf(core: FusionCore): CoreFigures {
  return {
    tracks: core.tracks.size,
    queuedReports: core.queuedReports,
    pendingTimers: core.pendingTimers,
    alertsRaised: Object.fromEntries(core.alerts.raised),
    newestEventTime: core.newestEventTime,
    releasedUntil: core.releasedUntil,
    stats: { ...core.stats },
  };
}

/** Fails the probe (and so the benchmark) when `core` does not match what the checkpoint held. */
function check(what: string, core: FusionCore, expected: CoreFigures): void {
  const actual = JSON.stringify(figuresOf(core));
  const wanted = JSON.stringify(expected);
  if (actual !== wanted) {
    throw new Error(`checkpoint probe: the ${what} core differs: ${actual}, expected ${wanted}.`);
  }
}

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('checkpoint probe: run node with --expose-gc.');
  collect();
}

function ms(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6;
}

interface Taken {
  bytes: Buffer;
  rawBytes: number;
  encodeMs: number;
  gzipMs: number;
}

/** `encodeWorkerState` on the core alone (src/worker/worker-state.ts). */
function take(core: FusionCore): Taken {
  const encodeStarted = process.hrtime.bigint();
  const raw = encodeState(core, coreStateExternals(core, output).byObject);
  const encodeMs = ms(encodeStarted);
  const gzipStarted = process.hrtime.bigint();
  const bytes = gzipSync(raw, { level: 1 });
  return { bytes, rawBytes: raw.length, encodeMs, gzipMs: ms(gzipStarted) };
}

/** `restoreWorkerState` on the core alone, into a core built here. */
function restore(
  bytes: Buffer,
  zones: ReturnType<typeof benchZoneSet>['index'],
): { core: FusionCore; gunzipMs: number; restoreStateMs: number } {
  const fresh = newCore(zones);
  const gunzipStarted = process.hrtime.bigint();
  const raw = gunzipSync(bytes);
  const gunzipMs = ms(gunzipStarted);
  const restoreStarted = process.hrtime.bigint();
  restoreState(raw, fresh, coreStateExternals(fresh, output).byName);
  return { core: fresh, gunzipMs, restoreStateMs: ms(restoreStarted) };
}

/** Takes a checkpoint of `core`, timed; returns the compressed bytes. */
function takeRun(core: FusionCore, result: CheckpointProbeResult): Buffer {
  gc();
  const started = process.hrtime.bigint();
  const taken = take(core);
  result.takeMs.push(ms(started));
  result.encodeMs.push(taken.encodeMs);
  result.gzipMs.push(taken.gzipMs);
  result.rawBytes.push(taken.rawBytes);
  result.gzipBytes.push(taken.bytes.length);
  return taken.bytes;
}

/**
 * Restores `bytes` into a fresh core, timed, and checks it; in a frame of its own, so that the
 * restored core does not outlive it.
 */
function restoreRun(
  bytes: Buffer,
  zones: ReturnType<typeof benchZoneSet>['index'],
  result: CheckpointProbeResult,
): void {
  gc();
  const started = process.hrtime.bigint();
  const restored = restore(bytes, zones);
  result.restoreMs.push(ms(started));
  result.gunzipMs.push(restored.gunzipMs);
  result.restoreStateMs.push(restored.restoreStateMs);
  check('restored', restored.core, result.figures);
  result.heapUsedMiB = Math.max(result.heapUsedMiB, process.memoryUsage().heapUsed / 2 ** 20);
}

/** The baseline: a fresh core fuses the same input again; returns it once checked. */
function rebuildRun(
  segments: readonly FleetSegment[],
  members: readonly string[],
  zones: ReturnType<typeof benchZoneSet>['index'],
  latenessMs: number,
  every: number,
  result: CheckpointProbeResult,
): FusionCore {
  gc();
  const started = process.hrtime.bigint();
  const rebuilt = newCore(zones);
  feed(segments, members, rebuilt, latenessMs, every);
  result.rebuildMs.push(ms(started));
  check('rebuilt', rebuilt, result.figures);
  return rebuilt;
}

function log(message: string): void {
  process.stderr.write(`[bench] checkpoint: ${message}\n`);
}

function main(): void {
  const input = childInput<CheckpointProbeInput>();
  const latenessMs = input.latenessSeconds * 1000;
  const every = input.advanceEveryLines;
  const { zoneSet, fleet } = benchFleet(input.seed, input.vessels);
  const zones = zoneSet.index;
  const members = fleet.members;
  // The input, kept for the rebuilds: the lines live outside the V8 heap (Buffers).
  const segments: FleetSegment[] = [];
  const fromMs = fleet.timeMs;
  while (fleet.timeMs < fromMs + input.feedSeconds * 1000) segments.push(fleet.nextSeconds(10));
  const lines = segments.reduce((n, s) => n + s.lines, 0);
  const messages = segments.reduce((n, s) => n + s.messages, 0);

  // Warm-up: compiled code for feeding, taking, restoring and checking, on a small core.
  const small = newCore(zones);
  feed(segments, members, small, latenessMs, every, WARMUP_LINES);
  check('warm-up restored', restore(take(small).bytes, zones).core, figuresOf(small));

  const started = process.hrtime.bigint();
  let core: FusionCore | undefined = newCore(zones);
  feed(segments, members, core, latenessMs, every);
  const firstFeedSeconds = ms(started) / 1000;
  const figures = figuresOf(core);
  if (figures.tracks < input.vessels || figures.queuedReports === 0) {
    throw new Error(
      `checkpoint probe: ${input.feedSeconds} s of traffic of ${input.vessels} vessels left ${figures.tracks} tracks and ${figures.queuedReports} queued reports: every vessel should have a track and the queue should hold reports.`,
    );
  }
  log(
    `${input.vessels} vessels: ${lines} lines, ${figures.tracks} tracks, ${figures.queuedReports} reports queued, fed in ${firstFeedSeconds.toFixed(1)} s`,
  );

  const result: CheckpointProbeResult = {
    vessels: input.vessels,
    lines,
    messages,
    eventSeconds: (figures.newestEventTime - fromMs) / 1000,
    queuedSeconds: (figures.newestEventTime - figures.releasedUntil) / 1000,
    figures,
    firstFeedSeconds,
    takeMs: [],
    encodeMs: [],
    gzipMs: [],
    rawBytes: [],
    gzipBytes: [],
    restoreMs: [],
    gunzipMs: [],
    restoreStateMs: [],
    rebuildMs: [],
    heapUsedMiB: 0,
  };
  for (let run = 0; run < input.runs; run++) {
    const bytes = takeRun(core, result);
    // The core the checkpoint was taken of goes before the restore (its figures are kept), and
    // the next run takes its checkpoint of the rebuilt core, fused from input like the first:
    // no more than two big cores (or a core and a snapshot's mirror) live at a time.
    core = undefined;
    restoreRun(bytes, zones, result);
    core = rebuildRun(segments, members, zones, latenessMs, every, result);
    log(
      `${input.vessels} vessels, run ${run + 1}/${input.runs}: take ${result.takeMs.at(-1)!.toFixed(0)} ms, restore ${result.restoreMs.at(-1)!.toFixed(0)} ms, rebuild ${result.rebuildMs.at(-1)!.toFixed(0)} ms`,
    );
  }
  childResult(result);
}

try {
  main();
} catch (error) {
  // On stdout: runBenchChild puts the end of it into the benchmark's failure (at 500 k vessels,
  // encodeState's memo outgrows a Map's 2^24 entries: `RangeError: Map maximum size exceeded`).
  process.stdout.write(`${error instanceof Error ? (error.stack ?? error.message) : error}\n`);
  process.exitCode = 1;
}
