import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coalition } from '../../src/coalition/coalition.js';
import { parseCoalition } from '../../src/coalition/parse-coalition.js';
import { releaseBetween } from '../../src/coalition/release.js';
import { type Alert, alertToJson } from '../../src/detect/alert.js';
import type { VesselTrack } from '../../src/fusion/vessel-track.js';
import { loadCoalitionFile } from '../../src/io/coalition-file.js';
import { trackToJson } from '../../src/io/track-json.js';
import {
  type CoalitionReplayResult,
  replayCoalition,
} from '../../src/pipeline/coalition-replay.js';
import { DEFAULT_CORE_CONFIG } from '../../src/pipeline/core-config.js';
import { defaultDetectors } from '../../src/pipeline/default-detectors.js';
import type { FusionCore } from '../../src/pipeline/fusion-core.js';
import { deliverToMembers } from '../../src/pipeline/member-delivery.js';
import { replay } from '../../src/pipeline/replay.js';
import { type SimulationResult, simulate } from '../../src/sim/simulate.js';
import { createRandom } from '../../src/util/random.js';
import { parseZoneCollection } from '../../src/zones/parse-zones.js';
import { ZoneIndex } from '../../src/zones/zone-index.js';
import { randomScenarioCoalitionDocument } from '../support/random-coalition.js';
import { type FeedItem, feedItems, visibleLines } from '../support/visible-input.js';

/**
 * Issue 13's equivalence (DESIGN.md §6: "A's picture is a replay of what A may see"), property
 * based: random coalitions over simulated scenarios, and for every audience the picture
 * `replay --coalition` computed for it equals a plain `replay` of only the input visible to it —
 * every alert as replay writes it, every track's sources, report count, position and zones.
 */

const CONFIG = DEFAULT_CORE_CONFIG;
const EXAMPLE = new URL('../../config/coalition.example.yaml', import.meta.url).pathname;
const DETECTORS = defaultDetectors(CONFIG);

