/**
 * Preloaded (`node --import tsx --import ./bench/exit-with-parent.ts ...`) into a process the
 * benchmarks start with a stdin pipe: when that pipe closes — the benchmark ended, or died
 * without cleaning up — the process sends itself SIGTERM, so a `tidewatch run` child never
 * outlives the run that started it. (`MockClusterProcess` does the same for the mock cluster.)
 */
/** Time a graceful shutdown gets before the process exits regardless (its broker may be gone). */
const SHUTDOWN_GRACE_MS = 15_000;

const stdin = process.stdin as NodeJS.ReadStream & { unref?: () => void };
const stop = (): void => {
  process.kill(process.pid, 'SIGTERM');
  setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
};
stdin.once('end', stop);
stdin.once('error', stop);
stdin.resume();
// Watching the pipe must not keep the process alive once its own work is done.
stdin.unref?.();
