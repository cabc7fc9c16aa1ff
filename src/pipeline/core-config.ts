/**
 * Thresholds of the core, with DESIGN.md §3 defaults; every one is configuration. Units are in
 * the names.
 */
export interface CoreConfig {
  /** The same payload heard by several feeds within this window is one report. */
  dedupeWindowSeconds: number;
  /**
   * How far the core's watermark trails the inputs' progress (the slowest feed's in `replay`, the
   * slowest active partition's in the worker): the time late and reordered reports have.
   */
  allowedLatenessSeconds: number;
  /** Vessels not heard for this long are forgotten (bounds memory). */
  forgetVesselAfterSeconds: number;
  darkGap: {
    minGapSeconds: number;
    /** A station counts as alive if it heard anything this recently. */
    stationAliveSeconds: number;
    /** A coverage cell counts as covered if a station heard a vessel there this recently. */
    coverageMemorySeconds: number;
    /** Size of the coverage grid cells, degrees. */
    coverageCellDegrees: number;
    /** Speeds over this are not believed when dead reckoning. */
    maxDeadReckonKnots: number;
    /** Dead reckoning runs at most this long; a silence not judged dark by then is left alone. */
    maxDeadReckonSeconds: number;
    /** Neighbouring coverage cells that also count as covered (0: only the cell itself). */
    coverageNeighbourCells: number;
  };
  rendezvous: {
    maxDistanceMeters: number;
    maxSogKnots: number;
    minDurationSeconds: number;
    /** A meeting ends when the two have not been seen together for this long. */
    maxSilenceSeconds: number;
  };
  loitering: {
    maxSogKnots: number;
    minDurationSeconds: number;
    /** Loitering ends after this long without a report. */
    maxSilenceSeconds: number;
  };
  positionJump: { minImpliedSpeedKnots: number; minDistanceMeters: number };
  identityConflict: {
    /** Fixes that must alternate between the two tracks before it is a conflict. */
    minAlternations: number;
    /** The alternations must happen within this window. */
    windowSeconds: number;
  };
  invalidIdentity: {
    /** An aid-to-navigation MMSI reporting positions this far apart is moving. */
    atonMinMoveMeters: number;
  };
}

export const DEFAULT_CORE_CONFIG: CoreConfig = {
  dedupeWindowSeconds: 30,
  allowedLatenessSeconds: 120,
  forgetVesselAfterSeconds: 7 * 24 * 3600,
  darkGap: {
    minGapSeconds: 2 * 3600,
    stationAliveSeconds: 30 * 60,
    coverageMemorySeconds: 24 * 3600,
    coverageCellDegrees: 0.1,
    maxDeadReckonKnots: 50,
    maxDeadReckonSeconds: 6 * 3600,
    coverageNeighbourCells: 0,
  },
  rendezvous: {
    maxDistanceMeters: 500,
    maxSogKnots: 2,
    minDurationSeconds: 2 * 3600,
    maxSilenceSeconds: 30 * 60,
  },
  loitering: { maxSogKnots: 2, minDurationSeconds: 4 * 3600, maxSilenceSeconds: 3600 },
  positionJump: { minImpliedSpeedKnots: 50, minDistanceMeters: 2000 },
  identityConflict: { minAlternations: 4, windowSeconds: 3600 },
  invalidIdentity: { atonMinMoveMeters: 1000 },
};
