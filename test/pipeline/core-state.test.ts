import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trackToJson } from '../../src/io/track-json.js';
import { DEFAULT_CORE_CONFIG } from '../../src/pipeline/core-config.js';
import { coreStateExternals } from '../../src/pipeline/core-state.js';
import { defaultDetectors } from '../../src/pipeline/default-detectors.js';
import { FeedReader } from '../../src/pipeline/feed-reader.js';
import { type CoreOutput, FusionCore } from '../../src/pipeline/fusion-core.js';
import { simulate } from '../../src/sim/simulate.js';
import { encodeState, restoreState } from '../../src/state/state-graph.js';
import { parseZoneCollection } from '../../src/zones/parse-zones.js';
import { ZoneIndex } from '../../src/zones/zone-index.js';

const directories: string[] = [];
afterAll(() => {
  for (const dir of directories) rmSync(dir, { recursive: true, force: true });
});

const sim = simulate({ seed: 7, hours: 6, vessels: 60 });
const zones = new ZoneIndex(parseZoneCollection(sim.zones, 'simulated zones').zones);
const feedFiles = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'tidewatch-core-state-'));
  directories.push(dir);
  return sim.feeds.map((feed) => {
    const path = join(dir, `${feed.member}.nmea`);
    writeFileSync(path, `${feed.lines.join('\n')}\n`);
    return { member: feed.member, path };
  });
})();

interface RunResult {
  /** Every alert revision, in the order emitted (JSON copies). */
  revisions: string[];
  /** Final tracks as NDJSON objects. */
  tracks: Record<string, unknown>[];
  snapshots: { at: number; bytes: number }[];
  chunks: number;
}

/**
 * Runs the simulated feeds through a core the way `replay` does; after each chunk number in
 * `restartAfter`, the core is written to a snapshot and the run goes on in a new core restored
 * from it (a worker restarted from its checkpoint).
 */
async function run(restartAfter: readonly number[]): Promise<RunResult> {
  const revisions: string[] = [];
  const output: CoreOutput = { alert: (alert) => revisions.push(JSON.stringify(alert)) };
  const newCore = () =>
    new FusionCore(DEFAULT_CORE_CONFIG, zones, output, defaultDetectors(DEFAULT_CORE_CONFIG));
  let core = newCore();
  const feeds = feedFiles.map(
    (feed) =>
      new FeedReader(
        feed.member,
        feed.path,
        (m, member, station) => core.ingest(m, member, station),
        () => {},
      ),
  );
  const latenessMs = DEFAULT_CORE_CONFIG.allowedLatenessSeconds * 1000;
  const snapshots: { at: number; bytes: number }[] = [];
  let chunk = 0;
  for (;;) {
    let behind: FeedReader | undefined;
    for (const feed of feeds) {
      if (!feed.done && (behind === undefined || feed.progressTime < behind.progressTime)) {
        behind = feed;
      }
    }
    if (behind === undefined) break;
    await behind.pump();
    chunk++;
    let watermark = Number.POSITIVE_INFINITY;
    for (const feed of feeds) {
      if (!feed.done && feed.progressTime < watermark) watermark = feed.progressTime;
    }
    if (Number.isFinite(watermark)) core.advance(watermark - latenessMs);
    if (restartAfter.includes(chunk)) {
      const bytes = encodeState(core, coreStateExternals(core, output).byObject);
      const restored = newCore();
      restoreState(bytes, restored, coreStateExternals(restored, output).byName);
      snapshots.push({ at: chunk, bytes: bytes.length });
      core = restored;
    }
  }
  let end = Number.NEGATIVE_INFINITY;
  for (const feed of feeds) if (feed.progressTime > end) end = feed.progressTime;
  core.finish(end);
  const tracks = [...core.tracks.values()]
    .sort((a, b) => a.mmsi - b.mmsi)
    .map((track) => ({ ...trackToJson(track, core.members, zones), firstSeen: track.firstSeen }));
  return { revisions, tracks, snapshots, chunks: chunk };
}

describe('core state snapshot (a restart from a checkpoint)', () => {
  it('gives exactly the alerts and tracks of an uninterrupted run, restarted anywhere', async () => {
    const reference = await run([]);
    expect(reference.revisions.length).toBeGreaterThan(12);
    // Restart points spread over the run (open alerts, armed timers, queued reports and
    // half-assembled state at each), some in a row.
    const restarts = [1, 2, 3];
    // From the fourth chunk on, at most 12 more (every chunk when the feeds are read in few).
    for (let at = 4; at < reference.chunks; at += Math.max(1, Math.floor(reference.chunks / 12)))
      restarts.push(at);
    const restarted = await run(restarts);
    expect(restarted.snapshots.length).toBeGreaterThanOrEqual(10);
    expect(restarted.revisions).toEqual(reference.revisions);
    expect(restarted.tracks).toEqual(reference.tracks);
  });
});
