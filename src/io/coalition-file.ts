import { readFileSync } from 'node:fs';
import type { Coalition } from '../coalition/coalition.js';
import { CoalitionError } from '../coalition/coalition-error.js';
import { parseCoalitionText } from '../coalition/coalition-text.js';
import { errorText } from '../util/error-text.js';
import type { Zone } from '../zones/zone.js';

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
