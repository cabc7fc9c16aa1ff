/**
 * The `pictures` benchmark's measurement (issue 13), run by `pictures.bench.ts` in a child
 * started with `--expose-gc`: a seeded fleet's messages, decoded beforehand, through one plain
 * FusionCore (the baseline) and through a PictureSet of 1, 2, 4 and 8 distinct pictures, each
 * timed segment by segment after a warm-up on a fresh core or set; then the heap each holds.
 *
 * The coalitions are the worst case for cost: every picture sees (nearly) every contribution.
 * Contributors ca, no, au and audience-only members o1..o7; ca withholds its reports inside the
 * small zone area-j from o_j alone, so o_j's picture differs from everybody else's there and
 * nowhere else: k pictures, each fusing about all of the traffic.
 */

import { AisMessage } from '../src/ais/ais-message.js';
import { StreamDecoder } from '../src/ais/stream-decoder.js';
import type { Coalition } from '../src/coalition/coalition.js';
import { parseCoalition } from '../src/coalition/parse-coalition.js';
import type { DetectorFactory } from '../src/detect/detector.js';
import { type CoreConfig, DEFAULT_CORE_CONFIG } from '../src/pipeline/core-config.js';
import { defaultDetectors } from '../src/pipeline/default-detectors.js';
import { FusionCore } from '../src/pipeline/fusion-core.js';
import { PictureSet } from '../src/pipeline/picture-set.js';
import type { ZoneIndex } from '../src/zones/zone-index.js';
import { childInput, childResult } from './child.js';
import { DecodedMessages } from './decoded-messages.js';
import { benchFleet } from './fleet-core.js';

export interface PicturesScenarioInput {
  vessels: number;
  seed: number;
  /** Distinct pictures per PictureSet run (0 stands for the plain core). */
  pictureCounts: number[];
  /** Lines per timed segment. */
  segmentLines: number;
  /** Timed segments per path. */
  runs: number;
  /** Event time fed before timing, so queue and detectors reach their steady state. */
  warmupSeconds: number;
  /** The line loop moves the watermark after every this many lines, as `replay` after a chunk. */
  advanceEveryLines: number;
}

export interface PicturesPathResult {
  /** 0: the plain FusionCore. */
  pictures: number;
  /** Per timed segment: input messages per second of wall time. */
  messagesPerSecond: number[];
  /** Reports fused over all pictures per input message (1 core: about 1 - duplicates). */
  fusedPerMessage: number;
  /** Heap held by the core or set at the end, after a full GC, bytes (fleet and input excluded). */
  heapBytes: number;
  tracks: number;
}

export interface PicturesScenarioResult {
  vessels: number;
  messagesPerSegment: number;
  paths: PicturesPathResult[];
}

const CONTRIBUTORS = ['ca', 'no', 'au'] as const;

/** A coalition of `pictures` distinct pictures over the bench zone set (see the file comment). */
export function benchCoalition(pictures: number, zones: ZoneIndex): Coalition {
  const observers = Array.from({ length: pictures - 1 }, (_, j) => `o${j + 1}`);
  const members: Record<string, { name: string }> = {};
  for (const id of [...CONTRIBUTORS, ...observers]) members[id] = { name: id };
  const everyone = [...CONTRIBUTORS, ...observers];
  const inside: Record<string, string[]> = {};
  observers.forEach((observer, j) => {
    inside[`area-${j}`] = everyone.filter((id) => id !== observer && id !== 'ca');
  });
  const release = observers.length === 0 ? {} : { ca: { inside } };
  return parseCoalition({ members, release }, { source: `bench ${pictures}`, zones: zones.zones });
}

function newSink(
  pictures: number,
  config: CoreConfig,
  detectors: readonly DetectorFactory[],
  zones: ZoneIndex,
): Sink {
  if (pictures === 0) {
    const core = new FusionCore(config, zones, { alert: () => {} }, detectors);
    return {
      ingest: (m, member, station) => core.ingest(m, member, station),
      advance: () => core.advance(core.newestEventTime),
      cores: [core],
    };
  }
  const set = new PictureSet({
    coalition: benchCoalition(pictures, zones),
    zones,
    config,
    detectors,
    output: () => ({ alert: () => {} }),
  });
  if (set.cores.length !== pictures) {
    throw new Error(`bench coalition: ${set.cores.length} pictures, ${pictures} wanted`);
  }
  return {
    ingest: (m, member, station) => void set.ingest(m, member, station),
    advance: () => {
      for (const core of set.cores) core.advance(core.newestEventTime);
    },
    cores: set.cores,
  };
}

