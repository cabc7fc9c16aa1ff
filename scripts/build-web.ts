import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

/**
 * Builds the operations picture's page (issue 15) into `dist/web`: web/src bundled by esbuild
 * (MapLibre GL, deck.gl and the page's code in one ES module, its CSS beside it), MapLibre's
 * worker copied as it ships, and the offline basemap — Natural Earth land and country borders
 * from `world-atlas` (TopoJSON, 1:50 m) turned into GeoJSON. Nothing the page loads comes from
 * anywhere but the server (DESIGN.md §7). Run by `npm run build`; the tests call `buildWeb`.
 */
export async function buildWeb(outDir: string): Promise<void> {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const require = createRequire(join(root, 'package.json'));
  mkdirSync(join(outDir, 'basemap'), { recursive: true });
  await build({
    entryPoints: [join(root, 'web/src/main.ts')],
    outdir: outDir,
    entryNames: 'app',
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
    loader: { '.css': 'css' },
  });
  copyFileSync(join(root, 'web/index.html'), join(outDir, 'index.html'));
  copyFileSync(join(root, 'web/picture.css'), join(outDir, 'picture.css'));
  const maplibre = dirname(require.resolve('maplibre-gl/package.json'));
  copyFileSync(
    join(maplibre, 'dist/maplibre-gl-worker.mjs'),
    join(outDir, 'maplibre-gl-worker.mjs'),
  );
  const atlas = dirname(require.resolve('world-atlas/package.json'));
  const land = JSON.parse(readFileSync(join(atlas, 'land-50m.json'), 'utf8')) as Topology;
  writeFileSync(
    join(outDir, 'basemap/land.geojson'),
    JSON.stringify(feature(land, land.objects.land as GeometryCollection)),
  );
  const countries = JSON.parse(readFileSync(join(atlas, 'countries-50m.json'), 'utf8')) as Topology;
  // Borders between countries only (a !== b): coastlines come with the land polygons.
  writeFileSync(
    join(outDir, 'basemap/borders.geojson'),
    JSON.stringify(
      mesh(countries, countries.objects.countries as GeometryCollection, (a, b) => a !== b),
    ),
  );
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = resolve(process.argv[2] ?? 'dist/web');
  await buildWeb(outDir);
  process.stdout.write(`page built into ${outDir}\n`);
}
