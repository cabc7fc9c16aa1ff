import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/detect/alert.js';
import { loiteringDetector } from '../../src/detect/loitering.js';
import { DEFAULT_CORE_CONFIG } from '../../src/pipeline/core-config.js';
import type { ZoneIndex } from '../../src/zones/zone-index.js';
import { boxZones } from '../support/box-zones.js';
import { CoreHarness, type FixInput, HOUR, MINUTE, T0 } from '../support/core-harness.js';

const VESSEL = 538_001_234;
const METERS_PER_DEGREE = 111_195;
/** Open sea, no zone. */
const SEA = { lat: 12.6, lon: 43.3 };
/** Inside the `port` zone of `portZones`. */
const PORT = { lat: 11.6, lon: 43.14 };

interface Leg {
  minutes: number;
  sogKnots: number | undefined;
  everyMs?: number;
  member?: string;
}

/**
 * One vessel from `at`, heading north, over consecutive legs; it moves as fast as the leg says
 * (so a leg without SOG is judged by its positions).
 */
function voyage(legs: readonly Leg[], at = SEA, start = T0): FixInput[] {
  const out: FixInput[] = [];
  let lat = at.lat;
  let legStart = start;
  for (const leg of legs) {
    const every = leg.everyMs ?? 3 * MINUTE;
    const end = legStart + leg.minutes * MINUTE;
    const degreesPerMs = ((leg.sogKnots ?? 0.5) * 1852) / 3_600_000 / METERS_PER_DEGREE;
    for (let time = legStart; time < end; time += every) {
      out.push({
        mmsi: VESSEL,
        time,
        lat,
        lon: at.lon,
        cogDegrees: 0,
        member: leg.member ?? 'alpha',
        ...(leg.sogKnots === undefined ? {} : { sogKnots: leg.sogKnots }),
      });
      lat += degreesPerMs * Math.min(every, end - time);
    }
    legStart = end;
  }
  return out;
}

function portZones(): ZoneIndex {
  const d = 0.05;
  return boxZones({
    id: 'port-djibouti',
    name: 'Djibouti',
    kind: 'port',
    box: [PORT.lon - d, PORT.lat - d, PORT.lon + d, PORT.lat + d],
  });
}

function run(fixes: readonly FixInput[], options: { zones?: ZoneIndex; until?: number } = {}) {
  const harness = new CoreHarness(
    [loiteringDetector()],
    options.zones ? { zones: options.zones } : {},
  );
  for (const fix of fixes) harness.fix(fix);
  if (options.until === undefined) harness.finish();
  else harness.advanceTo(options.until);
  return harness;
}

function loitering(harness: CoreHarness): Alert[] {
  return harness.alertsOf('loitering');
}

