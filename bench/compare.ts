import type { BenchReport, BenchRow } from './benchmark.js';

/** How a row moved against an earlier report (`--compare FILE`). */
export interface Change {
  previousMedian: number;
  /** Relative change in the better direction: +0.05 = 5 % better, −0.12 = 12 % worse. */
  change: number;
  regression: boolean;
}

/** Changes worse than this fraction are marked as regressions (issue 5: over 10 %). */
export const REGRESSION_THRESHOLD = 0.1;

export function rowKey(row: Pick<BenchRow, 'benchmark' | 'scenario'>): string {
  return `${row.benchmark}/${row.scenario}`;
}

/** Compares each row with the row of the same benchmark and scenario in `previous`. */
export function compareReports(
  rows: readonly BenchRow[],
  previous: BenchReport,
): Map<string, Change> {
  const before = new Map(previous.rows.map((row) => [rowKey(row), row]));
  const changes = new Map<string, Change>();
  for (const row of rows) {
    const old = before.get(rowKey(row));
    if (old === undefined || old.unit !== row.unit || old.summary.median === 0) continue;
    const ratio = row.summary.median / old.summary.median;
    const change = row.higherIsBetter ? ratio - 1 : 1 / ratio - 1;
    changes.set(rowKey(row), {
      previousMedian: old.summary.median,
      change,
      regression: change < -REGRESSION_THRESHOLD,
    });
  }
  return changes;
}

/** Reads a report written by `--json`, checking that it is one. */
export function parseReport(text: string, path: string): BenchReport {
  const report = JSON.parse(text) as Partial<BenchReport>;
  if (report.version !== 1 || !Array.isArray(report.rows)) {
    throw new Error(`${path} is not a benchmark report written by --json (version 1).`);
  }
  return report as BenchReport;
}
