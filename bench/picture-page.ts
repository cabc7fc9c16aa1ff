/**
 * The operations picture's page under load (issue 15): `npm run bench:picture-page -- [--vessels
 * N] [--seconds S]`. Serves a picture of N seeded vessels (default 100 000) and opens the page in
 * headless Chromium with software WebGL (SwiftShader, DESIGN.md §5): time from opening the page
 * to the first vessels drawn and to all of them, then the frame times while the map pans
 * continuously (goal: p95 under 50 ms). Needs /usr/bin/chromium (CHROMIUM_PATH).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildWeb } from '../scripts/build-web.js';
import type { Viewport } from '../src/picture/viewport.js';
import { createPictureServer } from '../src/serve/picture-server.js';
import { launchChromium } from '../test/integration/picture/picture-support.js';
import { machineInfo } from './machine.js';
import { benchFleet } from './picture-fleet.js';
import { createRandom } from './prng.js';

const { values } = parseArgs({
  options: {
    vessels: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
  },
});
const vessels = Number(values.vessels);
const seconds = Number(values.seconds);
const AREA: Viewport = { west: -40, south: 30, east: 40, north: 72 };
const { model } = benchFleet(vessels, AREA, createRandom(Number(values.seed)));
const webRoot = mkdtempSync(join(tmpdir(), 'tw-bench-page-'));
await buildWeb(webRoot);
const token = 'bench-token-0123456789';
const { app } = createPictureServer({
  members: [
    {
      member: { id: 'ca', name: 'Bench', tracksTopic: 't', alertsTopic: 'a', role: undefined },
      model,
      token,
    },
  ],
  zones: [],
  history: undefined,
  acknowledgements: undefined,
  webRoot,
});
const url = await app.listen({ host: '127.0.0.1', port: 0 });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  // tsx (esbuild keepNames) wraps named functions in __name(): define it for page.evaluate.
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  const opened = performance.now();
  await page.goto(`${url}/#token=${token}`);
  await page.waitForFunction(
    () => (window.tidewatchPicture?.layerCounts().vessels ?? 0) > 0,
    null,
    {
      timeout: 120_000,
    },
  );
  const firstMs = performance.now() - opened;
  process.stderr.write(`first vessels drawn after ${(firstMs / 1000).toFixed(1)} s\n`);
  await page.waitForFunction(
    (n) => (window.tidewatchPicture?.layerCounts().vessels ?? 0) >= n,
    vessels,
    { timeout: 300_000, polling: 1000 },
  );
  const allMs = performance.now() - opened;
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
  const sorted = [...frameTimes].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const m = machineInfo();
  process.stdout.write(
    [
      `picture page: ${vessels.toLocaleString('en')} vessels, headless Chromium, software WebGL (SwiftShader), 1400×860`,
      `machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, commit ${m.commit}`,
      `page open → first vessels drawn: ${(firstMs / 1000).toFixed(1)} s; → all ${vessels.toLocaleString('en')}: ${(allMs / 1000).toFixed(1)} s`,
      `frame time while panning (${frameTimes.length} frames in ${seconds} s): p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms (goal: p95 < 50 ms)`,
      '',
    ].join('\n'),
  );
} finally {
  await browser.close();
  await app.close();
}
