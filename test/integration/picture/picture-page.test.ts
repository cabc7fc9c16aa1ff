import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb } from '../../../scripts/build-web.js';
import { MockCluster } from '../../../src/embedded/mock-cluster.js';
import { BatchProducer } from '../../../src/io/kafka/batch-producer.js';
import { alertMessage, encodeAlert } from '../../../src/io/protobuf/alert-codec.js';
import { encodeFusedTrack } from '../../../src/io/protobuf/fused-track-codec.js';
import { decodeTrackFrame } from '../../../src/picture/track-frame.js';
import type { PictureMember } from '../../../src/serve/picture-member.js';
import { type PictureService, startPictureService } from '../../../src/serve/picture-service.js';
import { silentLogger } from '../../../src/util/logger.js';
import { RUN, TEST_SESSION_TIMEOUT_MS } from '../kafka/kafka-test-support.js';
import { createMigratedDatabase, type TestDatabase } from '../postgres/test-database.js';
import {
  launchChromium,
  type PictureScenario,
  pictureScenario,
  screenshotColours,
} from './picture-support.js';

// Issue 15: the operations picture in a real browser (Debian's Chromium), against the real Kafka
// protocol (librdkafka's mock cluster) and a real Postgres.
const ROLE = `tw_picture_${process.pid}`;
const MISSING_ROLE = `tw_picture_missing_${process.pid}`;
const TOKENS = new Map([
  ['ca', 'token-ca-0123456789'],
  ['no', 'token-no-0123456789'],
]);

