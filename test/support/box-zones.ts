import { parseZoneCollection } from '../../src/zones/parse-zones.js';
import type { ZoneKind } from '../../src/zones/zone.js';
import { ZoneIndex } from '../../src/zones/zone-index.js';

/** A zone drawn as a lon/lat box, for detector tests. */
export interface BoxZone {
  readonly id: string;
  readonly name: string;
  readonly kind: ZoneKind;
  readonly members?: readonly string[];
  /** [minLon, minLat, maxLon, maxLat], degrees. */
  readonly box: readonly [number, number, number, number];
}

/** A ZoneIndex of box zones, loaded through the GeoJSON loader as real zone files are. */
export function boxZones(...zones: readonly BoxZone[]): ZoneIndex {
  const features = zones.map(({ box, ...properties }) => {
    const [minLon, minLat, maxLon, maxLat] = box;
    return {
      type: 'Feature',
      properties,
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [minLon, minLat],
            [maxLon, minLat],
            [maxLon, maxLat],
            [minLon, maxLat],
            [minLon, minLat],
          ],
        ],
      },
    };
  });
  return new ZoneIndex(
    parseZoneCollection({ type: 'FeatureCollection', features }, 'zones.geojson').zones,
  );
}
