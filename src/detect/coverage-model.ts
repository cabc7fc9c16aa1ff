/**
 * Live coverage, learned from the feeds themselves (DESIGN.md §3 `dark_gap`, issue 3): where the
 * coalition could hear a vessel right now, with no configuration of receivers.
 *
 * - **Cells.** The sea is a grid of `cellDegrees` (default 0.1°, about 11 km × 6 km at 55° N).
 *   For every distinct report with a position, every station that heard it (`report.stations`,
 *   merged across duplicate feeds: the tag block `s:`, or the member id when the feed has none)
 *   stamps the report's cell with the event time it last heard a vessel there.
 * - **Stations.** A station is *alive* at t when it heard anything (any report, position or not)
 *   within `stationAliveSeconds` before t. Each station also keeps when its current run of
 *   liveness began (`aliveSince`: the first hearing after a silence longer than
 *   `stationAliveSeconds`), so a query can ask "alive throughout the last two hours", not just
 *   "alive now": a receiver that was down for part of a vessel's silence does not vouch for it.
 * - **Covered.** A point is in live coverage at t when at least one station that is alive at t
 *   (and alive since a given time) heard some vessel in the point's cell within
 *   `memorySeconds` before t. Only the point's own cell counts by default (`neighbourCells: 0`):
 *   learned coverage ends where vessels fade out, and a one-cell halo would push that edge out
 *   by about the distance a slow vessel dead-reckons in two hours — exactly the "sailed out of
 *   range" case. `neighbourCells: 1` (the 3 × 3 block) fills holes in sparse traffic instead.
 * - **Cost.** Each vessel keeps a small cursor (`CoverageCursor`, on the detector's per-vessel
 *   state): the stations of its last report, with their indexes, and the cell and time of its
 *   last stamp. A report with the same stations (compared as interned strings, as a set) costs
 *   a typed-array write per station for liveness, and a cell stamp only when the cell changed
 *   or `cellRefreshMs` (5 minutes, or 1/16 of the memory if less) has passed: a vessel
 *   reporting every few seconds costs a cell computation and a few comparisons. A stamp is a
 *   Map lookup by numeric cell key and a walk of that cell's few stations.
 * - **Memory.** Per cell, one Map entry (numeric key) and a linked list, in typed arrays, of
 *   (station, last heard) pairs. Pairs older than `memorySeconds` are swept every quarter of
 *   the memory, in event time, and empty cells are deleted, so memory follows the cells heard in
 *   the last `memorySeconds × 1.25`. Stations are kept for the life of the model (there are as
 *   many as the coalition has receivers).
 *
 * - **Judging a silence** (`dark-gap.ts`). When a vessel has been silent for `minGapSeconds`,
 *   its last position and its dead-reckoned position must both be covered by stations alive
 *   without a break for the whole of the last `minGapSeconds`; a station that heard only that
 *   vessel fell silent with it and vouches for nothing.
 * - **Limits.** A feed without `s:` tags is one station (its member id): it stays alive while
 *   any of its receivers hears anything, so one receiver of such a network going down is not
 *   seen as an outage. A satellite feed is a station that hears everywhere, intermittently.
 *   Coverage is learned from traffic: open sea where no vessel passed within the memory is
 *   never covered, so a silence there is never a dark gap.
 *
 * Everything is on event time, in the order the core processes reports, so a replay learns the
 * same coverage as the live run.
 */

/** A vessel's report re-stamps its cell no more often than this when nothing changed. */
const MAX_CELL_REFRESH_MS = 5 * 60_000;

export interface CoverageOptions {
  /** Size of the grid cells, degrees of latitude and longitude. */
  readonly cellDegrees: number;
  /** A station is alive if it heard anything this recently. */
  readonly stationAliveSeconds: number;
  /** A cell counts as covered by a station that heard a vessel there this recently. */
  readonly memorySeconds: number;
  /** Cells around a point that also count (0: the point's cell only; 1: the 3 × 3 block). */
  readonly neighbourCells?: number;
}

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
  };
}

const NONE = -1;
const INITIAL_CAPACITY = 1024;

