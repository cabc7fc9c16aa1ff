import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/detect/alert.js';
import type { VesselTrack } from '../../src/fusion/vessel-track.js';
import { DEFAULT_CORE_CONFIG } from '../../src/pipeline/core-config.js';
import { defaultDetectors } from '../../src/pipeline/default-detectors.js';
import type { FusionCore } from '../../src/pipeline/fusion-core.js';
import { type ReplayOptions, replay } from '../../src/pipeline/replay.js';
import { simulate } from '../../src/sim/simulate.js';
import { parseZoneCollection } from '../../src/zones/parse-zones.js';
import { ZoneIndex } from '../../src/zones/zone-index.js';

describe('replay: connect, a second output for the core', () => {
  let dir: string;
  let options: ReplayOptions;

  beforeAll(() => {
    const sim = simulate({ seed: 5, hours: 6, vessels: 10, intervalScale: 3 });
    dir = mkdtempSync(join(tmpdir(), 'tidewatch-replay-'));
    const feeds = sim.feeds.map((feed) => {
      const path = join(dir, `${feed.member}.nmea`);
      writeFileSync(path, `${feed.lines.join('\n')}\n`);
      return { member: feed.member, path };
    });
    options = {
      feeds,
      zones: new ZoneIndex(parseZoneCollection(sim.zones, 'simulated zones').zones),
      config: DEFAULT_CORE_CONFIG,
      detectors: defaultDetectors(DEFAULT_CORE_CONFIG),
    };
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('gets the core before any line, then every alert, report and track, and waits after every chunk', async () => {
    const plain = await replay(options);

    let connected: FusionCore | undefined;
    let messagesAtConnect = -1;
    const alerts = new Map<string, Alert>();
    let reports = 0;
    let tracks = 0;
    let chunks = 0;
    let progressCalls = 0;
    let flushing = false;
    let reportDuringFlush = false;
    const result = await replay({
      ...options,
      onProgress: () => progressCalls++,
      connect: (core) => {
        connected = core;
        messagesAtConnect = core.stats.messages;
        return {
          output: {
            alert: (alert) => alerts.set(alert.id, alert),
            report: () => {
              reports++;
              if (flushing) reportDuringFlush = true;
            },
            track: () => tracks++,
          },
          afterChunk: async () => {
            chunks++;
            flushing = true;
            await new Promise((resolve) => setTimeout(resolve, 1));
            flushing = false;
          },
        };
      },
    });

    expect(connected).toBe(result.core);
    expect(messagesAtConnect).toBe(0);
    expect(reports).toBe(result.core.stats.reports);
    expect(tracks).toBe(result.core.stats.reports);
    expect(result.alerts.length).toBeGreaterThan(0);
    expect(alerts).toEqual(new Map(result.alerts.map((alert) => [alert.id, alert])));
    expect(chunks).toBe(progressCalls);
    expect(chunks).toBeGreaterThan(0);
    expect(reportDuringFlush).toBe(false);
    // The second output changes nothing in replay's own result.
    expect(result.alerts).toEqual(plain.alerts);
    // Tracks by what fusion decided: their detector slots point back into each run's own core.
    const fused = (track: VesselTrack) => [
      track.mmsi,
      track.lat,
      track.lon,
      track.fixTime,
      track.lastSeen,
      track.reportCount,
    ];
    expect(result.tracks.map(fused)).toEqual(plain.tracks.map(fused));
    expect(result.core.stats).toEqual(plain.core.stats);
  });
});
