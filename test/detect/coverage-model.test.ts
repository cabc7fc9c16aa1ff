import { describe, expect, it } from 'vitest';
import { newCoverageCursor } from '../../src/detect/coverage-cursor.js';
import { CoverageModel } from '../../src/detect/coverage-model.js';

const T0 = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;
const HOUR = 3_600_000;

function model(overrides: Partial<ConstructorParameters<typeof CoverageModel>[0]> = {}) {
  return new CoverageModel({
    cellDegrees: 0.1,
    stationAliveSeconds: 30 * 60,
    memorySeconds: 24 * 3600,
    ...overrides,
  });
}

const cursor = newCoverageCursor;

/** Ids of the stations covering (lat, lon) at `time`, sorted. */
function covering(m: CoverageModel, lat: number, lon: number, time: number, since = time) {
  const out: number[] = [];
  const count = m.coveringStations(lat, lon, time, since, out);
  return out
    .slice(0, count)
    .map((s) => m.stationId(s))
    .sort();
}

describe('CoverageModel cells', () => {
  it('puts points of one 0.1° cell under one key and neighbours under others', () => {
    const m = model();
    expect(m.cellKey(55.21, 10.21)).toBe(m.cellKey(55.29, 10.29));
    expect(m.cellKey(55.21, 10.21)).not.toBe(m.cellKey(55.31, 10.21));
    expect(m.cellKey(55.21, 10.21)).not.toBe(m.cellKey(55.21, 10.31));
    expect(m.cellKey(-33.85, 151.2)).not.toBe(m.cellKey(33.85, 151.2));
  });

  it('wraps longitude 180 onto -180 and keeps the poles inside the grid', () => {
    const m = model();
    expect(m.cellKey(10.05, 180)).toBe(m.cellKey(10.05, -180));
    expect(m.cellKey(90, 0)).toBe(m.cellKey(89.95, 0));
    expect(m.cellKey(-90, 0)).toBe(m.cellKey(-89.95, 0));
  });

  it('refuses nonsense options, naming the value', () => {
    expect(() => model({ cellDegrees: 0 })).toThrow(/cellDegrees value: 0/);
    expect(() => model({ stationAliveSeconds: -1 })).toThrow(/stationAliveSeconds value: -1/);
    expect(() => model({ memorySeconds: Number.NaN })).toThrow(/memorySeconds value: NaN/);
    expect(() => model({ neighbourCells: 1.5 })).toThrow(/neighbourCells value: 1.5/);
  });
});

describe('CoverageModel coverage', () => {
  it('covers a cell where an alive station heard a vessel', () => {
    const m = model();
    m.observe(cursor(), ['s1'], 55.25, 10.25, T0);
    expect(covering(m, 55.21, 10.29, T0 + 10 * MINUTE)).toEqual(['s1']);
    // Another cell, never heard in.
    expect(covering(m, 55.35, 10.25, T0 + 10 * MINUTE)).toEqual([]);
  });

  it('stops covering when the station is no longer alive', () => {
    const m = model();
    m.observe(cursor(), ['s1'], 55.25, 10.25, T0);
    expect(covering(m, 55.25, 10.25, T0 + 30 * MINUTE)).toEqual(['s1']);
    expect(covering(m, 55.25, 10.25, T0 + 31 * MINUTE)).toEqual([]);
    // Hearing anything anywhere (even without a position) keeps it alive.
    m.observe(cursor(), ['s1'], undefined, undefined, T0 + 29 * MINUTE);
    expect(covering(m, 55.25, 10.25, T0 + 31 * MINUTE)).toEqual(['s1']);
  });

  it('forgets a cell not heard in for the memory, while the station stays alive', () => {
    const m = model();
    m.observe(cursor(), ['s1'], 55.25, 10.25, T0);
    const elsewhere = cursor();
    for (let t = T0; t <= T0 + 25 * HOUR; t += 10 * MINUTE) {
      m.observe(elsewhere, ['s1'], 56.05, 11.05, t);
    }
    expect(covering(m, 55.25, 10.25, T0 + 24 * HOUR)).toEqual(['s1']);
    expect(covering(m, 55.25, 10.25, T0 + 24 * HOUR + MINUTE)).toEqual([]);
  });

  it('only vouches with stations alive without a break since the given time', () => {
    const m = model();
    const c = cursor();
    m.observe(c, ['s1'], 55.25, 10.25, T0);
    // Down for 40 minutes (longer than stationAliveSeconds), then back.
    m.observe(c, ['s1'], 55.25, 10.25, T0 + 40 * MINUTE);
    expect(m.isAlive('s1', T0 + 41 * MINUTE)).toBe(true);
    expect(m.isAlive('s1', T0 + 41 * MINUTE, T0)).toBe(false);
    expect(covering(m, 55.25, 10.25, T0 + 41 * MINUTE, T0 + 39 * MINUTE)).toEqual([]);
    expect(covering(m, 55.25, 10.25, T0 + 41 * MINUTE, T0 + 40 * MINUTE)).toEqual(['s1']);
    // A 20-minute pause is not a break.
    m.observe(c, ['s1'], 55.25, 10.25, T0 + 60 * MINUTE);
    expect(covering(m, 55.25, 10.25, T0 + 61 * MINUTE, T0 + 40 * MINUTE)).toEqual(['s1']);
  });

  it('counts neighbouring cells only when asked to', () => {
    const strict = model();
    const halo = model({ neighbourCells: 1 });
    for (const m of [strict, halo]) m.observe(cursor(), ['s1'], 55.25, 10.25, T0);
    expect(covering(strict, 55.35, 10.35, T0)).toEqual([]);
    expect(covering(halo, 55.35, 10.35, T0)).toEqual(['s1']);
    expect(covering(halo, 55.45, 10.25, T0)).toEqual([]);
  });

  it('lists every covering station once, across neighbouring cells', () => {
    const m = model({ neighbourCells: 1 });
    m.observe(cursor(), ['s2', 's1'], 55.25, 10.25, T0);
    m.observe(cursor(), ['s1'], 55.35, 10.25, T0);
    m.observe(cursor(), ['s3'], 55.15, 10.15, T0);
    expect(covering(m, 55.25, 10.25, T0)).toEqual(['s1', 's2', 's3']);
  });
});