export class CoverageModel {
  readonly cellDegrees: number;
  readonly neighbourCells: number;
  /** A vessel re-stamps an unchanged cell at most this often. */
  readonly cellRefreshMs: number;
  private readonly aliveMs: number;
  private readonly memoryMs: number;
  private readonly sweepEveryMs: number;
  private readonly cellsPerDegree: number;
  private readonly columns: number;
  private readonly rows: number;

  // Stations: dense indexes, with liveness in typed arrays.
  private readonly stationIds: string[] = [];
  private readonly stationIndexes = new Map<string, number>();
  private lastHeard = new Float64Array(64).fill(Number.NEGATIVE_INFINITY);
  private aliveSince = new Float64Array(64).fill(Number.NEGATIVE_INFINITY);

  // Cells: cell key → first pair of its list. Pairs live in a pool of typed arrays.
  private readonly cells = new Map<number, number>();
  private pairStation = new Int32Array(INITIAL_CAPACITY);
  private pairTime = new Float64Array(INITIAL_CAPACITY);
  private pairNext = new Int32Array(INITIAL_CAPACITY);
  /** Pairs ever handed out (the pool's high-water mark). */
  private pairsUsed = 0;
  private freePair = NONE;
  private livePairs = 0;

  private newestTime = Number.NEGATIVE_INFINITY;
  private nextSweep = Number.NEGATIVE_INFINITY;

  constructor(options: CoverageOptions) {
    const { cellDegrees, stationAliveSeconds, memorySeconds } = options;
    const neighbourCells = options.neighbourCells ?? 0;
    if (!(cellDegrees > 0 && cellDegrees <= 10)) {
      throw new RangeError(`Unexpected coverage cellDegrees value: ${cellDegrees}.`);
    }
    if (!(stationAliveSeconds > 0)) {
      throw new RangeError(
        `Unexpected coverage stationAliveSeconds value: ${stationAliveSeconds}.`,
      );
    }
    if (!(memorySeconds > 0)) {
      throw new RangeError(`Unexpected coverage memorySeconds value: ${memorySeconds}.`);
    }
    if (!(Number.isInteger(neighbourCells) && neighbourCells >= 0 && neighbourCells <= 3)) {
      throw new RangeError(`Unexpected coverage neighbourCells value: ${neighbourCells}.`);
    }
    this.cellDegrees = cellDegrees;
    this.neighbourCells = neighbourCells;
    this.aliveMs = stationAliveSeconds * 1000;
    this.memoryMs = memorySeconds * 1000;
    this.sweepEveryMs = this.memoryMs / 4;
    this.cellRefreshMs = Math.min(MAX_CELL_REFRESH_MS, this.memoryMs / 16);
    this.cellsPerDegree = 1 / cellDegrees;
    this.columns = Math.ceil(360 * this.cellsPerDegree);
    this.rows = Math.ceil(180 * this.cellsPerDegree);
  }

  /** Cells with at least one station remembered (expired pairs linger until the next sweep). */
  get cellCount(): number {
    return this.cells.size;
  }

  /** (station, cell) pairs remembered. */
  get pairCount(): number {
    return this.livePairs;
  }

  get stationCount(): number {
    return this.stationIds.length;
  }

  /** The numeric key of the cell containing (lat, lon); longitudes wrap at ±180. */
  cellKey(lat: number, lon: number): number {
    let row = Math.floor((lat + 90) * this.cellsPerDegree);
    if (row >= this.rows) row = this.rows - 1;
    else if (row < 0) row = 0;
    let column = Math.floor((lon + 180) * this.cellsPerDegree);
    if (column >= this.columns) column -= this.columns;
    else if (column < 0) column += this.columns;
    return row * this.columns + column;
  }

  /** Dense index of a station, registering it on first sight. */
  stationIndex(id: string): number {
    const known = this.stationIndexes.get(id);
    if (known !== undefined) return known;
    const index = this.stationIds.length;
    this.stationIds.push(id);
    this.stationIndexes.set(id, index);
    if (index >= this.lastHeard.length) {
      this.lastHeard = grow(this.lastHeard, Number.NEGATIVE_INFINITY);
      this.aliveSince = grow(this.aliveSince, Number.NEGATIVE_INFINITY);
    }
    return index;
  }

