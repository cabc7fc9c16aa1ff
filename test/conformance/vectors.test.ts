import { beforeAll, describe, expect, it } from 'vitest';
import { loadVectors, sourceGroup, VECTORS_FILE } from './ais-vectors.js';
import { QUIRKS, type Quirk } from './field-compare.js';
import { findKnownDeviation, KNOWN_DEVIATIONS, type KnownDeviation } from './known-deviations.js';
import { formatTable, percent, publishReport } from './report.js';
import { checkVector, type VectorResult } from './vector-check.js';

/**
 * Requirement: every vector of vectors/combined/ais_decode_vectors.jsonl (gpsd, libais, pyais
 * expected decodes) whose message type we decode agrees with our decoder on every field that maps
 * to one of our keys, in ≥ 99.9 % of the vectors. Known policy deviations are listed apart.
 */
const MIN_AGREEMENT = 0.999;

interface Tally {
  vectors: number;
  otherType: number;
  known: number;
  compared: number;
  agree: number;
  disagree: number;
  missing: number;
}

function emptyTally(): Tally {
  return { vectors: 0, otherType: 0, known: 0, compared: 0, agree: 0, disagree: 0, missing: 0 };
}

let results: VectorResult[] = [];
const deviations = new Map<VectorResult, KnownDeviation>();

function describeVector(r: VectorResult): string {
  return `${r.vector.source} (${VECTORS_FILE}:${r.vector.line})\n    ${r.vector.sentences.join('\n    ')}`;
}

describe(`decode vectors (${VECTORS_FILE})`, () => {
  beforeAll(() => {
    results = loadVectors().map(checkVector);
    for (const r of results) {
      const known = findKnownDeviation(r.vector.source, r.vector.sentences);
      if (known !== undefined) deviations.set(r, known);
    }
  });

  it('reports agreement per source, every difference and every quirk used', () => {
    const bySource = new Map<string, Tally>();
    const total = emptyTally();
    const quirks = new Map<Quirk, number>();
    const differences: string[] = [];
    for (const r of results) {
      const group = sourceGroup(r.vector.source);
      const tally = bySource.get(group) ?? emptyTally();
      bySource.set(group, tally);
      for (const t of [tally, total]) {
        t.vectors++;
        if (r.status === 'other-type') t.otherType++;
        else if (deviations.has(r)) t.known++;
        else {
          t.compared++;
          t[r.status === 'agree' ? 'agree' : r.status === 'disagree' ? 'disagree' : 'missing']++;
        }
      }
      for (const o of r.outcomes) {
        if (o.ok && o.quirk !== undefined) quirks.set(o.quirk, (quirks.get(o.quirk) ?? 0) + 1);
      }
      if (deviations.has(r) || r.status === 'agree' || r.status === 'other-type') continue;
      const lines = [`${r.status.toUpperCase()} ${describeVector(r)}`];
      for (const o of r.outcomes) {
        if (!o.ok) {
          lines.push(
            `    field ${o.key} (from ${o.from}): expected ${o.expected}, got ${o.got}${o.why ? ` [${o.why}]` : ''}`,
          );
        }
      }
      for (const j of r.rejections) lines.push(`    rejected ${j.reason}: ${j.line}`);
      differences.push(lines.join('\n'));
    }

    const rows = [...bySource.entries(), ['TOTAL', total] as const].map(([source, t]) => [
      source,
      t.vectors,
      t.otherType,
      t.known,
      t.compared,
      t.agree,
      t.disagree,
      t.missing,
      percent(t.agree, t.compared),
    ]);
    const report = [
      'Vector agreement (a vector agrees when every mapped field agrees):',
      formatTable(
        [
          'source',
          'vectors',
          'other types',
          'known deviations',
          'compared',
          'agree',
          'disagree',
          'missing',
          'agreement',
        ],
        rows,
      ),
      '',
      `Differences (${differences.length}):`,
      ...differences,
      '',
      `Known deviations (${deviations.size}, not counted):`,
      ...[...deviations].map(([r, d]) => `  ${d.rejectedAs}: ${d.why}\n    ${describeVector(r)}`),
      '',
      'Reference quirks under which fields agreed:',
      ...[...quirks].map(([q, n]) => `  ${q} × ${n}: ${QUIRKS[q]}`),
      `  type 24 names from a part A outside the vector, not checkable here: ${results.filter((r) => r.uncheckedName).length}`,
    ].join('\n');
    publishReport('vectors', report);
    expect(total.vectors).toBe(results.length);
  });

  it(`agrees with ≥ ${MIN_AGREEMENT * 100} % of the vectors of the types we decode`, () => {
    const compared = results.filter((r) => r.status !== 'other-type' && !deviations.has(r));
    const agree = compared.filter((r) => r.status === 'agree').length;
    expect(compared.length).toBeGreaterThan(1500);
    expect(agree / compared.length).toBeGreaterThanOrEqual(MIN_AGREEMENT);
  });

  it('still rejects each known deviation for the documented reason', () => {
    for (const [r, d] of deviations) {
      expect(r.status, describeVector(r)).toBe('missing');
      expect(
        r.rejections.map((j) => j.reason),
        describeVector(r),
      ).toContain(d.rejectedAs);
    }
    const found = new Set(deviations.values());
    expect(KNOWN_DEVIATIONS.filter((d) => !found.has(d))).toEqual([]);
  });
});
