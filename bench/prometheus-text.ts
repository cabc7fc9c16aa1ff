/**
 * Reading a worker's `/metrics` (Prometheus text exposition format 0.0.4) in the end-to-end
 * benchmark: a metric's value summed over its label sets, and a histogram's quantiles.
 */

/** The value of `name` summed over every label set; 0 when the metric is absent. */
export function metricSum(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const value = sampleValue(line, name);
    if (value !== undefined) sum += value;
  }
  return sum;
}

/** A histogram with no labels of its own: cumulative bucket counts by upper bound. */
export interface HistogramSnapshot {
  /** Ascending upper bounds, the last `Infinity`, with cumulative counts. */
  readonly buckets: readonly { le: number; count: number }[];
  readonly count: number;
  readonly sum: number;
}

export function readHistogram(text: string, name: string): HistogramSnapshot {
  const buckets: { le: number; count: number }[] = [];
  let count = 0;
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}_bucket{`)) {
      const le = /le="([^"]+)"/.exec(line)?.[1];
      const value = Number(line.slice(line.lastIndexOf(' ') + 1));
      if (le !== undefined)
        buckets.push({ le: le === '+Inf' ? Infinity : Number(le), count: value });
      continue;
    }
    count = sampleValue(line, `${name}_count`) ?? count;
    sum = sampleValue(line, `${name}_sum`) ?? sum;
  }
  buckets.sort((a, b) => a.le - b.le);
  return { buckets, count, sum };
}

/**
 * Quantile `q` of a histogram, as Prometheus' `histogram_quantile` estimates it: linear within
 * the bucket it falls in; the highest finite bound when it falls in the `+Inf` bucket (so a
 * result equal to that bound means "at least"). NaN for an empty histogram.
 */
export function histogramQuantile(histogram: HistogramSnapshot, q: number): number {
  const { buckets } = histogram;
  const total = buckets.at(-1)?.count ?? 0;
  if (total === 0) return Number.NaN;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const bucket of buckets) {
    if (bucket.count >= rank) {
      if (bucket.le === Infinity) return lowerBound;
      const inBucket = bucket.count - lowerCount;
      return inBucket === 0
        ? bucket.le
        : lowerBound + ((bucket.le - lowerBound) * (rank - lowerCount)) / inBucket;
    }
    lowerBound = bucket.le;
    lowerCount = bucket.count;
  }
  return lowerBound;
}

/** The value of a sample line of metric `name` (any labels), or undefined for other lines. */
function sampleValue(line: string, name: string): number | undefined {
  if (!line.startsWith(name)) return undefined;
  const next = line.charCodeAt(name.length);
  // `{` (labels) or ` ` (none): not a longer name that merely starts the same.
  if (next !== 123 && next !== 32) return undefined;
  const value = Number(line.slice(line.lastIndexOf(' ') + 1));
  return Number.isNaN(value) ? undefined : value;
}
