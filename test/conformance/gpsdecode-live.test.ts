import { describe, expect, it } from 'vitest';
import { readDataFile } from './data-dir.js';
import {
  listGpsdReferences,
  listRawStreamsWithoutReference,
  readGpsdReferenceText,
} from './gpsd-references.js';
import { gpsdecodeUnavailable, REFERENCE_VERSION, runGpsdecode } from './gpsdecode.js';
import { formatTable, percent, publishReport } from './report.js';
import { compareWithGpsd } from './stream-compare.js';

/**
 * Requirement: the stored references are what gpsd says on this machine. Runs Debian's
 * `gpsdecode -j` (gpsd-clients 3.22) on every raw input and compares its output line for line
 * with the stored file; raw streams that have no stored reference are compared with our decoder
 * against the live output instead. Skipped, with a message, where gpsdecode 3.22 is not on PATH
 * (CI installs it).
 */
const MIN_AGREEMENT = 0.999;

const unavailable = gpsdecodeUnavailable();
if (unavailable !== undefined) {
  console.warn(`Skipping the live gpsdecode cross-check: ${unavailable}.`);
}

describe.skipIf(unavailable !== undefined)(`gpsdecode ${REFERENCE_VERSION} run live`, () => {
  for (const ref of listGpsdReferences()) {
    it(`prints the stored reference for ${ref.input}`, () => {
      // Line by line: a 30 MB string diff helps nobody.
      const live = runGpsdecode(readDataFile(ref.input)).split('\n');
      const stored = readGpsdReferenceText(ref).split('\n');
      expect(live.length).toBe(stored.length);
      const firstDifference = live.findIndex((line, i) => line !== stored[i]);
      expect(firstDifference, `first differing line ${firstDifference + 1}`).toBe(-1);
    });
  }

  it(`agrees with ≥ ${MIN_AGREEMENT * 100} % of gpsd on raw streams without a stored reference`, () => {
    const comparisons = listRawStreamsWithoutReference().map((input) => {
      const ref = { reference: '(gpsdecode -j, live)', input };
      return compareWithGpsd(ref, runGpsdecode(readDataFile(input)));
    });
    publishReport(
      'gpsdecode-live',
      [
        'Raw streams without a stored reference, against live gpsdecode -j:',
        formatTable(
          ['input file', 'gpsd msgs', 'matched', 'agree', 'only gpsd', 'only ours', 'agreement'],
          comparisons.map((c) => [
            c.ref.input,
            c.gpsdMessages,
            c.matched,
            c.agree,
            c.onlyGpsd.length,
            c.onlyOurs.length,
            percent(c.agree, c.gpsdMessages),
          ]),
        ),
        ...comparisons.flatMap((c) => [
          ...c.differences.map(
            (d) => `  ${c.ref.input} gpsd #${d.gpsdIndex}: ${JSON.stringify(d.outcomes)}`,
          ),
          ...c.onlyGpsd.map((u) => `  ${c.ref.input} only gpsd ${u.key}: ${u.reason}`),
          ...c.onlyOurs.map((u) => `  ${c.ref.input} only ours ${u.key}: ${u.reason}`),
        ]),
      ].join('\n'),
    );
    const gpsd = comparisons.reduce((n, c) => n + c.gpsdMessages, 0);
    const agree = comparisons.reduce((n, c) => n + c.agree, 0);
    expect(gpsd).toBeGreaterThan(0);
    expect(agree / gpsd).toBeGreaterThanOrEqual(MIN_AGREEMENT);
  });
});