interface Scenario {
  readonly sim: SimulationResult;
  readonly zones: ZoneIndex;
  readonly feeds: { member: string; path: string }[];
  /** Per member: its feed as messages with the zones each is judged inside. */
  readonly items: ReadonlyMap<string, FeedItem[]>;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tidewatch-pictures-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function scenario(seed: number, members: readonly string[], vessels: number): Scenario {
  const sim = simulate({ seed, hours: 6, vessels, members, intervalScale: 4 });
  const zones = new ZoneIndex(parseZoneCollection(sim.zones, 'simulated zones').zones);
  const feeds = sim.feeds.map((feed) => {
    const path = join(dir, `s${seed}-${feed.member}.nmea`);
    writeFileSync(path, `${feed.lines.join('\n')}\n`);
    return { member: feed.member, path };
  });
  const items = new Map(sim.feeds.map((feed) => [feed.member, feedItems(feed.lines, zones)]));
  return { sim, zones, feeds, items };
}

/** A random coalition over the scenario's members and zones (test/support/random-coalition.ts). */
function randomCoalition(seed: number, members: number, sc: Scenario): Coalition {
  const zoneIds = sc.zones.zones.map((zone) => zone.id);
  const document = randomScenarioCoalitionDocument(seed, members, zoneIds);
  return parseCoalition(document, { source: `random ${seed}`, zones: sc.zones.zones });
}

interface Plain {
  core: FusionCore;
  alerts: Alert[];
  tracks: VesselTrack[];
}

/** Plain replays of visible inputs, by a hash of the input: equal inputs, one replay. */
const plainReplays = new Map<string, Promise<Plain>>();

/** `replay` over only the lines of each feed that `module`/`member` may see. */
function plainReplayOfVisible(
  sc: Scenario,
  coalition: Coalition,
  moduleName: string,
  member: string,
): Promise<Plain> {
  const module = coalition.modules.find((m) => m.name === moduleName)!;
  const hash = createHash('sha256');
  const visible = sc.feeds.map((feed) => {
    const release = releaseBetween(coalition, module, feed.member, member);
    const text = release.released
      ? `${visibleLines(sc.items.get(feed.member)!, release).join('\n')}\n`
      : '';
    hash.update(`${feed.member}\n${text}\0`);
    return { member: feed.member, text };
  });
  const key = hash.digest('hex');
  let result = plainReplays.get(key);
  if (result === undefined) {
    const feeds = visible.map(({ member: m, text }) => {
      const path = join(dir, `visible-${key.slice(0, 12)}-${m}.nmea`);
      writeFileSync(path, text);
      return { member: m, path };
    });
    result = replay({ feeds, zones: sc.zones, config: CONFIG, detectors: DETECTORS });
    plainReplays.set(key, result);
  }
  return result;
}

function alertsJson(alerts: readonly Alert[]): unknown[] {
  return alerts.map((alert) => alertToJson(alert));
}

function tracksJson(core: FusionCore, tracks: readonly VesselTrack[], zones: ZoneIndex): unknown[] {
  return tracks.map((track) => trackToJson(track, core.members, zones));
}

async function checkEquivalence(
  sc: Scenario,
  coalition: Coalition,
): Promise<CoalitionReplayResult> {
  const result = await replayCoalition({
    feeds: sc.feeds,
    coalition,
    zones: sc.zones,
    config: CONFIG,
    detectors: DETECTORS,
  });
  for (const audience of result.set.pictures.audiences) {
    const picture = result.pictures[audience.picture]!;
    const plain = await plainReplayOfVisible(sc, coalition, audience.module, audience.member);
    const name = `${coalition.source}: ${audience.module}/${audience.member} (${picture.picture.id})`;
    expect(tracksJson(picture.core, picture.tracks, sc.zones), name).toEqual(
      tracksJson(plain.core, plain.tracks, sc.zones),
    );
    // A picture whose audiences receive only tracks runs no detector.
    const alerts = picture.picture.outputs.some((o) => o !== 'tracks') ? plain.alerts : [];
    expect(alertsJson(picture.alerts), name).toEqual(alertsJson(alerts));
  }
  return result;
}

describe('replay --coalition: every picture is a replay of what its audiences may see', () => {
  const SEEDS = [1, 2, 3, 4];

  for (const seed of SEEDS) {
    it(`random coalition ${seed}`, async () => {
      const random = createRandom(seed);
      const memberCount = random.int(2, 6);
      const members = Array.from({ length: memberCount }, (_, i) => `m${i}`);
      const sc = scenario(seed, members, random.int(20, 40));
      const coalition = randomCoalition(seed, memberCount, sc);
      const result = await checkEquivalence(sc, coalition);
      // The property says something only if pictures differ and see some input.
      const fused = result.pictures.map((p) => p.core.stats.reports);
      expect(Math.max(...fused)).toBeGreaterThan(1000);
      if (result.pictures.length > 1) expect(new Set(fused).size).toBeGreaterThan(1);
    }, 120_000);
  }

  it('a coalition where every picture sees something different, inside rules and a parent', async () => {
    const sc = scenario(11, ['ca', 'ca-kb', 'no', 'au'], 30);
    const coalition = parseCoalition(
      {
        members: {
          ca: { name: 'Canada' },
          'ca-kb': { name: 'Kestrel Bay', parent: 'ca', voting: false, area: ['port-1'] },
          no: { name: 'Norway' },
          au: { name: 'Australia' },
        },
        release: {
          no: { to: ['ca', 'au'], inside: { 'mpa-1': [] } },
          au: { to: ['ca', 'no'], inside: { 'eez-1': ['ca'] } },
          'ca-kb': { to: [] },
        },
      },
      { source: 'fixed', zones: sc.zones.zones },
    );
    const result = await checkEquivalence(sc, coalition);
    expect(result.pictures.length).toBe(4);
  }, 120_000);
});

describe('replay --coalition: pictures that differ only in members without a feed', () => {
  it('are computed once, and each audience still gets the replay of what it may see', async () => {
    // The example: ca-kb sends nothing here, and the integrity module (without ca-kb) then sees
    // what border and picture see.
    const sc = scenario(5, ['ca', 'no', 'au'], 30);
    const coalition = loadCoalitionFile(EXAMPLE, sc.zones.zones);
    const result = await checkEquivalence(sc, coalition);
    expect(result.set.policyPictures.classes.length).toBe(5);
    expect(result.pictures.map((p) => p.picture.id)).toEqual(['p1+p4', 'p2', 'p3+p5']);
  }, 120_000);
});

describe('replay --coalition: what each member receives', () => {
  let sc: Scenario;
  let coalition: Coalition;
  let result: CoalitionReplayResult;

  beforeAll(async () => {
    sc = scenario(11, ['ca', 'ca-kb', 'no', 'au'], 30);
    // The simulator's restricted-1 is private to its first member (ca), eez-1 to all four.
    coalition = parseCoalition(
      {
        members: {
          ca: { name: 'Canada' },
          'ca-kb': { name: 'Kestrel Bay', parent: 'ca', voting: false, area: ['port-1'] },
          no: { name: 'Norway', area: ['eez-1'] },
          au: { name: 'Australia' },
        },
      },
      { source: 'private zones and areas', zones: sc.zones.zones },
    );
    result = await replayCoalition({
      feeds: [...sc.feeds, { member: 'xx', path: sc.feeds[0]!.path }],
      coalition,
      zones: sc.zones,
      config: CONFIG,
      detectors: DETECTORS,
    });
  }, 120_000);

  it('alerts of a private zone reach only its members', () => {
    const delivered = deliverToMembers(coalition, result.set.pictures, result.pictures, sc.zones);
    const privateTo = new Map(coalition.privateZones.map((z) => [z.id, z.members]));
    expect(privateTo.get('restricted-1')).toEqual(['ca']);
    const restrictedAlerts = result.pictures[0]!.alerts.filter((a) => a.zoneId === 'restricted-1');
    expect(restrictedAlerts.length).toBeGreaterThan(0);
    for (const { member, alerts } of delivered) {
      for (const alert of alerts) {
        const to = alert.zoneId === undefined ? undefined : privateTo.get(alert.zoneId);
        if (to !== undefined)
          expect(to, `${member} got ${alert.kind} ${alert.zoneId}`).toContain(member);
      }
      const gotRestricted = alerts.some((a) => a.zoneId === 'restricted-1');
      expect(gotRestricted, member).toBe(member === 'ca');
    }
  });

  it('an audience with an area receives nothing positioned outside it', () => {
    const delivered = deliverToMembers(coalition, result.set.pictures, result.pictures, sc.zones);
    const inside = (areaId: string, lon: number, lat: number): boolean => {
      const zone = sc.zones.zones.findIndex((z) => z.id === areaId);
      return sc.zones.contains(zone, lon, lat);
    };
    const no = delivered.find((d) => d.member === 'no')!;
    const all =
      result.pictures[result.set.pictures.audiences.find((a) => a.member === 'no')!.picture]!;
    expect(no.tracks.length).toBeGreaterThan(0);
    expect(no.tracks.length).toBeLessThan(all.tracks.length);
    for (const track of no.tracks) expect(inside('eez-1', track.lon, track.lat)).toBe(true);
    for (const alert of no.alerts) expect(inside('eez-1', alert.lon, alert.lat)).toBe(true);
    // Everything of its picture inside the area does reach it.
    const expectedTracks = all.tracks.filter((t) => t.hasFix() && inside('eez-1', t.lon, t.lat));
    expect(no.tracks.map((t) => t.mmsi)).toEqual(expectedTracks.map((t) => t.mmsi));
    const kb = delivered.find((d) => d.member === 'ca-kb')!;
    for (const track of kb.tracks) expect(inside('port-1', track.lon, track.lat)).toBe(true);
    for (const alert of kb.alerts) expect(inside('port-1', alert.lon, alert.lat)).toBe(true);
  });

  it('a feed of a member the coalition does not know is rejected line by line and feeds no picture', () => {
    expect(result.unknownFeeds).toEqual([
      { member: 'xx', path: sc.feeds[0]!.path, lines: sc.sim.feeds[0]!.lines.length },
    ]);
    for (const picture of result.pictures) {
      for (const track of tracksJson(picture.core, picture.tracks, sc.zones)) {
        expect((track as { sources: string[] }).sources).not.toContain('xx');
      }
    }
  });
});
