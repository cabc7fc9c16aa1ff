import { type LoadZonesOptions, loadZoneFiles, type ZoneWarning } from './load-zones.js';
import { ZoneIndex, type ZoneIndexOptions } from './zone-index.js';

export interface LoadZoneIndexOptions extends LoadZonesOptions, ZoneIndexOptions {
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