describe('CoverageModel.observe', () => {
  /** Memory 1 h: cells re-stamp at most every 225 s; station s1 kept alive far away. */
  function withLiveStation() {
    const m = model({ memorySeconds: 3600 });
    const elsewhere = cursor();
    for (let t = T0; t <= T0 + 2 * HOUR; t += 10 * MINUTE) m.observe(elsewhere, ['s1'], 60, 5, t);
    return m;
  }

  it('refreshes liveness on every report', () => {
    const m = model();
    const c = cursor();
    m.observe(c, ['s1'], 55.25, 10.25, T0);
    m.observe(c, ['s1'], 55.25, 10.25, T0 + 1000);
    expect(m.stationLastHeard('s1')).toBe(T0 + 1000);
    m.observe(c, ['s1'], undefined, undefined, T0 + 2000);
    expect(m.stationLastHeard('s1')).toBe(T0 + 2000);
  });

  it('skips re-stamping an unchanged cell within cellRefreshMs', () => {
    const m = withLiveStation();
    expect(m.cellRefreshMs).toBe(225_000);
    const c = cursor();
    m.observe(c, ['s1'], 55.25, 10.25, T0);
    m.observe(c, ['s1'], 55.26, 10.26, T0 + 200_000); // same cell: not stamped
    // The cell's stamp is still T0: forgotten one memory (1 h) later.
    expect(covering(m, 55.25, 10.25, T0 + HOUR)).toEqual(['s1']);
    expect(covering(m, 55.25, 10.25, T0 + HOUR + 100_000)).toEqual([]);
  });

  it('re-stamps an unchanged cell once cellRefreshMs has passed', () => {
    const m = withLiveStation();
    const c = cursor();
    m.observe(c, ['s1'], 55.25, 10.25, T0);
    m.observe(c, ['s1'], 55.26, 10.26, T0 + 225_000);
    expect(covering(m, 55.25, 10.25, T0 + HOUR + 100_000)).toEqual(['s1']);
  });

  it('stamps at once when the cell or the set of stations changes', () => {
    const m = withLiveStation();
    const c = cursor();
    m.observe(c, ['s1'], 55.25, 10.25, T0);
    m.observe(c, ['s1'], 55.35, 10.25, T0 + 1000);
    expect(covering(m, 55.35, 10.25, T0 + 1000)).toEqual(['s1']);
    m.observe(c, ['s1', 's2'], 55.35, 10.25, T0 + 2000);
    expect(covering(m, 55.35, 10.25, T0 + 2000)).toEqual(['s1', 's2']);
    // Back to s1 alone, then s1 and s2 again (in the other order): s2 was stamped at T0 + 2 s.
    m.observe(c, ['s1'], 55.35, 10.25, T0 + 3000);
    m.observe(c, ['s2', 's1'], 55.35, 10.25, T0 + 4000);
    m.observe(c, ['s1', 's2', 's3', 's4'], 55.35, 10.25, T0 + 5000);
    expect(covering(m, 55.35, 10.25, T0 + 5000)).toEqual(['s1', 's2', 's3', 's4']);
  });

  it('treats the stations as a set: the order feeds arrived in does not matter', () => {
    const m = withLiveStation();
    const c = cursor();
    m.observe(c, ['s1', 's2'], 55.25, 10.25, T0);
    m.observe(c, ['s2', 's1'], 55.25, 10.25, T0 + 200_000);
    expect(covering(m, 55.25, 10.25, T0 + HOUR + 100_000)).toEqual([]);
  });
});