describe.skipIf(!RUN)('tidewatch serve: the operations picture in Chromium', () => {
  let scenario: PictureScenario;
  let cluster: MockCluster;
  let producer: BatchProducer;
  let db: TestDatabase;
  let service: PictureService;
  let browser: Browser;
  /** MMSIs in no's picture: every other positioned vessel of the scenario. */
  let noMmsis: Set<number>;
  let caPositioned: number;
  /** The vessel with stored history, and the one the member role may not read. */
  let historyMmsi: number;
  let hiddenMmsi: number;
  let pictureTimeMs: number;

  beforeAll(async () => {
    const webRoot = mkdtempSync(join(tmpdir(), 'tw-web-'));
    [scenario] = await Promise.all([pictureScenario(), buildWeb(webRoot)]);
    const positioned = scenario.tracks.filter((t) => t.lat !== undefined);
    caPositioned = positioned.length;
    noMmsis = new Set(positioned.filter((_, i) => i % 2 === 0).map((t) => t.mmsi));
    pictureTimeMs = Math.max(...scenario.tracks.map((t) => t.lastSeen));

    cluster = await MockCluster.start();
    producer = await BatchProducer.connect({ bootstrapServers: cluster.bootstrapServers });
    for (const track of scenario.tracks) {
      const value = encodeFusedTrack(track);
      producer.produce('tracks.fused.ca', value, String(track.mmsi));
      if (noMmsis.has(track.mmsi)) producer.produce('tracks.fused.no', value, String(track.mmsi));
    }
    for (const alert of scenario.alerts) {
      producer.produce('alerts.ca', encodeAlert(alertMessage(alert)), alert.id);
    }
    // Bad input is a dead letter, counted by reason; the reader goes on (checked below).
    producer.produce('tracks.fused.ca', Buffer.from('not protobuf \xff\xff'), 'junk');
    producer.produce('alerts.ca', Buffer.from([0x0a, 0x02, 0x68]), 'junk');
    await producer.flush();

    db = await createMigratedDatabase('picture', 'auto');
    [historyMmsi, hiddenMmsi] = [positioned[0]!.mmsi, positioned[1]!.mmsi];
    await storeHistory(db, positioned[0]!, positioned[1]!, pictureTimeMs);

    const members: PictureMember[] = ['ca', 'no'].map((id) => ({
      id,
      name: id === 'ca' ? 'Canada' : 'Norway',
      tracksTopic: `tracks.fused.${id}`,
      alertsTopic: `alerts.${id}`,
      role: id === 'ca' ? ROLE : MISSING_ROLE,
    }));
    service = await startPictureService({
      members,
      tokens: TOKENS,
      bootstrapServers: cluster.bootstrapServers,
      databaseUrl: db.url,
      zones: scenario.zones,
      port: 0,
      webRoot,
      log: silentLogger,
      consumer: { sessionTimeoutMs: TEST_SESSION_TIMEOUT_MS },
    });
    const ca = service.models.get('ca')!;
    await until(() => ca.vesselCount === scenario.tracks.length, 60_000, 'tracks read');
    browser = await launchChromium();
  });

  it('counts undecodable messages as dead letters and reads on', async () => {
    await until(() => service.reader.rejected().size === 2, 30_000, 'dead letters counted');
    expect(Object.fromEntries(service.reader.rejected())).toEqual({ bad_track: 1, bad_alert: 1 });
    expect(service.models.get('ca')!.alertCount).toBe(scenario.alerts.length);
  });

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    await producer?.close();
    await cluster?.close();
    await db?.pool.query(`DROP OWNED BY ${ROLE}`).catch(() => {});
    await db?.drop();
    await db?.pool.end().catch(() => {});
    await dropRole();
  });

  it('loads nothing from outside its origin and draws the scenario vessels', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${service.url}/#token=${TOKENS.get('ca')}`);
    await waitForVessels(page, caPositioned);
    const counts = await layerCounts(page);
    expect(counts.vessels).toBe(caPositioned);
    // Shared zones and ca's private ones (DESIGN.md §3: a private zone is its members' only).
    const caZones = scenario.zones.filter(
      (z) => z.members === undefined || z.members.includes('ca'),
    );
    expect(counts.zones).toBe(caZones.length);
    expect(counts.alerts).toBe(scenario.alerts.length);
    const origin = new URL(service.url).origin;
    const outside = requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:'));
    expect(outside).toEqual([]);
    expect(requests.some((url) => url.endsWith('/basemap/land.geojson'))).toBe(true);
    expect(errors).toEqual([]);

    const png = await page.screenshot({ path: process.env.PICTURE_SCREENSHOT });
    const colours = await screenshotColours(browser, png);
    expect(colours.distinct).toBeGreaterThan(20);
    expect(colours.notBackground).toBeGreaterThan(0.05);
    await page.close();
  });

  it('pushes an alert, replaces it by its revision, and keeps an acknowledgement over a reload', async () => {
    const page = await browser.newPage();
    const pushed: string[] = [];
    page.on('websocket', (ws) =>
      ws.on('framereceived', ({ payload }) => {
        if (typeof payload === 'string') pushed.push(payload);
      }),
    );
    await page.goto(`${service.url}/#token=${TOKENS.get('ca')}`);
    await page.waitForFunction(() => window.tidewatchPicture?.ready === true);

    const base = scenario.alerts[0]!;
    const open = { ...base, id: `test-alert-${process.pid}`, end: undefined, revision: 1 };
    producer.produce('alerts.ca', encodeAlert(alertMessage(open)), open.id);
    await producer.flush();
    const item = page.locator(`#alert-list li[data-alert-id="${open.id}"]`);
    await item.waitFor({ timeout: 30_000 });
    expect(await item.getAttribute('data-revision')).toBe('1');
    // Pushed over the socket, not fetched: the page never asks for the list again.
    expect(pushed.some((text) => text.includes(open.id))).toBe(true);

    const revised = { ...open, end: open.start + 3_600_000, revision: 2 };
    producer.produce('alerts.ca', encodeAlert(alertMessage(revised)), open.id);
    await producer.flush();
    await page.locator(`#alert-list li[data-alert-id="${open.id}"][data-revision="2"]`).waitFor({
      timeout: 30_000,
    });
    expect(await page.locator(`#alert-list li[data-alert-id="${open.id}"]`).count()).toBe(1);
    expect(await item.textContent()).toContain('ended');

    await page.fill('#ack-name', 'Watch officer Tremblay');
    await item.locator('button.acknowledge').click();
    await item.locator('.ack').waitFor();
    const { rows } = await db.pool.query(
      'SELECT member, alert_revision, acknowledged_by FROM alert_acknowledgements WHERE alert_id = $1',
      [open.id],
    );
    expect(rows).toEqual([
      { member: 'ca', alert_revision: 2, acknowledged_by: 'Watch officer Tremblay' },
    ]);

    await page.reload();
    await page.waitForFunction(() => window.tidewatchPicture?.ready === true);
    const after = page.locator(`#alert-list li[data-alert-id="${open.id}"] .ack`);
    await after.waitFor();
    expect(await after.textContent()).toContain('acknowledged by Watch officer Tremblay');
    await page.close();
  });

  it('sends a member nothing outside its picture, over the socket or the API', async () => {
    const page = await browser.newPage();
    const frameMmsis = new Set<number>();
    const texts: string[] = [];
    page.on('websocket', (ws) =>
      ws.on('framereceived', ({ payload }) => {
        if (typeof payload === 'string') texts.push(payload);
        else
          for (const v of decodeTrackFrame(new Uint8Array(payload)).vessels) frameMmsis.add(v.mmsi);
      }),
    );
    await page.goto(`${service.url}/#token=${TOKENS.get('no')}`);
    await waitForVessels(page, noMmsis.size);
    expect([...frameMmsis].sort()).toEqual([...noMmsis].sort());
    // Alerts were published to alerts.ca only.
    expect(texts.filter((text) => text.includes('"alert"'))).toEqual([]);
    const counts = await layerCounts(page);
    expect(counts.alerts).toBe(0);
    // The scenario's private zone is ca's (src/sim/world.ts): no does not get it.
    const noZones = scenario.zones.filter(
      (z) => z.members === undefined || z.members.includes('no'),
    );
    expect(noZones.length).toBeLessThan(scenario.zones.length);
    expect(counts.zones).toBe(noZones.length);

    const caOnly = scenario.tracks.find((t) => t.lat !== undefined && !noMmsis.has(t.mmsi))!;
    const asNo = (path: string) =>
      page.evaluate(
        async ([p, token]) =>
          (await fetch(p!, { headers: { authorization: `Bearer ${token}` } })).status,
        [path, TOKENS.get('no')],
      );
    expect(await asNo(`/api/vessels/${caOnly.mmsi}`)).toBe(404);
    expect(await asNo(`/api/vessels/${[...noMmsis][0]}`)).toBe(200);
    // no's Postgres role does not exist: no history rather than the owner's.
    expect(await asNo('/api/history')).toBe(503);
    expect(await page.evaluate(async () => (await fetch('/api/alerts')).status)).toBe(401);
    await page.close();
  });

  it('plays back the positions stored for the window, read as the member role', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${service.url}/#token=${TOKENS.get('ca')}`);
    await waitForVessels(page, caPositioned);
    await page.fill('#playback-from', localInput(pictureTimeMs - 2 * 3_600_000));
    await page.fill('#playback-to', localInput(pictureTimeMs + 60_000));
    await page.click('#playback-load');
    await page.waitForSelector('#playback-label[data-loaded]');
    // The role's policy shows it one of the two stored vessels (20 of 25 rows).
    expect(await page.getAttribute('#playback-label', 'data-loaded')).toBe('20');
    await page.$eval('#playback-time', (input: HTMLInputElement) => {
      input.value = '1000';
      input.dispatchEvent(new Event('input'));
    });
    await page.waitForFunction(() => window.tidewatchPicture.layerCounts().playback === 20);
    await page.$eval('#playback-time', (input: HTMLInputElement) => {
      input.value = '0';
      input.dispatchEvent(new Event('input'));
    });
    await page.waitForFunction(() => window.tidewatchPicture.layerCounts().playback === 0);

    // The vessel panel draws the stored track as the selected vessel's trail.
    await page.fill('#search', String(historyMmsi));
    await page.locator('#search-results li').first().click();
    await page.waitForSelector('#vessel:not([hidden])');
    await page.waitForFunction(() => window.tidewatchPicture.layerCounts().trail === 1);
    expect(await page.textContent('#vessel-body')).toContain('20 positions');
    expect(hiddenMmsi).not.toBe(historyMmsi);
    await page.close();
  });
});

