import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { dataDir, readDataFile } from './data-dir.js';

/**
 * The stored Debian `gpsdecode -j` (gpsd 3.22) outputs in vectors/gpsd-ref: one per raw input
 * file, named after the input path with '/' → '__' plus `.json` (`.json.gz` when large). Inputs
 * ending in `.gz` were decompressed before gpsdecode read them.
 */
export interface GpsdReference {
  /** Path of the reference under the data folder. */
  readonly reference: string;
  /** Path of the raw input it was made from, under the data folder. */
  readonly input: string;
}

export const GPSD_REF_DIR = 'vectors/gpsd-ref';

export function listGpsdReferences(): GpsdReference[] {
  return readdirSync(path.join(dataDir(), GPSD_REF_DIR))
    .filter((name) => /\.json(\.gz)?$/.test(name))
    .sort()
    .map((name) => ({
      reference: `${GPSD_REF_DIR}/${name}`,
      input: name.replace(/\.json(\.gz)?$/, '').replaceAll('__', '/'),
    }));
}

/** The reference's text exactly as gpsdecode printed it. */
export function readGpsdReferenceText(ref: GpsdReference): string {
  return readDataFile(ref.reference).toString('utf8');
}

/** One JSON object per line (gpsd also prints TPV/SKY reports for `$GP` sentences). */
export function parseGpsdReports(
  ref: GpsdReference,
  text: string,
): Array<Readonly<Record<string, unknown>>> {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const parsed: unknown = JSON.parse(line);
      if (parsed === null || typeof parsed !== 'object') {
        throw new Error(`${ref.reference}:${index + 1}: not a JSON object.`);
      }
      return parsed as Readonly<Record<string, unknown>>;
    });
}

/** Folders of raw feeds; their NMEA files should all have a stored reference. */
const RAW_FOLDERS = ['tracks', 'anomalies'];

/**
 * NMEA files under tracks/ and anomalies/ that have no stored reference (found by content: an
 * AIVDM/AIVDO sentence in the first 4 kB), as paths under the data folder.
 */
export function listRawStreamsWithoutReference(): string[] {
  const referenced = new Set(listGpsdReferences().map((r) => r.input));
  const found: string[] = [];
  const walk = (relative: string): void => {
    for (const name of readdirSync(path.join(dataDir(), relative)).sort()) {
      const child = `${relative}/${name}`;
      if (statSync(path.join(dataDir(), child)).isDirectory()) {
        if (name !== 'derived') walk(child);
      } else if (!referenced.has(child) && !/\.(csv|json)(\.gz)?$/.test(name)) {
        const head = readDataFile(child).subarray(0, 4096).toString('latin1');
        if (/VD[MO],/.test(head)) found.push(child);
      }
    }
  };
  for (const folder of RAW_FOLDERS) walk(folder);
  return found;
}