describe('CoverageModel memory', () => {
  it('sweeps expired cells and recycles their storage', () => {
    const m = model({ memorySeconds: 3600 });
    const c = cursor();
    for (let i = 0; i < 50; i++) m.observe(cursor(), ['s1', 's2'], 40 + i * 0.1, 5, T0);
    expect(m.cellCount).toBe(50);
    expect(m.pairCount).toBe(100);
    // One station keeps hearing one cell for two hours: the old cells go at a sweep.
    for (let t = T0; t <= T0 + 2 * HOUR; t += MINUTE) m.observe(c, ['s1'], 60.05, 5.05, t);
    expect(m.cellCount).toBe(1);
    expect(m.pairCount).toBe(1);
    for (let i = 0; i < 50; i++) m.observe(cursor(), ['s3'], 40 + i * 0.1, 5, T0 + 2 * HOUR);
    expect(m.pairCount).toBe(51);
    expect(covering(m, 40.05, 5, T0 + 2 * HOUR)).toEqual(['s3']);
  });
});

describe('CoverageModel reception probability (issue 14)', () => {
  /**
   * One vessel reporting every 10 s for `minutes` at (lat, lon), of every `every` reports only
   * the first two heard (1: all).
   */
  function feed(m: CoverageModel, lat: number, lon: number, minutes: number, every = 1) {
    const c = cursor();
    for (let i = 0; i < minutes * 6; i++) {
      if (every > 1 && i % every >= 2) continue;
      m.observe(c, ['s1'], lat, lon + i * 1e-6, T0 + i * 10_000);
    }
    m.flushEvidence(c);
    return c;
  }

  it('is reports heard over reports due, and unknown until enough were due', () => {
    const m = model({ minEvidenceReports: 20 });
    const cell = m.cellKey(55.25, 10.15);
    expect(m.probability(cell)).toBeNaN();
    feed(m, 55.25, 10.15, 30);
    expect(m.probability(cell)).toBeCloseTo(1, 2);
    const edge = m.cellKey(55.25, 10.95);
    // Heard 2 reports in 5 (0.4): the interval is learned from the pairs heard 10 s apart, and
    // creeps up with the long gaps, so the estimate reads high (~0.6), but far from coverage.
    feed(m, 55.25, 10.95, 60, 5);
    expect(m.probability(edge)).toBeGreaterThan(0.35);
    expect(m.probability(edge)).toBeLessThan(0.7);
    const few = m.cellKey(54.05, 10.05);
    feed(m, 54.05, 10.05, 1);
    expect(m.reportsDue(few)).toBeGreaterThan(0);
    expect(m.probability(few)).toBeNaN();
  });

  it('learns a hole from a silence between two fixes, but not from one as long as a dark gap', () => {
    const m = model({ learnSilenceSeconds: 7200 });
    const hole = m.cellKey(55.25, 10.55);
    const crossing = (silenceMs: number, mmsiCursor = cursor()) => {
      for (let i = 0; i < 12; i++) m.observe(mmsiCursor, ['s1'], 55.25, 10.15, T0 + i * 10_000);
      m.observe(mmsiCursor, ['s1'], 55.25, 10.95, T0 + 110_000 + silenceMs);
    };
    crossing(HOUR);
    // One hour at 10 s: 360 reports due along the way, none heard; the hole cell has its share.
    expect(m.reportsDue(hole)).toBeGreaterThan(20);
    expect(m.probability(hole)).toBe(0);
    const other = model({ learnSilenceSeconds: 7200 });
    const c = cursor();
    for (let i = 0; i < 12; i++) other.observe(c, ['s1'], 55.25, 10.15, T0 + i * 10_000);
    other.observe(c, ['s1'], 55.25, 10.95, T0 + 110_000 + 3 * HOUR);
    expect(other.reportsDue(other.cellKey(55.25, 10.55))).toBe(0);
  });

  it('judges a cell nobody crossed from its neighbours only when they surround it', () => {
    const m = model({ minEvidenceReports: 5 });
    const centre = m.cellKey(55.25, 10.15);
    // Four of the eight neighbours known and heard well, the lowest 1: the cell reads as theirs.
    for (const [dLat, dLon] of [
      [-0.1, 0],
      [0.1, 0],
      [0, -0.1],
      [0, 0.1],
    ] as const) {
      feed(m, 55.25 + dLat, 10.15 + dLon, 5);
    }
    expect(m.probability(centre)).toBeNaN();
    expect(m.pooledProbability(centre, 1)).toBeCloseTo(1, 2);
    // A cell with a known neighbour on one side only (beyond the edge) stays unknown.
    expect(m.pooledProbability(m.cellKey(55.25, 10.45), 1)).toBeNaN();
    // An edge neighbour pulls the pooled probability down to its own.
    feed(m, 55.35, 10.25, 10, 5);
    expect(m.pooledProbability(centre, 1)).toBeCloseTo(m.probability(m.cellKey(55.35, 10.25)), 6);
  });
});
