import { beforeAll, describe, expect, it } from 'vitest';
import { QUIRKS, type Quirk } from './field-compare.js';
import { GPSD_REF_DIR, listGpsdReferences } from './gpsd-references.js';
import { formatTable, percent, publishReport } from './report.js';
import { compareWithGpsd, type StreamComparison } from './stream-compare.js';

/**
 * Requirement: on every raw file that has a stored gpsd 3.22 `gpsdecode -j` reference (the real
 * streams under tracks/, the anomaly tracks and the other decoders' sample files), ≥ 99.9 % of
 * gpsd's messages of the types we decode are paired with one of ours and agree field by field.
 * Messages only one side printed are listed with the reason the input gives.
 */
const MIN_AGREEMENT = 0.999;

let comparisons: StreamComparison[] = [];

function count<T>(items: Iterable<T>, key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

function listCounts(counts: Map<string, number>): string[] {
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `  ${String(n).padStart(6)}  ${reason}`);
}

describe(`gpsd 3.22 reference decodes (${GPSD_REF_DIR})`, () => {
  beforeAll(() => {
    comparisons = listGpsdReferences().map((ref) => compareWithGpsd(ref));
  });

  it('reports a summary per file and every difference with its reason', () => {
    const rows = comparisons.map((c) => [
      c.ref.input,
      c.gpsdMessages,
      c.gpsdOtherTypes,
      c.matched,
      c.agree,
      c.differences.length,
      c.onlyGpsd.length,
      c.onlyOurs.length,
      c.partARecords,
      percent(c.agree, c.gpsdMessages),
    ]);
    const sum = (pick: (c: StreamComparison) => number): number =>
      comparisons.reduce((total, c) => total + pick(c), 0);
    const gpsdTotal = sum((c) => c.gpsdMessages);
    const agreeTotal = sum((c) => c.agree);
    rows.push([
      'TOTAL',
      gpsdTotal,
      sum((c) => c.gpsdOtherTypes),
      sum((c) => c.matched),
      agreeTotal,
      sum((c) => c.differences.length),
      sum((c) => c.onlyGpsd.length),
      sum((c) => c.onlyOurs.length),
      sum((c) => c.partARecords),
      percent(agreeTotal, gpsdTotal),
    ]);

    const differences = comparisons.flatMap((c) =>
      c.differences.map((d) => ({ file: c.ref.input, d })),
    );
    const quirks = new Map<Quirk, number>();
    for (const c of comparisons) {
      for (const [q, n] of c.quirks) quirks.set(q, (quirks.get(q) ?? 0) + n);
    }
    const report = [
      'gpsd 3.22 (gpsdecode -j) against our decoder, types 1 2 3 4 5 9 18 19 21 24 27:',
      formatTable(
        [
          'input file',
          'gpsd msgs',
          'gpsd other types',
          'matched',
          'agree',
          'differ',
          'only gpsd',
          'only ours',
          'our 24A',
          'agreement',
        ],
        rows,
      ),
      '("our 24A": type 24 part A records; gpsd never prints part A, it merges the name into part B.)',
      '',
      'Field differences by message type and field:',
      ...listCounts(
        count(
          differences.flatMap(({ d }) => d.outcomes.map((o) => ({ d, o }))),
          ({ d, o }) => `type ${String(d.gpsd.type)} ${o.key}`,
        ),
      ),
      'Messages only gpsd printed, by reason:',
      ...listCounts(
        count(
          comparisons.flatMap((c) => c.onlyGpsd),
          (u) => u.reason,
        ),
      ),
      'Messages only we printed, by reason:',
      ...listCounts(
        count(
          comparisons.flatMap((c) => c.onlyOurs),
          (u) => u.reason,
        ),
      ),
      'Lines we rejected, by file and reason (DESIGN.md §4):',
      ...comparisons
        .filter((c) => c.rejected.size > 0)
        .map(
          (c) =>
            `  ${c.ref.input}: ${[...c.rejected].map(([reason, n]) => `${reason} ${n}`).join(', ')}`,
        ),
      'gpsd quirks under which fields agreed:',
      ...[...quirks].map(([q, n]) => `  ${String(n).padStart(6)}  ${q}: ${QUIRKS[q]}`),
      '',
      `Every field difference (${differences.length}):`,
      ...differences.map(({ file, d }) =>
        [
          `  ${file} gpsd #${d.gpsdIndex} type ${String(d.gpsd.type)} mmsi ${String(d.gpsd.mmsi)}`,
          ...d.outcomes.map(
            (o) =>
              `    ${o.key}: gpsd ${o.from}=${JSON.stringify(d.gpsd[o.from] ?? null)} → expected ${o.expected}, ours ${o.got}${o.why ? ` [${o.why}]` : ''}`,
          ),
        ].join('\n'),
      ),
      '',
      'Every message only gpsd printed:',
      ...comparisons.flatMap((c) =>
        c.onlyGpsd.map((u) => `  ${c.ref.input} ${u.key}: ${u.reason}`),
      ),
    ].join('\n');
    publishReport('gpsd-streams', report);
    expect(comparisons.length).toBeGreaterThan(0);
  });

  it('compares every stored reference, the streams under tracks/ included', () => {
    const inputs = comparisons.map((c) => c.ref.input);
    expect(inputs.filter((i) => i.startsWith('tracks/')).length).toBeGreaterThanOrEqual(12);
    for (const c of comparisons) expect(c.gpsdMessages, c.ref.input).toBeGreaterThan(0);
  });

  it(`pairs and agrees with ≥ ${MIN_AGREEMENT * 100} % of gpsd's messages`, () => {
    const gpsd = comparisons.reduce((n, c) => n + c.gpsdMessages, 0);
    const agree = comparisons.reduce((n, c) => n + c.agree, 0);
    expect(gpsd).toBeGreaterThan(70_000);
    expect(agree / gpsd).toBeGreaterThanOrEqual(MIN_AGREEMENT);
  });
});
