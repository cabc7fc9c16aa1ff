import { describe, expect, it } from 'vitest';
import { holdUntil, releaseStep } from '../../src/worker/release-policy.js';

const T0 = Date.UTC(2024, 5, 1);
const LATENESS_MS = 30_000;
const TOLERANCE_MS = 600_000;
const holding = { queuedReports: 3, releasedUntil: T0 - 60_000 };

describe('releaseStep', () => {
  it('releases up to the watermark less the allowed lateness while a partition is active', () => {
    expect(releaseStep({ time: T0, allIdle: false }, holding, LATENESS_MS, TOLERANCE_MS)).toEqual({
      kind: 'advance',
      until: T0 - LATENESS_MS,
    });
  });

  it('does nothing before every active partition has given a report', () => {
    const none = { time: Number.NEGATIVE_INFINITY, allIdle: false };
    expect(releaseStep(none, holding, LATENESS_MS, TOLERANCE_MS)).toEqual({ kind: 'none' });
    const allIdleEmpty = { time: Number.NEGATIVE_INFINITY, allIdle: true };
    expect(releaseStep(allIdleEmpty, holding, LATENESS_MS, TOLERANCE_MS)).toEqual({
      kind: 'none',
    });
  });

  it('finishes what the core holds when every partition is idle, up to the future tolerance', () => {
    expect(releaseStep({ time: T0, allIdle: true }, holding, LATENESS_MS, TOLERANCE_MS)).toEqual({
      kind: 'finish',
      until: T0,
      limit: T0 + TOLERANCE_MS,
    });
    // Nothing queued, but not yet released to the watermark: timers still have to fire.
    const drained = { queuedReports: 0, releasedUntil: T0 - 1 };
    expect(releaseStep({ time: T0, allIdle: true }, drained, LATENESS_MS, TOLERANCE_MS).kind).toBe(
      'finish',
    );
  });

  it("finishes up to where the partitions' input got when that is beyond the future tolerance", () => {
    const end = T0 + 3 * TOLERANCE_MS;
    expect(
      releaseStep({ time: T0, allIdle: true, end }, holding, LATENESS_MS, TOLERANCE_MS),
    ).toEqual({ kind: 'finish', until: T0, limit: end });
    // An end short of the tolerance does not narrow it.
    const near = { time: T0, allIdle: true, end: T0 + 1000 };
    expect(releaseStep(near, holding, LATENESS_MS, TOLERANCE_MS)).toEqual({
      kind: 'finish',
      until: T0,
      limit: T0 + TOLERANCE_MS,
    });
  });

  it('does not finish again once the core has released everything to the watermark', () => {
    const done = { queuedReports: 0, releasedUntil: T0 };
    expect(releaseStep({ time: T0, allIdle: true }, done, LATENESS_MS, TOLERANCE_MS)).toEqual({
      kind: 'none',
    });
  });
});

describe('holdUntil', () => {
  it("is the batch's newest report when it is not ahead of its partition", () => {
    expect(holdUntil(T0, T0 + 5000, TOLERANCE_MS)).toBe(T0);
  });

  it("caps a report stamped far ahead at the partition's progress plus the tolerance", () => {
    expect(holdUntil(T0 + 3_600_000, T0, TOLERANCE_MS)).toBe(T0 + TOLERANCE_MS);
  });
});