  stationId(index: number): string {
    const id = this.stationIds[index];
    if (id === undefined) throw new RangeError(`No station with index ${index}.`);
    return id;
  }

  /** Last time `station` heard anything (epoch ms), -Infinity if never. */
  stationLastHeard(id: string): number {
    const index = this.stationIndexes.get(id);
    return index === undefined ? Number.NEGATIVE_INFINITY : this.lastHeard[index]!;
  }

  /** Whether `station` is alive at `time` and has been since `since` or earlier. */
  isAlive(id: string, time: number, since = time): boolean {
    const index = this.stationIndexes.get(id);
    return index !== undefined && this.alive(index, time, since);
  }

  /**
   * One distinct report heard by `stations` at `time`, at (lat, lon) when it carries a
   * position: every station is alive at `time`, and heard a vessel in that cell. `cursor` is
   * the vessel's: it saves the station look-ups and skips re-stamping an unchanged cell.
   */
  observe(
    cursor: CoverageCursor,
    stations: readonly string[],
    lat: number | undefined,
    lon: number | undefined,
    time: number,
  ): void {
    const n = stations.length;
    if (n === 0) return;
    if (n > 3) {
      // Rare (four receivers heard one transmission): no cursor, every look-up done.
      cursor.coverStationCount = 0;
      const cell = lat === undefined || lon === undefined ? NONE : this.cellKey(lat, lon);
      for (let i = 0; i < n; i++) {
        const station = this.stationIndex(stations[i]!);
        this.heard(station, time);
        if (cell !== NONE) this.stamp(station, cell, time);
      }
      return;
    }
    if (!sameStations(cursor, stations)) this.remember(cursor, stations);
    this.heard(cursor.coverIndexA, time);
    if (n > 1) this.heard(cursor.coverIndexB, time);
    if (n > 2) this.heard(cursor.coverIndexC, time);
    if (lat === undefined || lon === undefined) return;
    const cell = this.cellKey(lat, lon);
    if (cell === cursor.coverCell && time - cursor.coverTime < this.cellRefreshMs) return;
    this.stamp(cursor.coverIndexA, cell, time);
    if (n > 1) this.stamp(cursor.coverIndexB, cell, time);
    if (n > 2) this.stamp(cursor.coverIndexC, cell, time);
    cursor.coverCell = cell;
    cursor.coverTime = time;
  }

  /** Station `station` heard something at `time`. */
  heard(station: number, time: number): void {
    const last = this.lastHeard[station]!;
    if (time > last) {
      if (time - last > this.aliveMs) this.aliveSince[station] = time;
      this.lastHeard[station] = time;
    }
  }

  /** Station `station` heard a vessel in `cell` at `time`. */
  stamp(station: number, cell: number, time: number): void {
    if (time > this.newestTime) {
      this.newestTime = time;
      if (time >= this.nextSweep) {
        if (this.nextSweep !== Number.NEGATIVE_INFINITY) this.sweep(time);
        this.nextSweep = time + this.sweepEveryMs;
      }
    }
    const head = this.cells.get(cell);
    if (head === undefined) {
      this.cells.set(cell, this.allocate(station, time));
      return;
    }
    let pair = head;
    for (;;) {
      if (this.pairStation[pair] === station) {
        if (time > this.pairTime[pair]!) this.pairTime[pair] = time;
        return;
      }
      const next = this.pairNext[pair]!;
      if (next === NONE) break;
      pair = next;
    }
    this.pairNext[pair] = this.allocate(station, time);
  }

