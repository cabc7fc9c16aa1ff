/**
 * The operations picture's page under load (issue 15): `npm run bench:picture-page -- [--vessels
 * N,N,…] [--drawing arrows|icons|dots,…] [--seconds S]`. For each vessel count (default 1 000,
 * 10 000 and 100 000, in one run; 0 measures the basemap alone) and each way of drawing the
 * vessels (default arrows, the page's own; icons and dots are deck.gl's instanced layers), serves a picture of that
 * many seeded vessels and opens the page in headless Chromium with software WebGL (SwiftShader,
 * DESIGN.md §5): time from opening the page to the first vessels drawn and to all of them, then
 * the frame times while the map pans continuously (goal: p95 under 50 ms), and the CPU time all
 * browser processes spent per panned frame (/proc: less noisy than wall time on a busy machine,
 * where the frame times mostly measure the wait for a core). Needs /usr/bin/chromium
 * (CHROMIUM_PATH).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser } from 'playwright-core';
import { buildWeb } from '../scripts/build-web.js';
import type { Viewport } from '../src/picture/viewport.js';
import { launchChromium } from '../test/integration/picture/picture-support.js';
import type { VesselDrawing } from '../web/src/vessel-attributes.js';
import { machineInfo } from './machine.js';
import { BENCH_TOKEN, benchFleet, benchPictureServer } from './picture-fleet.js';
import { createRandom } from './prng.js';
import { cpuSeconds, descendantPids } from './process-cpu.js';

const { values } = parseArgs({
  options: {
    vessels: { type: 'string', default: '1000,10000,100000' },
    drawing: { type: 'string', default: 'arrows' },
    seconds: { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
  },
});
const counts = values.vessels.split(',').map(Number);
const drawings = values.drawing.split(',') as VesselDrawing[];
const seconds = Number(values.seconds);
const AREA: Viewport = { west: -40, south: 30, east: 40, north: 72 };
const webRoot = mkdtempSync(join(tmpdir(), 'tw-bench-page-'));
await buildWeb(webRoot);
const token = BENCH_TOKEN;

interface Measured {
  vessels: number;
  drawing: string;
  firstMs: number;
  allMs: number;
  frames: number;
  p50: number;
  p95: number;
  max: number;
  /** CPU time of every browser process (renderer, GPU, …) per panned frame, ms. */
  cpuPerFrame: number;
}

async function measure(
  browser: Browser,
  vessels: number,
  drawing: VesselDrawing,
): Promise<Measured> {
  const { model } = benchFleet(vessels, AREA, createRandom(Number(values.seed)));
  const { app, url } = await benchPictureServer(model, webRoot);
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  try {
    // tsx (esbuild keepNames) wraps named functions in __name(): define it for page.evaluate.
    await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    const opened = performance.now();
    await page.goto(`${url}/#token=${token}`);
    await page.waitForFunction(() => window.tidewatchPicture?.ready === true, null, {
      timeout: 120_000,
    });
    await page.evaluate((d) => window.tidewatchPicture.setVesselDrawing(d), drawing);
    // Drawn: the layer holds them and the next two animation frames have been painted.
    const painted = (n: number) =>
      page.waitForFunction(
        (least) =>
          (window.tidewatchPicture.layerCounts().vessels ?? 0) >= least &&
          new Promise<boolean>((done) =>
            requestAnimationFrame(() => requestAnimationFrame(() => done(true))),
          ),
        n,
        { timeout: 300_000, polling: 100 },
      );
    await painted(Math.min(1, vessels));
    const firstMs = performance.now() - opened;
    await painted(vessels);
    const allMs = performance.now() - opened;
    const browserPids = descendantPids(process.pid);
    const cpuBefore = cpuSeconds(browserPids);
    const frameTimes = await page.evaluate(async (durationMs) => {
      const times: number[] = [];
      let last = performance.now();
      const end = last + durationMs;
      let step = 0;
      await new Promise<void>((done) => {
        const frame = (now: number) => {
          times.push(now - last);
          last = now;
          // Back and forth, so the view stays over the fleet.
          window.tidewatchPicture.panBy(step++ % 200 < 100 ? 15 : -15, 0);
          if (now < end) requestAnimationFrame(frame);
          else done();
        };
        requestAnimationFrame(frame);
      });
      return times.slice(1);
    }, seconds * 1000);
    const cpuMs = (cpuSeconds(browserPids) - cpuBefore) * 1000;
    const sorted = [...frameTimes].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    const result = {
      vessels,
      drawing,
      firstMs,
      allMs,
      frames: frameTimes.length,
      p50: at(0.5),
      p95: at(0.95),
      max: sorted.at(-1)!,
      cpuPerFrame: cpuMs / (frameTimes.length + 1),
    };
    process.stderr.write(`${JSON.stringify(result)}\n`);
    return result;
  } finally {
    await page.close();
    await app.close();
  }
}

const browser = await launchChromium();
const results: Measured[] = [];
try {
  for (const vessels of counts) {
    for (const drawing of drawings) results.push(await measure(browser, vessels, drawing));
  }
} finally {
  await browser.close();
}
const m = machineInfo();
const s1 = (ms: number) => (ms / 1000).toFixed(1);
process.stdout.write(
  [
    `picture page: headless Chromium, software WebGL (SwiftShader), 1400×860, ${seconds} s of panning each (goal: frame p95 < 50 ms)`,
    `machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, commit ${m.commit}`,
    '| vessels | drawing | open → first vessels drawn | open → all drawn | frames | frame p50 | frame p95 | max | browser CPU per frame |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.vessels.toLocaleString('en')} | ${r.drawing} | ${s1(r.firstMs)} s | ${s1(r.allMs)} s | ${r.frames} | ${r.p50.toFixed(1)} ms | ${r.p95.toFixed(1)} ms | ${r.max.toFixed(1)} ms | ${r.cpuPerFrame.toFixed(1)} ms |`,
    ),
    '',
  ].join('\n'),
);