function fusedReports(sink: Sink): number {
  return sink.cores.reduce((n, core) => n + core.stats.reports, 0);
}

function gcHeap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('pictures-scenario needs node --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

interface Sink {
  ingest(m: AisMessage, member: string, station: string | undefined): void;
  advance(): void;
  cores: readonly FusionCore[];
}

async function main(): Promise<void> {
  const input = childInput<PicturesScenarioInput>();
  const config = { ...DEFAULT_CORE_CONFIG, allowedLatenessSeconds: 0 };
  const { zoneSet, fleet } = benchFleet(input.seed, input.vessels);
  const members = fleet.members;
  const decoders = members.map(() => new StreamDecoder({ requireTime: true }));
  // The same decoded traffic for every path: a warm-up, then the timed segments.
  const warmup: DecodedMessages[] = [];
  const startMs = fleet.timeMs;
  while (fleet.timeMs < startMs + input.warmupSeconds * 1000) {
    warmup.push(
      new DecodedMessages(fleet.nextLines(input.segmentLines), decoders, input.advanceEveryLines),
    );
  }
  const timed: DecodedMessages[] = [];
  for (let run = 0; run < input.runs; run++) {
    timed.push(
      new DecodedMessages(fleet.nextLines(input.segmentLines), decoders, input.advanceEveryLines),
    );
  }
  const m = new AisMessage();
  // Detector factories per path: the heap a path frees when dropped must not be held by a
  // factory shared with the next.
  const sinks: (Sink | undefined)[] = input.pictureCounts.map((pictures) =>
    newSink(pictures, config, defaultDetectors(config), zoneSet.index),
  );
  const feed = (sink: Sink, decoded: DecodedMessages): void => {
    for (let i = 0; i < decoded.count; i++) {
      decoded.fill(i, m);
      sink.ingest(m, members[decoded.member[i]!]!, m.station);
      if (decoded.advanceAfter[i] === 1) sink.advance();
    }
    sink.advance();
  };
  // Index loops: a `for (const sink of sinks)` binding kept the last path alive in main's frame.
  for (const decoded of warmup) for (let p = 0; p < sinks.length; p++) feed(sinks[p]!, decoded);
  const reportsBefore = sinks.map((sink) => fusedReports(sink!));
  // Every path on each segment in turn, the order rotated per segment: the machine is shared,
  // so a slow spell falls on every path alike instead of on whichever ran then.
  const messagesPerSecond: number[][] = sinks.map(() => []);
  let messages = 0;
  timed.forEach((decoded, run) => {
    for (let k = 0; k < sinks.length; k++) {
      const path = (k + run) % sinks.length;
      const started = process.hrtime.bigint();
      feed(sinks[path]!, decoded);
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      messagesPerSecond[path]!.push(decoded.count / wall);
    }
    messages += decoded.count;
  });
  const paths: PicturesPathResult[] = input.pictureCounts.map((pictures, path) => ({
    pictures,
    messagesPerSecond: messagesPerSecond[path]!,
    fusedPerMessage: (fusedReports(sinks[path]!) - reportsBefore[path]!) / messages,
    heapBytes: 0,
    tracks: sinks[path]!.cores[0]!.tracks.size,
  }));
  // The heap each path holds: what a full GC frees once it is dropped, the last path first.
  let heap = gcHeap();
  for (let path = 0; path < sinks.length; path++) {
    sinks[path] = undefined;
    const after = gcHeap();
    paths[path]!.heapBytes = heap - after;
    heap = after;
  }
  childResult({
    vessels: input.vessels,
    messagesPerSegment: timed.reduce((n, d) => n + d.count, 0) / timed.length,
    paths,
  });
}

await main();