/** 20 positions of one vessel and 5 of another in the last half hour; the role may read the first only. */
async function storeHistory(
  db: TestDatabase,
  shown: { mmsi: number; lat?: number; lon?: number },
  hidden: { mmsi: number; lat?: number; lon?: number },
  pictureTimeMs: number,
): Promise<void> {
  await dropRole();
  await db.pool.query(`CREATE ROLE ${ROLE} NOLOGIN`);
  await db.pool.query(`GRANT SELECT ON positions TO ${ROLE}`);
  await db.pool.query('ALTER TABLE positions ENABLE ROW LEVEL SECURITY');
  await db.pool.query(
    `CREATE POLICY picture_test ON positions FOR SELECT TO ${ROLE} USING (mmsi = ${shown.mmsi})`,
  );
  const rows: unknown[][] = [];
  const add = (vessel: typeof shown, count: number) => {
    for (let i = 0; i < count; i++) {
      const time = new Date(pictureTimeMs - 30 * 60_000 + i * 60_000);
      rows.push([vessel.mmsi, time, i, vessel.lat! + i * 0.001, vessel.lon! + i * 0.001]);
    }
  };
  add(shown, 20);
  add(hidden, 5);
  for (const day of new Set(rows.map((r) => (r[1] as Date).toISOString().slice(0, 10)))) {
    await db.pool.query('SELECT ensure_positions_partition($1::date)', [day]);
  }
  for (const [mmsi, time, hash, lat, lon] of rows) {
    await db.pool.query(
      `INSERT INTO positions (mmsi, time, payload_hash, msg_type, lat, lon, sog, cog, sources, stations)
       VALUES ($1, $2, $3, 1, $4, $5, 5, 45, '{ca}', '{ca-rx}')`,
      [mmsi, time, hash, lat, lon],
    );
  }
}

async function dropRole(): Promise<void> {
  const pg = await import('pg');
  const client = new pg.default.Client({
    connectionString: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
  });
  await client.connect();
  try {
    await client.query(`DROP ROLE IF EXISTS ${ROLE}`);
  } catch {
    // Still owns objects in a database not yet dropped: afterAll drops it again.
  } finally {
    await client.end();
  }
}

async function waitForVessels(page: Page, count: number): Promise<void> {
  await page.waitForFunction((n) => window.tidewatchPicture?.layerCounts().vessels === n, count, {
    timeout: 60_000,
  });
}

function layerCounts(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => window.tidewatchPicture.layerCounts());
}

function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
