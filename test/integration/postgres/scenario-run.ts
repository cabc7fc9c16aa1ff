import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CORE_CONFIG } from '../../../src/pipeline/core-config.js';
import { defaultDetectors } from '../../../src/pipeline/default-detectors.js';
import { FeedReader } from '../../../src/pipeline/feed-reader.js';
import { type CoreOutput, FusionCore } from '../../../src/pipeline/fusion-core.js';
import { type SimulationResult, simulate } from '../../../src/sim/simulate.js';
import { parseZoneCollection } from '../../../src/zones/load-zones.js';
import { ZoneIndex } from '../../../src/zones/zone-index.js';

/** A simulated scenario written to feed files (`tidewatch simulate`), ready to replay. */
export interface Scenario {
  sim: SimulationResult;
  feeds: { member: string; path: string }[];
  zones: ZoneIndex;
  /** Removes the feed files. */
  remove(): void;
}

/** Simulates `hours` from `start` (default: from 21:00 UTC, so the reports span two days). */
export function writeScenario(
  seed: number,
  vessels = 60,
  hours = 6,
  start = '2024-06-01T21:00:00Z',
): Scenario {
  const sim = simulate({ seed, hours, vessels, start });
  const dir = mkdtempSync(join(tmpdir(), `tidewatch-pg-${seed}-`));
  const feeds = sim.feeds.map((feed) => {
    const path = join(dir, `${feed.member}.nmea`);
    writeFileSync(path, `${feed.lines.join('\n')}\n`);
    return { member: feed.member, path };
  });
  const zones = new ZoneIndex(parseZoneCollection(sim.zones, 'simulated zones').zones);
  return { sim, feeds, zones, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** What a replay feeds: the core's output, and an async step after every chunk read. */
export interface ReplayTarget {
  output: CoreOutput;
  /** Where a worker would flush its sinks (and wait for them: backpressure). */
  afterChunk?: () => Promise<void>;
}

/**
 * The loop of `replay` (src/pipeline/replay.ts), with the caller's CoreOutput (replay keeps
 * only alerts). `connect` gets the core first: a sink needs its member registry.
 */
export async function replayInto(
  scenario: Scenario,
  connect: (core: FusionCore) => ReplayTarget,
): Promise<FusionCore> {
  const config = DEFAULT_CORE_CONFIG;
  let target: ReplayTarget | undefined;
  const core = new FusionCore(
    config,
    scenario.zones,
    {
      alert: (alert) => target!.output.alert(alert),
      report: (report, track) => target!.output.report?.(report, track),
      track: (track) => target!.output.track?.(track),
    },
    defaultDetectors(config),
  );
  target = connect(core);
  const feeds = scenario.feeds.map(
    (feed) =>
      new FeedReader(
        feed.member,
        feed.path,
        (m, member, station) => core.ingest(m, member, station),
        () => {},
      ),
  );
  const latenessMs = config.allowedLatenessSeconds * 1000;
  for (;;) {
    let behind: FeedReader | undefined;
    for (const feed of feeds) {
      if (!feed.done && (behind === undefined || feed.progressTime < behind.progressTime)) {
        behind = feed;
      }
    }
    if (behind === undefined) break;
    await behind.pump();
    let watermark = Number.POSITIVE_INFINITY;
    for (const feed of feeds) {
      if (!feed.done && feed.progressTime < watermark) watermark = feed.progressTime;
    }
    if (Number.isFinite(watermark)) core.advance(watermark - latenessMs);
    await target.afterChunk?.();
  }
  let end = Number.NEGATIVE_INFINITY;
  for (const feed of feeds) if (feed.progressTime > end) end = feed.progressTime;
  core.finish(end);
  return core;
}
