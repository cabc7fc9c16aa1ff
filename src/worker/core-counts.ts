import type { CoreStats } from '../pipeline/fusion-core.js';

/** Counts of the core for metrics, since this process started (a restored core keeps its own). */
export type CoreCounts = Pick<CoreStats, 'reports' | 'duplicates' | 'late' | 'evictedVessels'>;

export const NO_COUNTS: CoreCounts = { reports: 0, duplicates: 0, late: 0, evictedVessels: 0 };

/** The core's counts less `base`. */
export function countsSince(stats: CoreStats, base: CoreCounts): CoreCounts {
  return {
    reports: stats.reports - base.reports,
    duplicates: stats.duplicates - base.duplicates,
    late: stats.late - base.late,
    evictedVessels: stats.evictedVessels - base.evictedVessels,
  };
}
