import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadZoneFiles, loadZoneIndex } from '../../src/io/zone-files.js';
import { collection, expectError, feature } from '../support/zone-geojson.js';

describe('loadZoneFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tidewatch-zones-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, json: unknown, gzip = false): string => {
    const path = join(dir, name);
    const text = JSON.stringify(json);
    writeFileSync(path, gzip ? gzipSync(text) : text);
    return path;
  };

  it('reads plain and gzipped files into one zone set, indexes in order', async () => {
    const a = write('a.geojson', collection(feature({ id: 'a1', kind: 'eez' })));
    const b = write(
      'b.geojson.gz',
      collection(
        feature({ id: 'b1', kind: 'port' }),
        feature({ id: 'b2', kind: 'port' }, { type: 'Point', coordinates: [0, 0] }),
      ),
      true,
    );
    const { zones, warnings } = loadZoneFiles([a, b]);
    expect(zones.map((z) => [z.index, z.id])).toEqual([
      [0, 'a1'],
      [1, 'b1'],
    ]);
    expect(warnings.map((w) => [w.source, w.feature])).toEqual([[b, 1]]);

    const seen: string[] = [];
    const index = await loadZoneIndex([a, b], { onWarning: (w) => seen.push(w.message) });
    expect(index.zones).toHaveLength(2);
    expect(index.inKind(0.5, 0.5, 'port')).toBe(true);
    expect(seen).toHaveLength(1);
  });

  it('refuses a duplicate id across files', () => {
    const a = write('dup-a.geojson', collection(feature({ id: 'x', kind: 'eez' })));
    const b = write('dup-b.geojson', collection(feature({ id: 'x', kind: 'eez' })));
    expectError(
      () => loadZoneFiles([a, b]),
      'duplicate_id',
      /dup-b\.geojson: feature 0: duplicate zone id "x" \(first in .*dup-a\.geojson feature 0\)/,
    );
  });

  it('names the file it cannot read or parse', () => {
    expectError(
      () => loadZoneFiles([join(dir, 'missing.geojson')]),
      'read',
      /missing\.geojson: cannot read/,
    );
    const path = join(dir, 'broken.geojson');
    writeFileSync(path, '{"type": "FeatureCollection", ');
    expectError(() => loadZoneFiles([path]), 'json', /broken\.geojson: not JSON/);
  });
});
