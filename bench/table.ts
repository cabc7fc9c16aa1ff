import type { BenchReport } from './benchmark.js';
import { type Change, rowKey } from './compare.js';
import { formatNumber, formatPercent, formatRatio } from './format.js';

/** The report as a plain-text table with the machine above it (issue 5 "How it reports"). */
export function renderReport(report: BenchReport, changes?: Map<string, Change>): string {
  const m = report.machine;
  const lines = [
    `Tidewatch benchmarks${report.quick ? ' (--quick)' : ''} · commit ${m.commit} · ${report.date}`,
    `${m.cpuModel} · ${m.cores} cores · ${m.memoryGiB} GiB · Node ${m.node} · ${m.platform} · seed ${report.seed}`,
    '',
  ];
  const header = ['scenario', 'figure', 'spread (min–max)', 'runs', 'baseline', 'ratio'];
  if (changes !== undefined) header.push('vs previous');
  const rows = report.rows.map((row) => {
    const s = row.summary;
    const cells = [
      rowKey(row),
      `${formatNumber(s.median)} ${row.unit}`,
      `${formatNumber(s.min)}–${formatNumber(s.max)}`,
      String(s.runs),
      row.baseline === undefined
        ? ''
        : `${row.baseline}: ${formatNumber(row.baselineMedian ?? Number.NaN)}`,
      row.ratio === undefined ? '' : formatRatio(row.ratio),
    ];
    if (changes !== undefined) {
      const change = changes.get(rowKey(row));
      cells.push(
        change === undefined
          ? 'new'
          : `${formatPercent(change.change)}${change.regression ? ' REGRESSION' : ''}`,
      );
    }
    return cells;
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const render = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  lines.push(render(header), widths.map((w) => '─'.repeat(w)).join('  '));
  for (const cells of rows) lines.push(render(cells));
  if (report.notes.length > 0) {
    lines.push('', 'Notes:');
    for (const note of report.notes) lines.push(`- ${note}`);
  }
  for (const failure of report.failures)
    lines.push(`FAILED ${failure.benchmark}: ${failure.error}`);
  return lines.join('\n');
}
