import { readDataFile } from './data-dir.js';

/** One case of vectors/combined/ais_decode_vectors.jsonl (see its SOURCE.txt). */
export interface AisVector {
  /** Upstream project and file or test name, e.g. `gpsd:gpsd/daemon/ais-nmea.log.chk`. */
  readonly source: string;
  /** Unit convention of `expected` (see expected-fields.ts). */
  readonly style: string;
  readonly sentences: readonly string[];
  readonly expected: Readonly<Record<string, unknown>>;
  /** 1-based line in the .jsonl file, to find the case again. */
  readonly line: number;
}

export const VECTORS_FILE = 'vectors/combined/ais_decode_vectors.jsonl';

export function loadVectors(): AisVector[] {
  const text = readDataFile(VECTORS_FILE).toString('utf8');
  const vectors: AisVector[] = [];
  text.split('\n').forEach((json, index) => {
    if (json.trim() === '') return;
    const parsed: unknown = JSON.parse(json);
    if (!isVector(parsed)) throw new Error(`${VECTORS_FILE}:${index + 1}: not a vector.`);
    vectors.push({ ...parsed, line: index + 1 });
  });
  return vectors;
}

function isVector(value: unknown): value is Omit<AisVector, 'line'> {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.source === 'string' &&
    typeof v.style === 'string' &&
    Array.isArray(v.sentences) &&
    v.sentences.every((s) => typeof s === 'string') &&
    v.expected !== null &&
    typeof v.expected === 'object'
  );
}

/** Groups pyais / libais test names under their file for the per-source table. */
export function sourceGroup(source: string): string {
  const test = source.indexOf('::');
  return test < 0 ? source : source.slice(0, test);
}
