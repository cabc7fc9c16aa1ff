import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** The project root (this file lives in test/conformance/). */
const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The shared real-data folder: `AIS_DATA_DIR`, default `../shared/data` from the project root
 * (DESIGN.md §5). It is read in place, never copied into the project.
 */
export function dataDir(): string {
  const dir = path.resolve(PROJECT_ROOT, process.env.AIS_DATA_DIR ?? '../shared/data');
  if (!existsSync(dir)) {
    throw new Error(`AIS data folder not found: ${dir}. Set AIS_DATA_DIR to the shared data.`);
  }
  return dir;
}

/** A file under the data folder, gunzipped when its name ends in `.gz`. */
export function readDataFile(relativePath: string): Buffer {
  const bytes = readFileSync(path.join(dataDir(), relativePath));
  return relativePath.endsWith('.gz') ? gunzipSync(bytes) : bytes;
}
