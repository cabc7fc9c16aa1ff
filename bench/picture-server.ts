/**
 * The operations picture's server under load (issue 15): `npm run bench:picture -- [--vessels N]
 * [--clients N] [--seconds S] [--updates-per-second N]`. A picture of N seeded vessels (default
 * 100 000) in one member's model, updated at a steady rate (default 10 000 tracks/s: every vessel
 * every 10 s), served to K WebSocket clients (default 50) with different viewports, plus one
 * client that never reads. Prints the server process's CPU, its memory at the start and end of
 * the measured window, bytes/s per client against what whole snapshots of their viewports would
 * cost at the same frame rate, and the frames skipped for the client that never reads.
 * The server runs in this process, the clients in a child (bench/picture-clients.ts).
 */
import { fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { TRACK_FRAME_UPDATE_BYTES } from '../src/picture/track-frame.js';
import type { Viewport } from '../src/picture/viewport.js';
import { machineInfo } from './machine.js';
import { BENCH_TOKEN, benchFleet, benchPictureServer, benchTrack } from './picture-fleet.js';
import { createRandom } from './prng.js';

const { values } = parseArgs({
  options: {
    vessels: { type: 'string', default: '100000' },
    clients: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '20' },
    'updates-per-second': { type: 'string', default: '10000' },
    seed: { type: 'string', default: '1' },
  },
});
const vessels = Number(values.vessels);
const clientCount = Number(values.clients);
const seconds = Number(values.seconds);
const updatesPerSecond = Number(values['updates-per-second']);
const random = createRandom(Number(values.seed));
const FRAMES_PER_SECOND = 4;
/** The vessels sail in the North Atlantic and European waters. */
const AREA: Viewport = { west: -40, south: 30, east: 40, north: 72 };

const { model, position } = benchFleet(vessels, AREA, random);
let clock = Date.UTC(2026, 0, 1);

const webRoot = mkdtempSync(join(tmpdir(), 'tw-bench-web-'));
writeFileSync(join(webRoot, 'index.html'), '<!doctype html>');
const token = BENCH_TOKEN;
const { app, clients, url } = await benchPictureServer(model, webRoot, {
  framesPerSecond: FRAMES_PER_SECOND,
});

// Viewports from a harbour (1°) to a sea (20°); the first client watches the whole area.
const viewports = [AREA];
for (let i = 1; i < clientCount; i++) {
  const size = random.uniform(1, 20);
  const west = random.uniform(AREA.west, AREA.east - size);
  const south = random.uniform(AREA.south, AREA.north - size / 2);
  viewports.push({ west, south, east: west + size, north: south + size / 2 });
}
const inViewport = viewports.map((v) => model.inViewport(v).length);

const child = fork(new URL('./picture-clients.ts', import.meta.url), {
  execArgv: ['--experimental-websocket', '--import', 'tsx', '--no-warnings'],
});
const ask = <T>(message: object, reply: string): Promise<T> =>
  new Promise((resolve) => {
    const on = (m: { type: string }) => {
      if (m.type !== reply) return;
      child.off('message', on);
      resolve(m as T);
    };
    child.on('message', on);
    child.send(message);
  });
await ask({ type: 'start', url, token, viewports }, 'started');

// Updates: every 100 ms as many as are due at the asked rate since the start (a timer that fires
// late on a busy machine catches up: what falls short is the model's, not the timer's), each
// vessel moving a little east.
let applied = 0;
const updatesStarted = performance.now();
const ticker = setInterval(() => {
  const due = Math.floor(((performance.now() - updatesStarted) / 1000) * updatesPerSecond);
  clock += 100;
  // At most a second's worth in one tick, so frames still go out while the model catches up.
  for (let n = Math.min(due - applied, updatesPerSecond); n > 0; n--) {
    const i = random.int(0, vessels - 1);
    const lon = Math.min(AREA.east, position[2 * i]! + 0.001);
    position[2 * i] = lon;
    model.applyTrack(benchTrack(200_000_000 + i, lon, position[2 * i + 1]!, clock));
    applied++;
  }
}, 100);

const warmupMs = 5000;
await new Promise((resolve) => setTimeout(resolve, warmupMs));
await ask({ type: 'report' }, 'report');
const memoryBefore = process.memoryUsage();
const cpuBefore = process.cpuUsage();
const statsBefore = clients.stats();
const appliedBefore = applied;
const started = performance.now();
await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const { received } = await ask<{ received: { bytes: number; frames: number }[] }>(
  { type: 'report' },
  'report',
);
const elapsed = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const memoryAfter = process.memoryUsage();
const statsAfter = clients.stats();
const appliedRate = (applied - appliedBefore) / elapsed;
clearInterval(ticker);
child.send({ type: 'stop' });
await app.close();

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const perClient = received.map((r) => r.bytes / elapsed);
const snapshot = inViewport.map((n) => n * TRACK_FRAME_UPDATE_BYTES * FRAMES_PER_SECOND);
const sorted = [...perClient].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)]!;
const m = machineInfo();
const lines = [
  `picture server: ${vessels.toLocaleString('en')} vessels, ${updatesPerSecond.toLocaleString('en')} track updates/s, ${clientCount} clients + 1 that never reads, ${FRAMES_PER_SECOND} frames/s, ${elapsed.toFixed(1)} s measured after ${warmupMs / 1000} s`,
  `machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, commit ${m.commit}`,
  `track updates applied: ${Math.round(appliedRate).toLocaleString('en')}/s (asked ${updatesPerSecond.toLocaleString('en')}/s; the timer catches up, so less means the model and frames could not keep up)`,
  `server CPU (this process: model updates, frames, sockets): ${(((cpu.user + cpu.system) / 1e6 / elapsed) * 100).toFixed(0)} % of one core`,
  `server memory: RSS ${mib(memoryBefore.rss)} → ${mib(memoryAfter.rss)} MiB, heap ${mib(memoryBefore.heapUsed)} → ${mib(memoryAfter.heapUsed)} MiB, array buffers ${mib(memoryBefore.arrayBuffers)} → ${mib(memoryAfter.arrayBuffers)} MiB`,
  `bytes/s per client: median ${(median / 1024).toFixed(1)} KiB/s, max ${(sorted.at(-1)! / 1024).toFixed(1)} KiB/s (whole area); whole snapshots of the same viewports would be median ${(([...snapshot].sort((a, b) => a - b)[Math.floor(snapshot.length / 2)] ?? 0) / 1024).toFixed(1)} KiB/s, max ${(Math.max(...snapshot) / 1024).toFixed(1)} KiB/s`,
  `vessels per viewport: median ${[...inViewport].sort((a, b) => a - b)[Math.floor(inViewport.length / 2)]}, max ${Math.max(...inViewport)}`,
  `frames: ${statsAfter.framesSent - statsBefore.framesSent} sent, ${statsAfter.framesSkipped - statsBefore.framesSkipped} skipped (the client that never reads: its socket stays over the 1 MiB skip mark), ${statsAfter.closedTooSlow} clients closed as too slow; the most unsent bytes a socket held: ${mib(statsAfter.maxBufferedBytes)} MiB`,
];
process.stdout.write(`${lines.join('\n')}\n`);
process.exit(0);
