import { describe, expect, it } from 'vitest';
import { parseZoneCollection } from '../../src/zones/parse-zones.js';
import { collection, expectError, feature, SQUARE, zoneError } from '../support/zone-geojson.js';

const HOLE = [
  [0.25, 0.25],
  [0.25, 0.75],
  [0.75, 0.75],
  [0.25, 0.25],
];

describe('parseZoneCollection: Tidewatch zone files (DESIGN.md §3)', () => {
  it('reads id, name, kind and members, Polygon with holes and MultiPolygon', () => {
    const { zones, warnings } = parseZoneCollection(
      collection(
        feature({ id: 'dk-ts', name: 'Danish territorial sea', kind: 'territorial_sea' }),
        feature(
          { id: 42, kind: 'mpa', members: ['dk-navy', 'se-cg'] },
          {
            type: 'MultiPolygon',
            coordinates: [
              [SQUARE[0], HOLE],
              [
                [
                  [5, 5],
                  [6, 5],
                  [6, 7],
                  [5, 5],
                ],
              ],
            ],
          },
        ),
      ),
      'zones.geojson',
    );
    expect(warnings).toEqual([]);
    expect(zones).toHaveLength(2);
    expect(zones[0]).toMatchObject({
      index: 0,
      id: 'dk-ts',
      name: 'Danish territorial sea',
      kind: 'territorial_sea',
      members: undefined,
      bbox: [0, 0, 1, 1],
    });
    expect(zones[0]!.polygons).toEqual([SQUARE]);
    expect(zones[1]).toMatchObject({ index: 1, id: '42', name: '42', kind: 'mpa' });
    expect(zones[1]!.members).toEqual(['dk-navy', 'se-cg']);
    expect(zones[1]!.polygons).toHaveLength(2);
    expect(zones[1]!.polygons[0]).toHaveLength(2);
    expect(zones[1]!.bbox).toEqual([0, 0, 6, 7]);
  });

  it('reads a single Feature and takes the Feature id when properties have none', () => {
    const { zones } = parseZoneCollection(
      { ...feature({ kind: 'port' }), id: 'harbour' },
      'harbour.json',
    );
    expect(zones.map((z) => [z.id, z.kind])).toEqual([['harbour', 'port']]);
  });

  it('refuses an unknown kind, naming the file, the feature and the value', () => {
    const error = zoneError(() =>
      parseZoneCollection(
        collection(feature({ id: 'a', kind: 'eez' }), feature({ id: 'b', kind: 'harbour' })),
        'zones.geojson',
      ),
    );
    expect(error.code).toBe('kind');
    expect(error.source).toBe('zones.geojson');
    expect(error.feature).toBe(1);
    expect(error.message).toBe(
      'zones.geojson: feature 1: unknown kind "harbour" (expected one of eez, territorial_sea, contiguous, mpa, restricted, port, custom)',
    );
  });

  it('refuses a missing, empty or malformed id', () => {
    expectError(
      () => parseZoneCollection(collection(feature({ kind: 'eez' })), 'z.json'),
      'id',
      /^z\.json: feature 0: missing id/,
    );
    expectError(
      () => parseZoneCollection(collection(feature({ id: '', kind: 'eez' })), 'z.json'),
      'id',
      /id "" is not a non-empty string/,
    );
    expectError(
      () => parseZoneCollection(collection(feature({ id: { x: 1 }, kind: 'eez' })), 'z.json'),
      'id',
      /id \{"x":1\}/,
    );
  });

  it('refuses a duplicate id, naming where it was first', () => {
    expectError(
      () =>
        parseZoneCollection(
          collection(feature({ id: 'a', kind: 'eez' }), feature({ id: 'a', kind: 'port' })),
          'z.json',
        ),
      'duplicate_id',
      /^z\.json: feature 1: duplicate zone id "a" \(first in z\.json feature 0\)$/,
    );
  });

  it('refuses bad names and members', () => {
    expectError(
      () => parseZoneCollection(collection(feature({ id: 'a', kind: 'eez', name: 7 })), 'z.json'),
      'property',
      /id "a": name 7 is not a string/,
    );
    expectError(
      () =>
        parseZoneCollection(
          collection(feature({ id: 'a', kind: 'eez', members: ['dk', ''] })),
          'z.json',
        ),
      'property',
      /members \["dk",""\] is not an array of non-empty strings/,
    );
  });

  it('skips features without an area, with a warning each', () => {
    const { zones, warnings } = parseZoneCollection(
      collection(
        feature(
          { id: 'line', kind: 'custom' },
          {
            type: 'LineString',
            coordinates: [
              [0, 0],
              [1, 1],
            ],
          },
        ),
        feature({ id: 'none', kind: 'custom' }, null),
        feature({ id: 'empty', kind: 'custom' }, { type: 'MultiPolygon', coordinates: [] }),
        feature({ id: 'ok', kind: 'custom' }),
      ),
      'z.json',
    );
    expect(zones.map((z) => z.id)).toEqual(['ok']);
    expect(zones[0]!.index).toBe(0);
    expect(warnings.map((w) => [w.feature, w.reason])).toEqual([
      [0, 'not_polygon'],
      [1, 'no_geometry'],
      [2, 'empty_geometry'],
    ]);
    expect(warnings[0]!.message).toBe(
      'z.json: feature 0 (id "line"): geometry "LineString" is not an area, skipped',
    );
  });

  it.each([
    [
      [
        [
          [0, 0],
          [200, 0],
          [1, 1],
          [0, 0],
        ],
      ],
      /coordinates\[0\]\[1\]: longitude 200 outside \[-180, 180\].*antimeridian/,
    ],
    [
      [
        [
          [0, 0],
          [1, 0],
          [1, 95],
          [0, 0],
        ],
      ],
      /coordinates\[0\]\[2\]: latitude 95 outside \[-90, 90\]/,
    ],
    [
      [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
        ],
      ],
      /coordinates\[0\]: ring not closed, first position \[0, 0\] ≠ last \[0, 1\]/,
    ],
    [
      [
        [
          [0, 0],
          [1, 0],
          [0, 0],
        ],
      ],
      /coordinates\[0\] is .*: a ring needs at least 4 positions/,
    ],
    [
      [
        [
          [0, 0],
          [1, '0'],
          [1, 1],
          [0, 0],
        ],
      ],
      /coordinates\[0\]\[1\] is \[1,"0"\], expected \[lon, lat\]/,
    ],
    [
      [
        [
          [0, 0],
          [1, null],
          [1, 1],
          [0, 0],
        ],
      ],
      /coordinates\[0\]\[1\] is \[1,null\]/,
    ],
    [[], /Polygon coordinates has no rings|empty Polygon/],
  ])('refuses invalid coordinates %j', (coordinates, message) => {
    const json = collection(feature({ id: 'bad', kind: 'eez' }, { type: 'Polygon', coordinates }));
    if (coordinates.length === 0) {
      // An empty Polygon has no area: skipped with a warning, like an empty MultiPolygon.
      expect(parseZoneCollection(json, 'z.json').warnings[0]!.message).toMatch(message);
      return;
    }
    expectError(() => parseZoneCollection(json, 'z.json'), 'coordinates', message);
    expect(zoneError(() => parseZoneCollection(json, 'z.json')).message).toMatch(
      /^z\.json: feature 0: id "bad": Polygon coordinates/,
    );
  });

  it('refuses what is not a FeatureCollection or a Feature', () => {
    expectError(
      () => parseZoneCollection([], 'z.json'),
      'structure',
      /expected a GeoJSON object, got \[\]/,
    );
    expectError(
      () => parseZoneCollection({ type: 'Polygon', coordinates: SQUARE }, 'z.json'),
      'structure',
      /type "Polygon": expected a FeatureCollection or a Feature/,
    );
    expectError(
      () => parseZoneCollection({ type: 'FeatureCollection' }, 'z.json'),
      'structure',
      /"features" is missing/,
    );
    expectError(
      () => parseZoneCollection(collection({ type: 'Feature', properties: 'x' }), 'z.json'),
      'structure',
      /feature 0: properties is "x"/,
    );
  });
});

