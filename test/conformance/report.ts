import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Plain-text tables for the console report (the lead copies them into the README). */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly unknown[])[],
): string {
  const cells = [headers, ...rows.map((row) => row.map((cell) => String(cell)))];
  const widths = headers.map((_, column) =>
    Math.max(...cells.map((row) => (row[column] ?? '').length)),
  );
  const line = (row: readonly string[]): string =>
    `| ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(headers), rule, ...cells.slice(1).map(line)].join('\n');
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(3)} %`;
}

/**
 * Prints a report, and also writes it to `$CONFORMANCE_REPORT_DIR/<name>.txt` when that variable
 * is set (outside the project, e.g. for CI artefacts).
 */
export function publishReport(name: string, text: string): void {
  console.log(text);
  const dir = process.env.CONFORMANCE_REPORT_DIR;
  if (dir === undefined || dir === '') return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${name}.txt`), `${text}\n`);
}
