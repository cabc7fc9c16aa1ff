/** Number formatting for the table: three significant digits with an SI prefix. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const [scaled, prefix] =
    abs >= 1e9
      ? [value / 1e9, ' G']
      : abs >= 1e6
        ? [value / 1e6, ' M']
        : abs >= 1e4
          ? [value / 1e3, ' k']
          : [value, ''];
  const digits = Math.abs(scaled) >= 100 ? 0 : Math.abs(scaled) >= 10 ? 1 : 2;
  return `${scaled.toFixed(digits)}${prefix}`;
}

export function formatRatio(ratio: number): string {
  return `×${ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}`;
}

export function formatPercent(fraction: number): string {
  return `${fraction >= 0 ? '+' : '−'}${Math.abs(fraction * 100).toFixed(1)} %`;
}