describe('parseZoneCollection: S-57 chart layers and foreign files', () => {
  const enc = (objl: number | undefined, lnam?: string, objnam?: string) =>
    feature({ RCID: 1, ...(objl === undefined ? {} : { OBJL: objl }), LNAM: lnam, OBJNAM: objnam });

  it('infers kind from OBJL, id from LNAM and name from OBJNAM', () => {
    const { zones } = parseZoneCollection(
      collection(enc(4, '022625B314CD07A4', 'Anchorage Area B'), enc(112, '02260003A7720001')),
      'layers.geojson',
    );
    expect(zones.map((z) => [z.id, z.name, z.kind])).toEqual([
      ['022625B314CD07A4', 'Anchorage Area B', 'port'],
      ['02260003A7720001', 'Restricted area 02260003A7720001', 'restricted'],
    ]);
  });

  it.each([
    ['US4FL34M_ACHARE.geojson', 'port'],
    ['US4FL34M_RESARE.geojson', 'restricted'],
    ['US4FL34M_EXEZNE.geojson', 'eez'],
    ['US4FL34M_CONZNE.geojson', 'contiguous'],
    ['US5MIACC_TESARE.geojson', 'territorial_sea'],
    ['US4FL34M_ADMARE.geojson', 'custom'],
    ['US4FL34M_FAIRWY.geojson', 'custom'],
    ['/data/US4FL34M_PRCARE.geojson.gz', 'custom'],
  ])('infers the kind of %s from its file name', (source, kind) => {
    const { zones } = parseZoneCollection(collection(enc(undefined)), source);
    expect(zones[0]!.kind).toBe(kind);
    // No LNAM: the id is the file stem and the feature's position.
    expect(zones[0]!.id).toMatch(/^US\w+_[A-Z]{6}#0$/);
  });

  it('refuses a feature with no kind it can infer, suggesting the kind option', () => {
    expectError(
      () => parseZoneCollection(collection(enc(83)), 'US4FL34M_MIPARE.geojson'),
      'kind',
      /feature 0: no kind property and S-57 class OBJL 83 has no zone kind; give the feature a kind .* or the file a kind option/,
    );
    expectError(
      () => parseZoneCollection(collection(feature({ Id: 0 })), 'eez_aust_mainland_pl.geojson'),
      'kind',
      /no kind property; give the feature a kind/,
    );
  });

  it('applies per-file options by file name, stem or path', () => {
    const json = collection(
      feature({ Id: 0, limit_name: 'Port of Albany', port_file: 'albany' }),
      feature({ Id: 0, limit_name: 'Port of Broome', port_file: 'broome' }),
    );
    const byStem = parseZoneCollection(json, '/x/ports.geojson', {
      files: { ports: { kind: 'port', idProperty: 'port_file', nameProperty: 'limit_name' } },
    });
    expect(byStem.zones.map((z) => [z.id, z.name, z.kind])).toEqual([
      ['albany', 'Port of Albany', 'port'],
      ['broome', 'Port of Broome', 'port'],
    ]);
    const byName = parseZoneCollection(json, '/x/ports.geojson', {
      files: { 'ports.geojson': { kind: 'eez' } },
    });
    expect(byName.zones.map((z) => [z.id, z.kind])).toEqual([
      ['ports#0', 'eez'],
      ['ports#1', 'eez'],
    ]);
    // The option wins over the S-57 class and over a kind property.
    const forced = parseZoneCollection(collection(enc(4, 'L1')), 'US4FL34M_ACHARE.geojson', {
      files: { 'US4FL34M_ACHARE.geojson': { kind: 'restricted' } },
    });
    expect(forced.zones[0]!.kind).toBe('restricted');
    expectError(
      () =>
        parseZoneCollection(json, 'ports.geojson', {
          files: { ports: { kind: 'harbour' as 'port' } },
        }),
      'kind',
      /^ports\.geojson: option kind "harbour" is not one of/,
    );
  });
});
