/**
 * A vessel's cursor into the coverage model (issue 14): the stations of its last report, the
 * cell and time of its last stamp, its last fix and its learned reporting interval. Kept by the
 * caller, one per vessel (usually on the detector's per-vessel state), so `CoverageModel.observe`
 * can skip repeat writes and learn reception evidence from the gaps between the vessel's fixes.
 */

/**
 * Bounds of a vessel's learned reporting interval: ITU-R M.1371 goes from 2 s (class A over
 * 23 kn) to 3 min (at anchor, class B slow); providers down-sample to 5 or 10 minutes.
 */
const MIN_INTERVAL_MS = 2_000;
const MAX_INTERVAL_MS = 15 * 60_000;
/**
 * What the model remembers about the last write made for one vessel (kept by the caller, one
 * per vessel, usually on the detector's per-vessel state): lets `observe` skip repeat writes.
 */
export interface CoverageCursor {
  /**
   * Stations of the last report, as plain fields (no array to chase or keep alive): up to
   * three, with their model indexes. Station ids are interned by the decoder, so comparing
   * them compares pointers. Start with `coverStationCount: 0`.
   */
  coverStationA: string | undefined;
  coverStationB: string | undefined;
  coverStationC: string | undefined;
  coverIndexA: number;
  coverIndexB: number;
  coverIndexC: number;
  /** How many of the fields above are set; 0 when unknown or more than three. */
  coverStationCount: number;
  /** Cell of the last stamp. */
  coverCell: number;
  /** Event time of the last stamp, epoch ms. */
  coverTime: number;
  /** The vessel's last fix (epoch ms, degrees), NaN before the first. */
  evidenceFixTime: number;
  evidenceFixLat: number;
  evidenceFixLon: number;
  /** The vessel's learned reporting interval, ms (NaN until two fixes). */
  evidenceIntervalMs: number;
  /** Cell of the last fix, and the reports due and heard there not yet added to it. */
  evidenceCell: number;
  evidenceDue: number;
  evidenceHeard: number;
}

/** A fresh cursor for a vessel the model has not seen. */
export function newCoverageCursor(): CoverageCursor {
  return {
    coverStationA: undefined,
    coverStationB: undefined,
    coverStationC: undefined,
    coverIndexA: -1,
    coverIndexB: -1,
    coverIndexC: -1,
    coverStationCount: 0,
    coverCell: -1,
    coverTime: Number.NEGATIVE_INFINITY,
    evidenceFixTime: Number.NaN,
    evidenceFixLat: Number.NaN,
    evidenceFixLon: Number.NaN,
    evidenceIntervalMs: Number.NaN,
    evidenceCell: -1,
    evidenceDue: 0,
    evidenceHeard: 0,
  };
}

/**
 * The cursor's reporting interval after a gap of `gapMs` between two fixes, ms: the mean of
 * the gaps with no report lost (under 1.5 intervals; tag-block times are whole seconds, so a
 * lower envelope would read 10 s reports as 9 s); a longer gap, one or more reports lost, moves
 * it up only slowly, in case the vessel's rate really changed.
 */
export function learnInterval(cursor: CoverageCursor, gapMs: number): number {
  let interval = cursor.evidenceIntervalMs;
  if (Number.isNaN(interval)) interval = gapMs;
  else if (gapMs < 1.5 * interval) interval += 0.1 * (gapMs - interval);
  else interval += 0.02 * (Math.min(gapMs, 3 * interval) - interval);
  if (interval < MIN_INTERVAL_MS) interval = MIN_INTERVAL_MS;
  else if (interval > MAX_INTERVAL_MS) interval = MAX_INTERVAL_MS;
  cursor.evidenceIntervalMs = interval;
  return interval;
}

/** The vessel's last fix is now (lat, lon) at `time`, in `cell`. */
export function moveFix(
  cursor: CoverageCursor,
  cell: number,
  lat: number,
  lon: number,
  time: number,
): void {
  cursor.evidenceCell = cell;
  cursor.evidenceFixTime = time;
  cursor.evidenceFixLat = lat;
  cursor.evidenceFixLon = lon;
}

/**
 * Whether `stations` (at most three) is the cursor's set of stations. As a set: the order of a
 * report's stations is the order its duplicates arrived in, which must not change anything.
 */
export function sameStations(cursor: CoverageCursor, stations: readonly string[]): boolean {
  const n = stations.length;
  if (n !== cursor.coverStationCount) return false;
  const a = cursor.coverStationA;
  if (n === 1) return stations[0] === a;
  const b = cursor.coverStationB;
  const c = cursor.coverStationC;
  // Ids are distinct on both sides (dedupe merges a station once): inclusion one way suffices.
  for (let i = 0; i < n; i++) {
    const s = stations[i];
    if (s !== a && s !== b && s !== c) return false;
  }
  return true;
}
