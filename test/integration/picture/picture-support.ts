/// <reference lib="dom" />
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import type { Alert } from '../../../src/detect/alert.js';
import type { FusedTrack } from '../../../src/fusion/fused-track.js';
import { fusedTrackMessage } from '../../../src/io/protobuf/fused-track-codec.js';
import { trackZoneIds } from '../../../src/io/track-json.js';
import { loadZoneIndex } from '../../../src/io/zone-files.js';
import { DEFAULT_CORE_CONFIG } from '../../../src/pipeline/core-config.js';
import { defaultDetectors } from '../../../src/pipeline/default-detectors.js';
import { replay } from '../../../src/pipeline/replay.js';
import { simulate } from '../../../src/sim/simulate.js';
import type { Zone } from '../../../src/zones/zone.js';

/** A small simulated scenario run through the core: what a worker would publish. */
export interface PictureScenario {
  readonly dir: string;
  readonly tracks: FusedTrack[];
  readonly alerts: Alert[];
  readonly zones: readonly Zone[];
}

/** `tidewatch simulate` (few vessels, sparse reports) then `replay` over it, in a temp dir. */
export async function pictureScenario(): Promise<PictureScenario> {
  const dir = mkdtempSync(join(tmpdir(), 'tw-picture-'));
  const sim = simulate({ seed: 5, vessels: 12, intervalScale: 4, malformedRate: 0 });
  const feeds = sim.feeds.map((feed) => {
    const path = join(dir, `${feed.member}.nmea`);
    writeFileSync(path, feed.lines.join('\n'));
    return { member: feed.member, path };
  });
  const zonesPath = join(dir, 'zones.geojson');
  writeFileSync(zonesPath, JSON.stringify(sim.zones));
  const zones = await loadZoneIndex([zonesPath]);
  const result = await replay({
    feeds,
    zones,
    config: DEFAULT_CORE_CONFIG,
    detectors: defaultDetectors(DEFAULT_CORE_CONFIG),
  });
  const tracks = result.tracks.map((track) =>
    fusedTrackMessage(
      track,
      result.core.members.idsOf(track.sourceSet),
      trackZoneIds(track, zones),
    ),
  );
  return { dir, tracks, alerts: result.alerts, zones: zones.zones };
}

/**
 * Debian's Chromium headless with software WebGL (DESIGN.md §5); Playwright gives every launch a
 * fresh temporary profile.
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
    ],
  });
}

/**
 * How much of a PNG screenshot is not its most common colour, and how many colours it has:
 * decoded by the browser itself (an `about:blank` page), so the test needs no image library.
 */
export async function screenshotColours(
  browser: Browser,
  png: Buffer,
): Promise<{ distinct: number; notBackground: number }> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(async (base64) => {
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const g = canvas.getContext('2d')!;
      g.drawImage(image, 0, 0);
      const { data } = g.getImageData(0, 0, image.width, image.height);
      const counts = new Map<number, number>();
      for (let i = 0; i < data.length; i += 4) {
        const key = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const top = Math.max(...counts.values());
      const pixels = data.length / 4;
      return { distinct: counts.size, notBackground: (pixels - top) / pixels };
    }, png.toString('base64'));
  } finally {
    await page.close();
  }
}

/** What the page exposes to tests (web/src/main.ts). */
declare global {
  interface Window {
    tidewatchPicture: {
      layerCounts(): Record<string, number>;
      frames(): number;
      panBy(x: number, y: number): void;
      setVesselDrawing(drawing: 'arrows' | 'icons' | 'dots'): void;
      ready: boolean;
    };
  }
}
