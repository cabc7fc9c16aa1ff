import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The shared real-data folder (`AIS_DATA_DIR`, default `../shared/data` from the project root),
 * or undefined when it is absent: unit tests that need it skip and say why; CI sets it.
 */
export const AIS_DATA_DIR: string | undefined = (() => {
  const dir = path.resolve(PROJECT_ROOT, process.env.AIS_DATA_DIR ?? '../shared/data');
  return existsSync(dir) ? dir : undefined;
})();

export const MISSING_DATA_NOTE = ' (skipped: AIS data not found; set AIS_DATA_DIR)';

/** A path under the data folder (only call when AIS_DATA_DIR is defined). */
export function dataPath(relative: string): string {
  return path.join(AIS_DATA_DIR ?? '', relative);
}
