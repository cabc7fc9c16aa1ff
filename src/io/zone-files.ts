import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import {
  type ParseZonesOptions,
  ZoneCollector,
  type ZoneSet,
  type ZoneWarning,
} from '../zones/parse-zones.js';
import { ZoneError } from '../zones/zone-error.js';
import { ZoneIndex, type ZoneIndexOptions } from '../zones/zone-index.js';

/**
 * Reads zone files (GeoJSON FeatureCollection or Feature, `.gz` accepted) into one zone set.
 * Ids must be unique across all the files. Throws a ZoneError naming the file, the feature and
 * the bad value; features without a polygon area are skipped and listed in `warnings`.
 */
export function loadZoneFiles(paths: readonly string[], options: ParseZonesOptions = {}): ZoneSet {
  const collector = new ZoneCollector(options);
  for (const path of paths) {
    let text: string;
    try {
      const bytes = readFileSync(path);
      text = (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
    } catch (error) {
      throw new ZoneError('read', path, undefined, `cannot read: ${(error as Error).message}`, {
        cause: error,
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ZoneError('json', path, undefined, `not JSON: ${(error as Error).message}`, {
        cause: error,
      });
    }
    collector.add(json, path);
  }
  return collector.result();
}

export interface LoadZoneIndexOptions extends ParseZonesOptions, ZoneIndexOptions {
  /** Called for each skipped feature (default: a line on stderr, nothing is skipped silently). */
  readonly onWarning?: (warning: ZoneWarning) => void;
}

/** Zone files (`replay --zones PATH ...`, DESIGN.md §2.1) straight into a ZoneIndex. */
export async function loadZoneIndex(
  paths: readonly string[],
  options: LoadZoneIndexOptions = {},
): Promise<ZoneIndex> {
  const { zones, warnings } = loadZoneFiles(paths, options);
  const onWarning =
    options.onWarning ??
    ((warning: ZoneWarning) => process.stderr.write(`zones: ${warning.message}\n`));
  for (const warning of warnings) onWarning(warning);
  return new ZoneIndex(zones, options);
}
