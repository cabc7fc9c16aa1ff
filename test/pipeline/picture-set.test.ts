import { describe, expect, it } from 'vitest';
import { AisMessage } from '../../src/ais/ais-message.js';
import { hasBit } from '../../src/coalition/bitset.js';
import { parseCoalition } from '../../src/coalition/parse-coalition.js';
import { releaseBetween, visibleAt } from '../../src/coalition/release.js';
import { DEFAULT_CORE_CONFIG } from '../../src/pipeline/core-config.js';
import { defaultDetectors } from '../../src/pipeline/default-detectors.js';
import { PictureSet } from '../../src/pipeline/picture-set.js';
import { boxZones } from '../support/box-zones.js';

const T0 = Date.UTC(2026, 0, 1);
const DETECTOR_COUNT = defaultDetectors(DEFAULT_CORE_CONFIG).length;

const zones = boxZones(
  { id: 'eez', name: 'EEZ', kind: 'eez', box: [0, 0, 10, 10] },
  { id: 'no-sea', name: 'Territorial sea', kind: 'territorial_sea', box: [1, 1, 2, 2] },
);

const coalition = parseCoalition(
  {
    members: {
      ca: { name: 'Canada' },
      'ca-kb': { name: 'Port', parent: 'ca', voting: false },
      no: { name: 'Norway' },
      uk: { name: 'United Kingdom' },
    },
    modules: {
      picture: { members: ['ca', 'ca-kb', 'no', 'uk'], outputs: ['tracks'] },
      border: { members: ['ca', 'no', 'uk'], outputs: ['dark_gap', 'zone_entry'] },
    },
    release: {
      no: { to: ['ca', 'uk'], inside: { 'no-sea': [] } },
      'ca-kb': { to: [] },
    },
  },
  { source: 'test', zones: zones.zones },
);

function pictureSet(): PictureSet {
  return new PictureSet({
    coalition,
    zones,
    config: DEFAULT_CORE_CONFIG,
    detectors: defaultDetectors(DEFAULT_CORE_CONFIG),
    output: () => ({ alert: () => {} }),
  });
}

function position(mmsi: number, lat: number, lon: number, time: number): AisMessage {
  const m = new AisMessage();
  m.type = 1;
  m.mmsi = mmsi;
  m.lat = lat;
  m.lon = lon;
  m.receivedAt = time;
  m.payloadHash = mmsi ^ time;
  m.payloadCheck = m.payloadHash;
  return m;
}

describe('PictureSet', () => {
  it('feeds a contribution to exactly the pictures whose audiences may see it (release.ts)', () => {
    const set = pictureSet();
    const places = [
      { lat: 5, lon: 5, zoneIds: new Set(['eez']) },
      { lat: 1.5, lon: 1.5, zoneIds: new Set(['eez', 'no-sea']) },
    ];
    let checked = 0;
    for (const { id: contributor } of coalition.members) {
      for (const place of places) {
        const mask = set.ingest(
          position(257000001, place.lat, place.lon, T0),
          contributor,
          undefined,
        );
        expect(mask).toBeDefined();
        for (const audience of set.pictures.audiences) {
          const module = coalition.modules.find((m) => m.name === audience.module)!;
          const release = releaseBetween(coalition, module, contributor, audience.member);
          const expected = visibleAt(release, place.zoneIds);
          expect(
            hasBit(mask!, audience.picture),
            `${contributor} → ${audience.module}/${audience.member}`,
          ).toBe(expected);
          checked++;
        }
      }
    }
    expect(checked).toBe(4 * 2 * 7);
  });

  it('rejects and counts a contribution of a member the coalition does not know, feeding nothing', () => {
    const set = pictureSet();
    expect(set.ingest(position(257000001, 5, 5, T0), 'xx', undefined)).toBeUndefined();
    expect(set.ingest(position(257000001, 5, 5, T0 + 1000), 'xx', undefined)).toBeUndefined();
    expect(set.rejected.unknown_member).toEqual(new Map([['xx', 2]]));
    expect(set.rejectedCount('unknown_member')).toBe(2);
    for (const core of set.cores) expect(core.stats.messages).toBe(0);
  });

  it('refuses a member left out of the declared contributors (a caller error, not input)', () => {
    const set = new PictureSet({
      coalition,
      zones,
      config: DEFAULT_CORE_CONFIG,
      detectors: [],
      output: () => ({ alert: () => {} }),
      contributors: new Set(['ca', 'no']),
    });
    expect(set.ingest(position(257000001, 5, 5, T0), 'ca', undefined)).toBeDefined();
    expect(() => set.ingest(position(257000001, 5, 5, T0), 'uk', undefined)).toThrow(/uk/);
    expect(set.cores.length).toBeLessThan(set.policyPictures.classes.length);
  });

  it("judges static data at the contributor's last position of the vessel", () => {
    const set = pictureSet();
    const ukPicture = set.pictures.audiences.find(
      (a) => a.module === 'picture' && a.member === 'uk',
    )!.picture;
    set.ingest(position(257000002, 1.5, 1.5, T0), 'no', undefined);
    const voyage = new AisMessage();
    voyage.type = 5;
    voyage.mmsi = 257000002;
    voyage.shipName = 'INSIDE';
    voyage.receivedAt = T0 + 1000;
    voyage.payloadHash = 7;
    voyage.payloadCheck = 7;
    expect(hasBit(set.ingest(voyage, 'no', undefined)!, ukPicture)).toBe(false);
    set.ingest(position(257000002, 5, 5, T0 + 2000), 'no', undefined);
    voyage.receivedAt = T0 + 3000;
    voyage.payloadHash = 8;
    expect(hasBit(set.ingest(voyage, 'no', undefined)!, ukPicture)).toBe(true);
  });

  it('runs the detectors only in pictures whose audiences receive an alert kind', () => {
    const set = pictureSet();
    // ca-kb is only in `picture` (tracks): its picture class has no alert output.
    const kb = set.pictures.audiences.find((a) => a.member === 'ca-kb')!.picture;
    expect(set.pictures.classes[kb]!.outputs).toEqual(['tracks']);
    // Every picture sees ca's own reports (its own, its parent's, or released to the module).
    set.ingest(position(257000003, 5, 5, T0), 'ca', undefined);
    set.ingest(position(257000004, 5, 5, T0), 'ca-kb', undefined);
    for (const core of set.cores) core.finish();
    // A fused track carries one slot per detector of its core.
    let withDetectors = 0;
    for (const [p, core] of set.cores.entries()) {
      const slots = [...core.tracks.values()][0]?.slots.length;
      if (slots === undefined) continue;
      const alertsOut = set.pictures.classes[p]!.outputs.some((o) => o !== 'tracks');
      expect(slots, set.pictures.classes[p]!.id).toBe(alertsOut ? DETECTOR_COUNT : 0);
      if (alertsOut) withDetectors++;
    }
    expect(withDetectors).toBeGreaterThan(0);
  });
});