describe('loitering', () => {
  it('raises at 4 h slow with start = when it slowed down, and ends when it speeds up', () => {
    const fixes = voyage([
      { minutes: 60, sogKnots: 12, everyMs: 10_000 },
      { minutes: 250, sogKnots: 0.8, member: 'bravo' },
      { minutes: 30, sogKnots: 11, everyMs: 10_000 },
    ]);
    const harness = run(fixes);
    const alerts = loitering(harness);
    expect(alerts).toHaveLength(1);
    const alert = alerts[0]!;
    expect(alert.mmsi).toBe(VESSEL);
    expect(alert.otherMmsi).toBeUndefined();
    expect(alert.start).toBe(T0 + HOUR);
    expect(alert.end).toBe(T0 + HOUR + 250 * MINUTE);
    expect(alert.detail.endReason).toBe('speed');
    expect(alert.detail.durationSeconds).toBe(250 * 60);
    // Slow fixes heard by bravo, the speed-up by alpha.
    expect(alert.sources).toEqual(['alpha', 'bravo']);
    expect(alert.rule).toEqual({
      name: 'loitering',
      version: 1,
      thresholds: { maxSogKnots: 2, minDurationSeconds: 14_400, maxSilenceSeconds: 3600 },
    });
    const [raised, closed] = harness.revisions.filter((r) => r.id === alert.id);
    expect(raised!.end).toBeUndefined();
    expect(raised!.detail.durationSeconds).toBe(4 * 3600);
    expect(raised!.sources).toEqual(['bravo']);
    // 0.8 kn for 4 h: about 5.9 km from where it slowed down.
    expect(raised!.detail.driftMeters).toBeGreaterThan(5800);
    expect(raised!.detail.driftMeters).toBeLessThan(6000);
    expect(closed!.revision).toBe(2);
  });

  it('is raised while the vessel still loiters, at its first slow fix 4 h after slowing down', () => {
    const fixes = voyage([{ minutes: 6 * 60, sogKnots: 0.2 }]);
    const early = run(
      fixes.filter((f) => f.time < T0 + 4 * HOUR),
      { until: T0 + 4 * HOUR - MINUTE },
    );
    expect(loitering(early)).toHaveLength(0);
    const harness = run(
      fixes.filter((f) => f.time <= T0 + 4 * HOUR),
      { until: T0 + 4 * HOUR },
    );
    const [alert] = loitering(harness);
    expect(alert?.start).toBe(T0);
    expect(alert?.end).toBeUndefined();
  });

  it('ends at its last slow fix when the vessel falls silent for an hour', () => {
    const fixes = voyage([{ minutes: 5 * 60, sogKnots: 0.2 }]);
    const open = run(fixes, { until: T0 + 5 * HOUR + 30 * MINUTE });
    expect(loitering(open)[0]?.end).toBeUndefined();
    const harness = run(fixes, { until: T0 + 7 * HOUR });
    const [alert] = loitering(harness);
    expect(alert?.end).toBe(T0 + 5 * HOUR - 3 * MINUTE);
    expect(alert?.detail.endReason).toBe('silence');
  });

  it('ends when the vessel enters a port', () => {
    const zones = portZones();
    // Drifts north at 1 kn from 8.3 km south of the port zone: inside after about 4.5 h.
    const at = { lat: PORT.lat - 0.05 - 0.075, lon: PORT.lon };
    const harness = run(voyage([{ minutes: 6 * 60, sogKnots: 1 }], at), { zones });
    const [alert] = loitering(harness);
    expect(alert?.detail.endReason).toBe('port');
    expect(alert!.end! - T0).toBeGreaterThan(4 * HOUR);
    expect(alert!.end! - T0).toBeLessThan(5 * HOUR);
  });

  it('judges a fix without SOG by the speed its positions imply', () => {
    // SOG not available: 0.5 kn by position is slow, 8 kn is not.
    const slow = voyage([
      { minutes: 250, sogKnots: undefined },
      { minutes: 30, sogKnots: 10, everyMs: 10_000 },
    ]);
    const [alert] = loitering(run(slow));
    // The first fix has no previous one to judge by: the episode starts at the second.
    expect(alert?.start).toBe(T0 + 3 * MINUTE);
    expect(alert?.end).toBe(T0 + 250 * MINUTE);
    const fast = voyage([{ minutes: 300, sogKnots: undefined }]).map((f, i) => ({
      ...f,
      lat: SEA.lat + (i * 8 * 1852 * 0.05) / METERS_PER_DEGREE,
    }));
    expect(loitering(run(fast))).toHaveLength(0);
  });

  describe('hard negatives', () => {
    it('3 h 50 min slow, then under way', () => {
      const fixes = voyage([
        { minutes: 230, sogKnots: 0.5 },
        { minutes: 60, sogKnots: 12, everyMs: 10_000 },
      ]);
      expect(loitering(run(fixes))).toHaveLength(0);
    });

    it('3 h 50 min slow, then silent: not extrapolated to 4 h', () => {
      const fixes = voyage([{ minutes: 230, sogKnots: 0.5 }]);
      expect(loitering(run(fixes, { until: T0 + 8 * HOUR }))).toHaveLength(0);
    });

    it('slow for 6 h inside a port', () => {
      const zones = portZones();
      const fixes = voyage([{ minutes: 6 * 60, sogKnots: 0.1 }], PORT);
      expect(loitering(run(fixes, { zones }))).toHaveLength(0);
      // The zone is what prevents it.
      expect(loitering(run(fixes))).toHaveLength(1);
    });

    it('fast for 6 h', () => {
      const fixes = voyage([{ minutes: 6 * 60, sogKnots: 9, everyMs: 10_000 }]);
      expect(loitering(run(fixes))).toHaveLength(0);
    });

    it('two slow spells of 3 h with a fast hour between', () => {
      const fixes = voyage([
        { minutes: 180, sogKnots: 1 },
        { minutes: 60, sogKnots: 6, everyMs: 10_000 },
        { minutes: 180, sogKnots: 1 },
      ]);
      expect(loitering(run(fixes))).toHaveLength(0);
    });
  });

  it('keeps at most one pending timer per vessel', () => {
    const harness = new CoreHarness([loiteringDetector()]);
    // Private to the core: read here only to pin "never a timer per report" (issue 3).
    const timers = (harness.core as unknown as { timers: { size: number } }).timers;
    let maxPending = 0;
    const fixes = voyage([{ minutes: 10 * 60, sogKnots: 0.3, everyMs: MINUTE }]);
    for (const fix of fixes) {
      harness.fix(fix);
      harness.advanceTo(fix.time);
      maxPending = Math.max(maxPending, timers.size);
    }
    expect(fixes.length).toBe(600);
    expect(maxPending).toBe(1);
    expect(loitering(harness)).toHaveLength(1);
  });

  it('reads its thresholds from config.loitering', () => {
    const config = {
      loitering: { ...DEFAULT_CORE_CONFIG.loitering, minDurationSeconds: 3600, maxSogKnots: 1 },
    };
    const harness = new CoreHarness([loiteringDetector(config)]);
    for (const fix of voyage([{ minutes: 90, sogKnots: 0.5 }])) harness.fix(fix);
    for (const fix of voyage([{ minutes: 90, sogKnots: 1.5 }], SEA, T0 + 2 * HOUR)) {
      harness.fix(fix);
    }
    harness.finish();
    const alerts = loitering(harness);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.rule.thresholds).toMatchObject({ minDurationSeconds: 3600, maxSogKnots: 1 });
    expect(() =>
      loiteringDetector({ loitering: { ...DEFAULT_CORE_CONFIG.loitering, minDurationSeconds: 0 } }),
    ).toThrow(/loitering.minDurationSeconds value: 0/);
  });
});
