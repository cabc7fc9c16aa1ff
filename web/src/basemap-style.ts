import type { StyleSpecification } from 'maplibre-gl';

/**
 * The offline basemap (DESIGN.md §7): sea, Natural Earth land and country borders served by the
 * picture's own server as GeoJSON (built from `world-atlas`). No tiles, no glyphs, no sprites:
 * the style names nothing outside the page's origin.
 */
export function basemapStyle(): StyleSpecification {
  const here = (path: string): string => new URL(path, location.href).href;
  return {
    version: 8,
    sources: {
      land: { type: 'geojson', data: here('basemap/land.geojson') },
      borders: { type: 'geojson', data: here('basemap/borders.geojson') },
    },
    layers: [
      { id: 'sea', type: 'background', paint: { 'background-color': '#0e2a3b' } },
      // The coastline as the fill's 1-pixel outline, not a line layer: under software WebGL the
      // line layer cost ~50 ms a frame at 1400×860 (README, issue 15), the outline next to none.
      {
        id: 'land',
        type: 'fill',
        source: 'land',
        paint: { 'fill-color': '#2b3a33', 'fill-outline-color': '#4d6b5e' },
      },
      {
        id: 'borders',
        type: 'line',
        source: 'borders',
        paint: { 'line-color': '#6f7f86', 'line-width': 0.6, 'line-dasharray': [3, 2] },
      },
    ],
  };
}
