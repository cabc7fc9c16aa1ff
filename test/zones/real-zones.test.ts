import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { booleanPointInPolygon, multiPolygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { loadZoneFiles } from '../../src/io/zone-files.js';
import { bboxOf, type LonLat, type Zone } from '../../src/zones/zone.js';
import { ZoneIndex } from '../../src/zones/zone-index.js';
import { seededRandom } from '../support/seeded-random.js';
import { pointsNearEdges, uniformPoints } from './random-polygons.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = resolve(projectRoot, process.env.AIS_DATA_DIR ?? '../shared/data');
const miamiDir = join(dataDir, 'zones/noaa_enc_miami');
const amsaDir = join(dataDir, 'zones/amsa_risky');
const haveMiami = existsSync(miamiDir);
const haveAmsa = existsSync(join(amsaDir, 'eez_aust_mainland_pl.geojson'));
const skipped = (path: string) => ` (skipped: ${path} not found; set AIS_DATA_DIR)`;

/** For each point, the indexes of the zones turf's booleanPointInPolygon puts it in. */
function turfZonesAt(zones: readonly Zone[], points: readonly LonLat[]): number[][] {
  const features = zones.map((z) =>
    multiPolygon(z.polygons.map((p) => p.map((ring) => ring.map(([x, y]) => [x, y])))),
  );
  return points.map(([x, y]) =>
    features.flatMap((feature, i) => (booleanPointInPolygon([x, y], feature) ? [i] : [])),
  );
}

function mismatches(index: ZoneIndex, points: readonly LonLat[]): string[] {
  const expected = turfZonesAt(index.zones, points);
  const out: number[] = [];
  const wrong: string[] = [];
  points.forEach(([x, y], p) => {
    const got = out.slice(0, index.zonesAt(x, y, out));
    if (got.join() !== expected[p]!.join()) wrong.push(`${x},${y}: ${got} ≠ turf ${expected[p]}`);
  });
  return wrong;
}

describe.skipIf(!haveMiami)(`NOAA ENC zones off Miami${haveMiami ? '' : skipped(miamiDir)}`, () => {
  const files = haveMiami
    ? readdirSync(miamiDir)
        .filter((name) => name.endsWith('.geojson'))
        .sort()
        .map((name) => join(miamiDir, name))
    : [];
  const { zones, warnings } = haveMiami ? loadZoneFiles(files) : { zones: [], warnings: [] };
  const index = new ZoneIndex(zones);
  const byName = (name: string): Zone => zones.find((z) => z.name === name)!;

  it('loads every layer, kinds inferred from the S-57 class, ids from LNAM', () => {
    expect(files).toHaveLength(14);
    expect(warnings).toEqual([]);
    expect(zones).toHaveLength(30);
    const KIND_OF_CLASS: Record<string, string> = {
      ACHARE: 'port',
      ADMARE: 'custom',
      CONZNE: 'contiguous',
      EXEZNE: 'eez',
      FAIRWY: 'custom',
      PRCARE: 'custom',
      RESARE: 'restricted',
      TESARE: 'territorial_sea',
    };
    const counts: Record<string, number> = {};
    for (const z of zones) {
      expect(z.id).toMatch(/^0226[0-9A-F]{12}$/);
      counts[z.kind] = (counts[z.kind] ?? 0) + 1;
    }
    expect(counts).toEqual({
      port: 2,
      custom: 6,
      contiguous: 1,
      eez: 1,
      restricted: 17,
      territorial_sea: 3,
    });
    // Each file's features take its class's kind.
    for (const file of files) {
      const s57Class = /_([A-Z]{6})\.geojson$/.exec(file)![1]!;
      const kinds = new Set(loadZoneFiles([file]).zones.map((z) => z.kind));
      expect([...kinds], file).toEqual([KIND_OF_CLASS[s57Class]]);
    }
    expect(byName('Anchorage Area B')).toMatchObject({ id: '022625B314CD07A4', kind: 'port' });
    expect(byName('Intracoastal Waterway').polygons[0]).toHaveLength(2); // a ring with a hole
  });

  it.each([
    // [lon, lat, what is there, names of the zones expected (besides the 3 nm admin area)]
    [-80.077, 25.79, 'Anchorage Area B', ['Anchorage Area B']],
    [-80.0922, 25.787, 'Anchorage Area A', ['Anchorage Area A']],
    [-80.088, 25.79, 'between the two anchorages', []],
    [
      -79.935,
      25.6,
      'the EEZ and contiguous-zone sliver',
      ['Contiguous zone 02260003A7710001', 'Exclusive economic zone 02260003A7720001'],
    ],
    [
      -80.1635,
      25.77647,
      'Port of Miami security zone in the harbour channel',
      ['Miami Harbor Channel', 'Port of Miami Florida Fixed Security Zone'],
    ],
    [
      -80.12939,
      25.62771,
      'Biscayne National Park',
      ['Biscayne National Park', 'Restricted area 022600C5D8000032'],
    ],
    [-80.12663, 25.90691, 'the hole of the Intracoastal Waterway polygon', []],
  ])('%f, %f (%s)', (lon, lat, _what, names) => {
    const out: number[] = [];
    const found = out
      .slice(0, index.zonesAt(lon, lat, out))
      .map((i) => zones[i]!.name)
      .filter((name) => !name.startsWith('Administration area'));
    expect(found.sort()).toEqual([...names].sort());
  });

  it('knows which points are in a port zone', () => {
    expect(index.inKind(-80.077, 25.79, 'port')).toBe(true);
    expect(index.inKind(-80.088, 25.79, 'port')).toBe(false);
    expect(index.inKind(-80.5, 25.7, 'port')).toBe(false);
    expect(index.contains(byName('Anchorage Area A').index, -80.0922, 25.787)).toBe(true);
  });

  it('agrees with turf on 10 000 seeded points over the Miami charts, and next to every edge', () => {
    const random = seededRandom(305);
    const all = zones.flatMap((z) => z.polygons);
    const waterway = byName('Intracoastal Waterway');
    const points = [
      ...uniformPoints(random, bboxOf(all), 10_000, 0.02),
      ...pointsNearEdges(random, all, 5_000),
      // The waterway's hole is a few hundred metres across: aim at it.
      ...uniformPoints(random, bboxOf([[waterway.polygons[0]![1]!]]), 500, 0.5),
    ];
    expect(mismatches(index, points)).toEqual([]);
  });

  it('agrees with turf with every polygon gridded', () => {
    const gridded = new ZoneIndex(zones, { gridMinVertices: 0 });
    const random = seededRandom(306);
    const all = zones.flatMap((z) => z.polygons);
    const points = [
      ...uniformPoints(random, bboxOf(all), 5_000, 0.02),
      ...pointsNearEdges(random, all, 5_000),
    ];
    expect(mismatches(gridded, points)).toEqual([]);
  });
});

describe.skipIf(!haveAmsa)(
  `AMSA Australian mainland EEZ and port polygons${haveAmsa ? '' : skipped(amsaDir)}`,
  () => {
    const { zones, warnings } = haveAmsa
      ? loadZoneFiles(
          [
            join(amsaDir, 'eez_aust_mainland_pl.geojson'),
            join(amsaDir, 'amsa_port_visit_polygons.geojson'),
            join(amsaDir, 'coral_sea_atba.geojson'),
          ],
          {
            files: {
              eez_aust_mainland_pl: { kind: 'eez', nameProperty: 'NAME' },
              amsa_port_visit_polygons: { kind: 'port', nameProperty: 'limit_name' },
              coral_sea_atba: { kind: 'restricted' },
            },
          },
        )
      : { zones: [], warnings: [] };
    const index = new ZoneIndex(zones);
    const eez = zones[0]!;

    it('loads the EEZ polygon, 41 ports and the Coral Sea area to be avoided', () => {
      expect(eez).toMatchObject({ id: 'eez_aust_mainland_pl#0', kind: 'eez' });
      expect(eez.polygons[0]![0]!.length).toBeGreaterThan(5_000);
      expect(zones.filter((z) => z.kind === 'port')).toHaveLength(41);
      expect(zones.find((z) => z.name === 'Port of Sydney')).toBeDefined();
      // 19 of the ATBA's 20 features are empty MultiPolygons.
      expect(warnings.map((w) => w.reason)).toEqual(Array(19).fill('empty_geometry'));
      expect(zones.filter((z) => z.kind === 'restricted')).toHaveLength(1);
    });

    it('agrees with turf on the EEZ for 20 000 seeded points over Australia and 10 000 by its edges', () => {
      const random = seededRandom(61);
      const eezOnly = new ZoneIndex([eez]);
      const points = [
        ...uniformPoints(random, eez.bbox, 20_000, 0.05),
        ...pointsNearEdges(random, eez.polygons, 10_000),
      ];
      expect(mismatches(eezOnly, points)).toEqual([]);
    });

    it('agrees with turf on the port polygons, next to their edges', () => {
      const random = seededRandom(62);
      const ports = zones.filter((z) => z.kind === 'port').flatMap((z) => z.polygons);
      expect(mismatches(index, pointsNearEdges(random, ports, 5_000))).toEqual([]);
    });

    it('places known points', () => {
      const out: number[] = [];
      const names = (lon: number, lat: number) =>
        out.slice(0, index.zonesAt(lon, lat, out)).map((i) => zones[i]!.name);
      expect(names(151.21, -33.85)).toEqual(['eez_aust_mainland_pl#0', 'Port of Sydney']);
      expect(names(151.5, -34)).toEqual(['eez_aust_mainland_pl#0']); // off Sydney
      expect(names(170, -30)).toEqual([]); // beyond the EEZ, east of Lord Howe
      expect(index.inKind(115.75, -32.05, 'port')).toBe(true); // Fremantle
    });
  },
);
