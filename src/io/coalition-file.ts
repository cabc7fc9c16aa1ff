import { readFileSync } from 'node:fs';
import type { Coalition } from '../coalition/coalition.js';
import { CoalitionError } from '../coalition/coalition-error.js';
import { parseCoalitionText } from '../coalition/coalition-text.js';
import { errorText } from '../util/error-text.js';
import type { Zone } from '../zones/zone.js';
import type { ZoneIndex } from '../zones/zone-index.js';

/**
 * Reads a coalition file (`--coalition FILE`, DESIGN.md §6; YAML or JSON) and checks it against
 * the zones it will run with (see parseCoalition). Throws a CoalitionError listing every problem,
 * `read` when the file cannot be read.
 */
export function loadCoalitionFile(path: string, zones?: readonly Zone[]): Coalition {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new CoalitionError(
      path,
      [{ code: 'read', path: '(file)', message: `cannot read: ${errorText(error)}` }],
      { cause: error },
    );
  }
  return parseCoalitionText(text, { source: path, zones });
}

/**
 * A policy that withholds or limits by zones cannot be applied without them: every position
 * would be in no zone, and an `inside` rule would withhold nothing. Refused, not run open.
 */
export function requireCoalitionZones(coalition: Coalition, zones: ZoneIndex | undefined): void {
  if (zones !== undefined) return;
  const named = new Set<string>();
  for (const member of coalition.members) for (const id of member.area ?? []) named.add(id);
  for (const rule of coalition.release) for (const inside of rule.inside) named.add(inside.zoneId);
  if (named.size > 0) {
    throw new Error(
      `coalition ${coalition.source} limits by zones (${[...named].sort().join(', ')}): give the --zones files that define them`,
    );
  }
}
