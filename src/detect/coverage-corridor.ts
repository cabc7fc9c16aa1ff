import type { CoverageModel } from './coverage-model.js';

/**
 * What the coalition could have heard of a vessel along a straight way (issue 14): the cells
 * from its last fix to where it is judged to be (dead-reckoned, or where it reappeared), walked
 * in steps of half a cell, each step carrying an equal share of the silent time.
 *
 * A step is *covered* when its cell's reception probability (`CoverageModel.probability`) is at
 * least `minCellProbability` and a station alive without a break since `aliveSince` heard a
 * vessel there within the memory; *unknown* when the model has too little evidence there (cold
 * start, or open sea no vessel crossed); a cell no vessel crossed lately is judged from the
 * pooled evidence of the 3 × 3 block around it (coverage is smooth but for its edge, and the
 * edge's unheard side is learned from the vessels that cross it). The way is judged dark when the covered steps are at
 * least `minCoveredShare` of it: the vessel was expected, and missed, along most of the way — not
 * only at its two ends (the last fix is always "covered": the vessel was just heard there).
 */
export type CorridorVerdict = 'covered' | 'uncovered' | 'unknown';

/** The evidence of one judgement; reused by `CoverageCorridor.walk`, copy what you keep. */
export interface CorridorEvidence {
  verdict: CorridorVerdict;
  /** Distinct cells along the way. */
  cells: number;
  /** Shares of the way in covered cells and in cells the model has not learned, 0..1. */
  coveredShare: number;
  unknownShare: number;
  /** Share of the way in cells judged from their neighbours' evidence (none of their own). */
  inferredShare: number;
  /**
   * Reports the coalition should have heard along the way (Σ probability × due, over cells a
   * live station hears; unknown cells count 0): all of them missed.
   */
  expectedReports: number;
  /** `expectedReports` over `dueReports`: the share of the vessel's reports it would have heard. */
  heardShare: number;
  /** Reports the vessel was due along the whole way (silent time over its reporting interval). */
  dueReports: number;
  /** Mean reception probability of the covered steps (0 when none). */
  meanProbability: number;
  /** Indexes (`CoverageModel.stationId`) of the stations that should have heard it. */
  stations: number[];
}

/** A cell without evidence of its own is judged from the 3 × 3 block around it. */
const POOL_REACH = 1;

/** Steps at most per way (about 12 cells of 0.1° a step on a 6 h, 50 kn reckoning). */
const MAX_STEPS = 256;

export class CoverageCorridor {
  private readonly evidence: CorridorEvidence = {
    verdict: 'unknown',
    cells: 0,
    coveredShare: 0,
    unknownShare: 0,
    inferredShare: 0,
    expectedReports: 0,
    heardShare: 0,
    dueReports: 0,
    meanProbability: 0,
    stations: [],
  };
  private readonly covering: number[] = [];

  constructor(
    private readonly model: CoverageModel,
    readonly minCellProbability: number,
    readonly minCoveredShare: number,
  ) {
    if (!(minCellProbability > 0 && minCellProbability <= 1)) {
      throw new RangeError(`Unexpected minCellProbability value: ${minCellProbability}.`);
    }
    if (!(minCoveredShare > 0 && minCoveredShare <= 1)) {
      throw new RangeError(`Unexpected minCoveredShare value: ${minCoveredShare}.`);
    }
  }

  /**
   * Judges the way from (lat1, lon1) to (lat2, lon2), travelled silently over `silentSeconds`
   * by a vessel reporting every `intervalSeconds`, as the coverage stands at `time` with
   * stations alive since `aliveSince`.
   */
  walk(
    lat1: number,
    lon1: number,
    lat2: number,
    lon2: number,
    silentSeconds: number,
    intervalSeconds: number,
    time: number,
    aliveSince: number,
  ): CorridorEvidence {
    const model = this.model;
    const out = this.evidence;
    out.stations.length = 0;
    let dLon = lon2 - lon1;
    if (dLon > 180) dLon -= 360;
    else if (dLon < -180) dLon += 360;
    const span = Math.max(Math.abs(lat2 - lat1), Math.abs(dLon)) / model.cellDegrees;
    const steps = Math.min(MAX_STEPS, Math.max(1, Math.ceil(span * 2)));
    const duePerStep = silentSeconds / intervalSeconds / steps;
    let covered = 0;
    let unknown = 0;
    let inferred = 0;
    let cells = 0;
    let previousCell = -1;
    let probabilitySum = 0;
    let expected = 0;
    for (let i = 0; i < steps; i++) {
      const f = (i + 0.5) / steps;
      const lat = lat1 + (lat2 - lat1) * f;
      let lon = lon1 + dLon * f;
      if (lon > 180) lon -= 360;
      else if (lon < -180) lon += 360;
      const cell = model.cellKey(lat, lon);
      if (cell !== previousCell) {
        cells++;
        previousCell = cell;
      }
      let p = model.probability(cell);
      let reach = model.neighbourCells;
      if (Number.isNaN(p)) {
        // No vessel crossed this cell lately: its neighbours' evidence, pooled, stands in.
        p = model.pooledProbability(cell, POOL_REACH);
        reach = POOL_REACH;
        if (Number.isNaN(p)) {
          unknown++;
          continue;
        }
        inferred++;
      }
      const count = model.coveringStations(lat, lon, time, aliveSince, this.covering, reach);
      if (count === 0) continue;
      expected += p * duePerStep;
      if (p < this.minCellProbability) continue;
      covered++;
      probabilitySum += p;
      for (let k = 0; k < count; k++) {
        const station = this.covering[k]!;
        if (!out.stations.includes(station)) out.stations.push(station);
      }
    }
    out.cells = cells;
    out.coveredShare = covered / steps;
    out.unknownShare = unknown / steps;
    out.inferredShare = inferred / steps;
    out.expectedReports = expected;
    out.dueReports = duePerStep * steps;
    out.meanProbability = covered === 0 ? 0 : probabilitySum / covered;
    out.heardShare = expected / (duePerStep * steps);
    // Unknown cells decide when, heard, they would have made the way covered.
    if (out.coveredShare >= this.minCoveredShare) out.verdict = 'covered';
    else if ((covered + unknown) / steps >= this.minCoveredShare) out.verdict = 'unknown';
    else out.verdict = 'uncovered';
    return out;
  }
}
