/** Timing of repeated runs: warm-up runs first (JIT, caches), then the measured ones. */
export interface TimingOptions {
  warmupRuns: number;
  runs: number;
}

/** Wall time of each measured run of `fn`, in seconds. */
export async function timeRuns(
  fn: () => void | Promise<void>,
  options: TimingOptions,
): Promise<number[]> {
  for (let i = 0; i < options.warmupRuns; i++) await fn();
  const seconds: number[] = [];
  for (let i = 0; i < options.runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  return seconds;
}
