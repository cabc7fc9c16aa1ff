import { type CoverageCursor, learnInterval, moveFix, sameStations } from './coverage-cursor.js';

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
 * - **Reception probability** (issue 14). A cell where some station heard a vessel is not yet a
 *   cell the coalition hears reliably: an edge cell is heard now and then. Each cell also keeps
 *   its evidence: reports *due* (a vessel's time in the cell over its reporting interval, the
 *   interval learned per vessel from the gaps between its fixes that lost no report: the ITU-R
 *   M.1371 rate for its speed and class, or a provider's down-sampling) against reports
 *   *heard*. A gap shorter than `learnSilenceSeconds` between two fixes is learned too: its
 *   reports are due, unheard, in the cells along the straight line between the fixes — that is
 *   how holes between receivers become known. Longer silences (the dark gaps being judged) teach
 *   nothing. `probability(cell)` is heard / due, or NaN while fewer than `minEvidenceReports`
 *   are due there (cold start: coverage unknown). Evidence halves at every sweep (a quarter of
 *   the memory), so it follows the stations as they are now.
 * - **Judging a silence** (`coverage-corridor.ts`, `dark-gap.ts`). When a vessel has been silent
 *   for `minGapSeconds`, the cells along its dead-reckoned path must mostly be heard reliably by
 *   stations alive without a break for the whole of the last `minGapSeconds`; a station that
 *   heard only that vessel fell silent with it and vouches for nothing.
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
/** A gap between fixes up to this long is charged to the cell of the earlier fix. */
const SHORT_GAP_MS = 2 * 60_000;
/** Evidence kept at each sweep: it halves every quarter of the memory. */
const EVIDENCE_DECAY = 0.5;

export interface CoverageOptions {
  /** Size of the grid cells, degrees of latitude and longitude. */
  readonly cellDegrees: number;
  /** A station is alive if it heard anything this recently. */
  readonly stationAliveSeconds: number;
  /** A cell counts as covered by a station that heard a vessel there this recently. */
  readonly memorySeconds: number;
  /** Cells around a point that also count (0: the point's cell only; 1: the 3 × 3 block). */
  readonly neighbourCells?: number;
  /** A cell's reception probability is known once this many reports were due there. */
  readonly minEvidenceReports?: number;
  /** Silences between fixes shorter than this teach the cells along the way (default 2 h). */
  readonly learnSilenceSeconds?: number;
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

  // Reception evidence: cell key → slot of reports due and heard there.
  private readonly evidence = new Map<number, number>();
  private slotDue = new Float64Array(256);
  private slotHeard = new Float64Array(256);
  private slotsUsed = 0;
  private readonly freeSlots: number[] = [];
  readonly minEvidenceReports: number;
  private readonly learnSilenceMs: number;

  private newestTime = Number.NEGATIVE_INFINITY;
  /** Event time of the first report the model learned from. */
  private firstTime = Number.NaN;
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
    const minEvidenceReports = options.minEvidenceReports ?? 20;
    if (!(minEvidenceReports >= 1)) {
      throw new RangeError(`Unexpected coverage minEvidenceReports value: ${minEvidenceReports}.`);
    }
    const learnSilenceSeconds = options.learnSilenceSeconds ?? 7200;
    if (!(learnSilenceSeconds >= 0)) {
      throw new RangeError(
        `Unexpected coverage learnSilenceSeconds value: ${learnSilenceSeconds}.`,
      );
    }
    this.minEvidenceReports = minEvidenceReports;
    this.learnSilenceMs = learnSilenceSeconds * 1000;
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
    if (Number.isNaN(this.firstTime)) this.firstTime = time;
    const cell = lat === undefined || lon === undefined ? NONE : this.cellKey(lat, lon);
    if (cell !== NONE) this.learn(cursor, cell, lat!, lon!, time);
    const n = stations.length;
    if (n === 0) return;
    if (n > 3) {
      // Rare (four receivers heard one transmission): no cursor, every look-up done.
      cursor.coverStationCount = 0;
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
    if (cell === NONE) return;
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
   * point's cell (or a neighbour within `reach`, by default `neighbourCells`) within the
   * memory. Returns how many.
   * Stations appear once, in the order first found; sort their ids for output.
   */
  coveringStations(
    lat: number,
    lon: number,
    time: number,
    aliveSince: number,
    out: number[],
    reach = this.neighbourCells,
  ): number {
    const oldest = time - this.memoryMs;
    let count = 0;
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

  /**
   * Reception probability of `cell`: reports heard there over reports due, at most 1; NaN while
   * fewer than `minEvidenceReports` were due (not yet learned).
   */
  probability(cell: number): number {
    const slot = this.evidence.get(cell);
    if (slot === undefined) return Number.NaN;
    const due = this.slotDue[slot]!;
    if (due < this.minEvidenceReports) return Number.NaN;
    const p = this.slotHeard[slot]! / due;
    return Math.min(p, 1);
  }

  /**
   * Reception probability of a cell no vessel crossed lately, from the cells within `reach`
   * (1: the 3 × 3 block): the lowest probability among those that know theirs. Coverage is
   * smooth inside and falls off at its edge, so a cell next to an edge cell is judged as the
   * edge, never as the solid side; and only a cell surrounded by known cells (half of its
   * neighbours or more) is judged so: beyond the edge, where no vessel is heard, it stays
   * unknown. NaN otherwise.
   */
  pooledProbability(cell: number, reach: number): number {
    const row = Math.floor(cell / this.columns);
    const column = cell - row * this.columns;
    let lowest = Number.NaN;
    let known = 0;
    let neighbours = 0;
    for (let dr = -reach; dr <= reach; dr++) {
      const r = row + dr;
      if (r < 0 || r >= this.rows) continue;
      for (let dc = -reach; dc <= reach; dc++) {
        if (dr === 0 && dc === 0) continue;
        let c = column + dc;
        if (c < 0) c += this.columns;
        else if (c >= this.columns) c -= this.columns;
        neighbours++;
        const p = this.probability(r * this.columns + c);
        if (Number.isNaN(p)) continue;
        known++;
        if (!(p >= lowest)) lowest = p;
      }
    }
    // Interpolation, not extrapolation: half the neighbours at least must know their own.
    return known * 2 >= neighbours ? lowest : Number.NaN;
  }

  /** How long the model had been learning at `time`, ms (0 before its first report). */
  learnedFor(time: number): number {
    return Number.isNaN(this.firstTime) ? 0 : Math.max(0, time - this.firstTime);
  }

  /** Reports due in `cell` (decayed), 0 when none. */
  reportsDue(cell: number): number {
    const slot = this.evidence.get(cell);
    return slot === undefined ? 0 : this.slotDue[slot]!;
  }

  /** Cells with reception evidence. */
  get evidenceCellCount(): number {
    return this.evidence.size;
  }

  /**
   * A fix of the vessel of `cursor`: the gap since its previous fix is evidence. A short gap
   * (at most 2 min) is charged to the cell of the previous fix, in the cursor until the vessel
   * changes cell; a longer one, shorter than `learnSilenceSeconds`, is spread as unheard
   * reports over the cells of the straight line between the two fixes.
   */
  private learn(
    cursor: CoverageCursor,
    cell: number,
    lat: number,
    lon: number,
    time: number,
  ): void {
    const last = cursor.evidenceFixTime;
    if (!(time > last)) {
      // The first fix; a late or repeated one teaches nothing.
      if (Number.isNaN(last)) moveFix(cursor, cell, lat, lon, time);
      return;
    }
    const gap = time - last;
    const interval = learnInterval(cursor, gap);
    if (gap <= SHORT_GAP_MS) {
      // Charged to the cell of the previous fix, where the vessel was while these were due.
      cursor.evidenceDue += gap / interval;
      cursor.evidenceHeard += 1;
      if (cell !== cursor.evidenceCell) this.flushEvidence(cursor);
    } else {
      this.flushEvidence(cursor);
      const missed = gap / interval - 1;
      if (gap < this.learnSilenceMs && missed > 0) {
        this.learnPath(cursor.evidenceFixLat, cursor.evidenceFixLon, lat, lon, missed);
      }
      cursor.evidenceDue = 1;
      cursor.evidenceHeard = 1;
    }
    moveFix(cursor, cell, lat, lon, time);
  }

  /** Adds the cursor's pending evidence to its cell. */
  flushEvidence(cursor: CoverageCursor): void {
    if (cursor.evidenceDue > 0 && cursor.evidenceCell >= 0) {
      this.addEvidence(cursor.evidenceCell, cursor.evidenceDue, cursor.evidenceHeard);
    }
    cursor.evidenceDue = 0;
    cursor.evidenceHeard = 0;
  }

  /** `due` unheard reports spread evenly over the cells of the straight line between two fixes. */
  private learnPath(lat1: number, lon1: number, lat2: number, lon2: number, due: number): void {
    let dLon = lon2 - lon1;
    if (dLon > 180) dLon -= 360;
    else if (dLon < -180) dLon += 360;
    const cells = Math.max(Math.abs(lat2 - lat1), Math.abs(dLon)) * this.cellsPerDegree;
    const steps = Math.min(256, Math.max(1, Math.ceil(cells * 2)));
    const share = due / steps;
    for (let i = 0; i < steps; i++) {
      const f = (i + 0.5) / steps;
      this.addEvidence(this.cellKey(lat1 + (lat2 - lat1) * f, lon1 + dLon * f), share, 0);
    }
  }

  private addEvidence(cell: number, due: number, heard: number): void {
    let slot = this.evidence.get(cell);
    if (slot === undefined) {
      slot = this.freeSlots.pop() ?? this.slotsUsed++;
      if (slot >= this.slotDue.length) {
        this.slotDue = grow(this.slotDue, 0);
        this.slotHeard = grow(this.slotHeard, 0);
      }
      this.slotDue[slot] = 0;
      this.slotHeard[slot] = 0;
      this.evidence.set(cell, slot);
    }
    this.slotDue[slot] = this.slotDue[slot]! + due;
    this.slotHeard[slot] = this.slotHeard[slot]! + heard;
  }

  /** Halves every cell's evidence; forgets cells with less than one report due. */
  private decayEvidence(): void {
    for (const [cell, slot] of this.evidence) {
      const due = this.slotDue[slot]! * EVIDENCE_DECAY;
      if (due < 1) {
        this.evidence.delete(cell);
        this.freeSlots.push(slot);
        continue;
      }
      this.slotDue[slot] = due;
      this.slotHeard[slot] = this.slotHeard[slot]! * EVIDENCE_DECAY;
    }
  }

  /** Forgets (station, cell) pairs not refreshed within the memory before `time`. */
  sweep(time: number): void {
    this.decayEvidence();
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

function grow<T extends Float64Array | Int32Array>(array: T, fill: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(array.length * 2);
  bigger.set(array);
  bigger.fill(fill, array.length);
  return bigger;
}