  /**
   * Writes into `out` (from index 0) the stations that cover (lat, lon) at `time`: alive at
   * `time`, alive without a break since `aliveSince` or earlier, and heard some vessel in the
   * point's cell (or a neighbour, see `neighbourCells`) within the memory. Returns how many.
   * Stations appear once, in the order first found; sort their ids for output.
   */
  coveringStations(
    lat: number,
    lon: number,
    time: number,
    aliveSince: number,
    out: number[],
  ): number {
    const oldest = time - this.memoryMs;
    let count = 0;
    const reach = this.neighbourCells;
    const centre = this.cellKey(lat, lon);
    const centreRow = Math.floor(centre / this.columns);
    const centreColumn = centre - centreRow * this.columns;
    for (let dr = -reach; dr <= reach; dr++) {
      const row = centreRow + dr;
      if (row < 0 || row >= this.rows) continue;
      for (let dc = -reach; dc <= reach; dc++) {
        let column = centreColumn + dc;
        if (column < 0) column += this.columns;
        else if (column >= this.columns) column -= this.columns;
        let pair = this.cells.get(row * this.columns + column) ?? NONE;
        while (pair !== NONE) {
          const station = this.pairStation[pair]!;
          if (
            this.pairTime[pair]! >= oldest &&
            this.alive(station, time, aliveSince) &&
            !listed(out, count, station)
          ) {
            out[count++] = station;
          }
          pair = this.pairNext[pair]!;
        }
      }
    }
    return count;
  }

  /** Forgets (station, cell) pairs not refreshed within the memory before `time`. */
  sweep(time: number): void {
    const oldest = time - this.memoryMs;
    for (const [cell, head] of this.cells) {
      let first = NONE;
      let previous = NONE;
      let pair = head;
      while (pair !== NONE) {
        const next = this.pairNext[pair]!;
        if (this.pairTime[pair]! < oldest) {
          this.release(pair);
        } else {
          if (previous === NONE) first = pair;
          else this.pairNext[previous] = pair;
          previous = pair;
        }
        pair = next;
      }
      if (previous !== NONE) this.pairNext[previous] = NONE;
      if (first === NONE) this.cells.delete(cell);
      else if (first !== head) this.cells.set(cell, first);
    }
  }

  /** Points the cursor at a new set of (at most three) stations. */
  private remember(cursor: CoverageCursor, stations: readonly string[]): void {
    const n = stations.length;
    cursor.coverStationCount = n;
    cursor.coverStationA = stations[0];
    cursor.coverIndexA = this.stationIndex(stations[0]!);
    cursor.coverStationB = n > 1 ? stations[1] : undefined;
    cursor.coverIndexB = n > 1 ? this.stationIndex(stations[1]!) : -1;
    cursor.coverStationC = n > 2 ? stations[2] : undefined;
    cursor.coverIndexC = n > 2 ? this.stationIndex(stations[2]!) : -1;
    // Other stations, so the cell must be stamped for them.
    cursor.coverTime = Number.NEGATIVE_INFINITY;
  }

  private alive(station: number, time: number, since: number): boolean {
    return this.lastHeard[station]! >= time - this.aliveMs && this.aliveSince[station]! <= since;
  }

  private allocate(station: number, time: number): number {
    let pair = this.freePair;
    if (pair !== NONE) {
      this.freePair = this.pairNext[pair]!;
    } else {
      pair = this.pairsUsed++;
      if (pair >= this.pairStation.length) {
        this.pairStation = grow(this.pairStation, 0);
        this.pairTime = grow(this.pairTime, 0);
        this.pairNext = grow(this.pairNext, NONE);
      }
    }
    this.pairStation[pair] = station;
    this.pairTime[pair] = time;
    this.pairNext[pair] = NONE;
    this.livePairs++;
    return pair;
  }

  private release(pair: number): void {
    this.pairNext[pair] = this.freePair;
    this.freePair = pair;
    this.livePairs--;
  }
}

function listed(out: readonly number[], count: number, station: number): boolean {
  for (let i = 0; i < count; i++) if (out[i] === station) return true;
  return false;
}

/**
 * Whether `stations` (at most three) is the cursor's set of stations. As a set: the order of a
 * report's stations is the order its duplicates arrived in, which must not change anything.
 */
function sameStations(cursor: CoverageCursor, stations: readonly string[]): boolean {
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

function grow<T extends Float64Array | Int32Array>(array: T, fill: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(array.length * 2);
  bigger.set(array);
  bigger.fill(fill, array.length);
  return bigger;
}
