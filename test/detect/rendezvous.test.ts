import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/detect/alert.js';
import { rendezvousDetector } from '../../src/detect/rendezvous.js';
import { DEFAULT_CORE_CONFIG } from '../../src/pipeline/core-config.js';
import type { ZoneIndex } from '../../src/zones/zone-index.js';
import { boxZones } from '../support/box-zones.js';
import { CoreHarness, type FixInput, HOUR, MINUTE, T0 } from '../support/core-harness.js';

/** The higher MMSI reports first, so the alert's ordering (mmsi < otherMmsi) is the detector's. */
const TANKER = 636_012_345;
const TRAWLER = 273_456_789;
const METERS_PER_DEGREE = 111_195;
/** Open sea, 60 nm off the coast: no zone. */
const SEA = { lat: 35.5, lon: 21.0 };
/** A port basin (a `port` zone in `portZones`). */
const PORT = { lat: 37.94, lon: 23.63 };

function east(point: { lat: number; lon: number }, meters: number): { lat: number; lon: number } {
  const cos = Math.cos((point.lat * Math.PI) / 180);
  return { lat: point.lat, lon: point.lon + meters / (METERS_PER_DEGREE * cos) };
}

interface Leg {
  from: number;
  to: number;
  /** Where the vessel is at `from`. */
  at: { lat: number; lon: number };
  sogKnots: number | undefined;
  /** Course while moving (the vessel actually moves at `sogKnots` along it). */
  cogDegrees?: number;
  everyMs?: number;
  /** Offset of the first report after `from`. */
  offsetMs?: number;
}

/** Fixes of one vessel along consecutive legs, moving as its SOG says. */
function track(mmsi: number, member: string, legs: readonly Leg[]): FixInput[] {
  const out: FixInput[] = [];
  for (const leg of legs) {
    const every = leg.everyMs ?? 3 * MINUTE;
    const rad = ((leg.cogDegrees ?? 90) * Math.PI) / 180;
    const metersPerMs = ((leg.sogKnots ?? 0) * 1852) / 3_600_000;
    for (let t = leg.from + (leg.offsetMs ?? 0); t < leg.to; t += every) {
      const meters = metersPerMs * (t - leg.from);
      const lat = leg.at.lat + (Math.cos(rad) * meters) / METERS_PER_DEGREE;
      const cos = Math.cos((leg.at.lat * Math.PI) / 180);
      const lon = leg.at.lon + (Math.sin(rad) * meters) / (METERS_PER_DEGREE * cos);
      out.push({
        mmsi,
        time: t,
        lat,
        lon,
        member,
        ...(leg.sogKnots === undefined ? {} : { sogKnots: leg.sogKnots }),
        cogDegrees: leg.cogDegrees ?? 90,
      });
    }
  }
  return out;
}

function run(fixes: FixInput[], options: { zones?: ZoneIndex; until?: number } = {}): CoreHarness {
  const harness = new CoreHarness(
    [rendezvousDetector()],
    options.zones ? { zones: options.zones } : {},
  );
  for (const fix of [...fixes].sort((a, b) => a.time - b.time || a.mmsi - b.mmsi)) harness.fix(fix);
  if (options.until === undefined) harness.finish();
  else harness.advanceTo(options.until);
  return harness;
}

function rendezvous(harness: CoreHarness): Alert[] {
  return harness.alertsOf('rendezvous');
}

/** Two vessels drifting at 0.5 kn, 300 m apart, from T0 for `minutes`; then the tanker leaves at 12 kn. */
function meeting(minutes: number, apartMeters = 300): FixInput[] {
  const end = T0 + minutes * MINUTE;
  return [
    ...track(TANKER, 'alpha', [
      { from: T0, to: end, at: SEA, sogKnots: 0.5, cogDegrees: 0, everyMs: 3 * MINUTE },
      { from: end, to: end + HOUR, at: SEA, sogKnots: 12, cogDegrees: 180, everyMs: 10_000 },
    ]),
    ...track(TRAWLER, 'bravo', [
      {
        from: T0,
        to: end + HOUR,
        at: east(SEA, apartMeters),
        sogKnots: 0.5,
        cogDegrees: 0,
        everyMs: 3 * MINUTE,
        offsetMs: MINUTE,
      },
    ]),
  ];
}

function portZones(): ZoneIndex {
  const d = 0.02;
  return boxZones({
    id: 'port-piraeus',
    name: 'Piraeus',
    kind: 'port',
    box: [PORT.lon - d, PORT.lat - d, PORT.lon + d, PORT.lat + d],
  });
}

describe('rendezvous', () => {
  it('raises one alert for 2 h 5 min together at 300 m, 0.5 kn, and closes it when they part', () => {
    const harness = run(meeting(125));
    const alerts = rendezvous(harness);
    expect(alerts).toHaveLength(1);
    const alert = alerts[0]!;
    expect(alert.mmsi).toBe(TRAWLER);
    expect(alert.otherMmsi).toBe(TANKER);
    // The trawler's first fix (T0 + 1 min) found the tanker, heard at T0: they came together.
    expect(alert.start).toBe(T0 + MINUTE);
    // The tanker's first fix at speed (12 kn) ends it.
    expect(alert.end).toBe(T0 + 125 * MINUTE);
    expect(alert.detail.endReason).toBe('speed');
    expect(alert.sources).toEqual(['alpha', 'bravo']);
    expect(alert.revision).toBe(2);
    expect(alert.rule).toEqual({
      name: 'rendezvous',
      version: 1,
      thresholds: {
        maxDistanceMeters: 500,
        maxSogKnots: 2,
        minDurationSeconds: 7200,
        maxSilenceSeconds: 1800,
        discoveryIntervalSeconds: 60,
      },
    });
    expect(alert.detail.minDistanceMeters).toBeGreaterThanOrEqual(290);
    expect(alert.detail.minDistanceMeters).toBeLessThanOrEqual(310);
    // Between the two at the raise, after drifting north ~2 km together.
    expect(Math.abs(alert.lat - SEA.lat)).toBeLessThan(0.02);
    expect(alert.lon).toBeCloseTo(east(SEA, 150).lon, 4);
    // The first revision: open, raised at the threshold with the observed duration.
    const [raised, closed] = harness.revisions.filter((r) => r.id === alert.id);
    expect(raised!.end).toBeUndefined();
    expect(raised!.revision).toBe(1);
    expect(raised!.detail.durationSeconds).toBeGreaterThanOrEqual(7200);
    expect(raised!.detail.durationSeconds).toBeLessThan(7200 + 3 * 60 + 1);
    expect(closed!.end).toBe(T0 + 125 * MINUTE);
  });

  it('is raised during the meeting, at the first joint fix 2 h after they came together', () => {
    const fixes = meeting(300);
    const harness = new CoreHarness([rendezvousDetector()]);
    const sorted = [...fixes].sort((a, b) => a.time - b.time || a.mmsi - b.mmsi);
    for (const fix of sorted.filter((f) => f.time <= T0 + 2 * HOUR)) harness.fix(fix);
    harness.advanceTo(T0 + 2 * HOUR);
    expect(rendezvous(harness)).toHaveLength(0);
    for (const fix of sorted.filter((f) => f.time > T0 + 2 * HOUR && f.time <= T0 + 125 * MINUTE)) {
      harness.fix(fix);
    }
    harness.advanceTo(T0 + 125 * MINUTE);
    const [alert] = rendezvous(harness);
    expect(alert?.end).toBeUndefined();
    expect(alert?.start).toBe(T0 + MINUTE);
  });

  it('starts the meeting within a minute of a vessel reporting every 10 s coming within 500 m', () => {
    // The tanker lies still, reporting every 3 min; the trawler approaches from 1.5 km west at
    // 1.5 kn, reporting every 10 s: 500 m away after 1000 m / 0.772 m/s ≈ 21.6 min; it stops
    // 340 m short after 25 min.
    const knots = (1.5 * 1852) / 3600;
    const approach = 25 * MINUTE;
    const fixes = [
      ...track(TANKER, 'alpha', [{ from: T0, to: T0 + 4 * HOUR, at: SEA, sogKnots: 0 }]),
      ...track(TRAWLER, 'bravo', [
        {
          from: T0,
          to: T0 + approach,
          at: east(SEA, -1500),
          sogKnots: 1.5,
          cogDegrees: 90,
          everyMs: 10_000,
          offsetMs: 7000,
        },
        {
          from: T0 + approach,
          to: T0 + 4 * HOUR,
          at: east(SEA, -1500 + (knots * approach) / 1000),
          sogKnots: 0,
          everyMs: 10_000,
          offsetMs: 7000,
        },
      ]),
    ];
    const [alert] = rendezvous(run(fixes));
    const reached = T0 + (1000 / ((1.5 * 1852) / 3600)) * 1000;
    expect(alert).toBeDefined();
    expect(alert!.start).toBeGreaterThanOrEqual(reached);
    expect(alert!.start).toBeLessThanOrEqual(reached + MINUTE);
  });

  it('closes the meeting when the two drift apart beyond 500 m, both still slow', () => {
    const fixes = [
      ...track(TANKER, 'alpha', [
        { from: T0, to: T0 + 4 * HOUR, at: SEA, sogKnots: 0.3, cogDegrees: 270 },
      ]),
      // 200 m east, drifting west with the tanker for 2 h 30 min; then it heads east at 1.5 kn
      // and is more than 500 m away some 6 minutes later.
      ...track(TRAWLER, 'alpha', [
        {
          from: T0,
          to: T0 + 150 * MINUTE,
          at: east(SEA, 200),
          sogKnots: 0.3,
          cogDegrees: 270,
          offsetMs: MINUTE,
        },
        {
          from: T0 + 150 * MINUTE,
          to: T0 + 4 * HOUR,
          at: east(SEA, 200 - 0.3 * 1852 * 2.5),
          sogKnots: 1.5,
          cogDegrees: 90,
          offsetMs: MINUTE,
        },
      ]),
    ];
    const harness = run(fixes);
    const alerts = rendezvous(harness);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.detail.endReason).toBe('parted');
    expect(alerts[0]!.end).toBeGreaterThan(T0 + 150 * MINUTE);
    expect(alerts[0]!.end).toBeLessThan(T0 + 4 * HOUR);
  });

  it('closes the meeting at the last joint observation when both fall silent', () => {
    const fixes = meeting(150).filter((f) => f.time < T0 + 150 * MINUTE);
    const harness = run(fixes, { until: T0 + 150 * MINUTE + 40 * MINUTE });
    const [alert] = rendezvous(harness);
    expect(alert).toBeDefined();
    expect(alert!.detail.endReason).toBe('silence');
    // Last fixes: tanker at 2 h 27, trawler at 2 h 28: together as of the earlier one.
    expect(alert!.end).toBe(T0 + 147 * MINUTE);
  });

  it('uses the speed implied by consecutive fixes when SOG is not available', () => {
    // SOG 1023 ("not available") on every slow fix: each vessel's first fix cannot be judged,
    // so the meeting starts at the second trawler fix (T0 + 4 min).
    const withoutSog = (fixes: FixInput[], until: number) =>
      fixes.map(({ sogKnots, ...f }) => (f.time < until ? f : { ...f, sogKnots }));
    const [alert] = rendezvous(run(withoutSog(meeting(130), T0 + 130 * MINUTE)));
    expect(alert?.start).toBe(T0 + 4 * MINUTE);
    expect(alert?.end).toBe(T0 + 130 * MINUTE);
    // Judged by position: 3 kn side by side is not slow.
    const drifting = [
      ...track(TANKER, 'alpha', [
        { from: T0, to: T0 + 3 * HOUR, at: SEA, sogKnots: 3, cogDegrees: 0 },
      ]),
      ...track(TRAWLER, 'bravo', [
        {
          from: T0,
          to: T0 + 3 * HOUR,
          at: east(SEA, 300),
          sogKnots: 3,
          cogDegrees: 0,
          offsetMs: MINUTE,
        },
      ]),
    ];
    expect(rendezvous(run(drifting))).toHaveLength(0);
    expect(rendezvous(run(withoutSog(drifting, T0 + 3 * HOUR)))).toHaveLength(0);
  });

  describe('hard negatives', () => {
    it('passing ships: close, but at speed', () => {
      const fixes = [
        ...track(TANKER, 'alpha', [
          { from: T0, to: T0 + 3 * HOUR, at: SEA, sogKnots: 12, cogDegrees: 90, everyMs: 10_000 },
        ]),
        // Same lane, opposite way, 100 m north: they pass at 1 h 30.
        ...track(TRAWLER, 'bravo', [
          {
            from: T0,
            to: T0 + 3 * HOUR,
            at: east({ lat: SEA.lat + 100 / METERS_PER_DEGREE, lon: SEA.lon }, 2 * 12 * 1852 * 1.5),
            sogKnots: 12,
            cogDegrees: 270,
            everyMs: 10_000,
          },
        ]),
      ];
      expect(rendezvous(run(fixes))).toHaveLength(0);
    });

    it('a convoy: 300 m apart for 3 h, but at 10 kn', () => {
      const fixes = [
        ...track(TANKER, 'alpha', [
          { from: T0, to: T0 + 3 * HOUR, at: SEA, sogKnots: 10, cogDegrees: 0, everyMs: 10_000 },
        ]),
        ...track(TRAWLER, 'alpha', [
          {
            from: T0,
            to: T0 + 3 * HOUR,
            at: east(SEA, 300),
            sogKnots: 10,
            cogDegrees: 0,
            everyMs: 10_000,
          },
        ]),
      ];
      expect(rendezvous(run(fixes))).toHaveLength(0);
    });

    it('a short meeting: 1 h 50 min together, then one leaves', () => {
      expect(rendezvous(run(meeting(110)))).toHaveLength(0);
    });

    it('a short meeting followed by silence is not extrapolated to 2 h', () => {
      const fixes = meeting(110).filter((f) => f.time < T0 + 110 * MINUTE);
      expect(rendezvous(run(fixes, { until: T0 + 4 * HOUR }))).toHaveLength(0);
    });

    it('ships moored together in a port zone for 5 h', () => {
      const zones = portZones();
      expect(zones.inKind(PORT.lon, PORT.lat, 'port')).toBe(true);
      const fixes = [
        ...track(TANKER, 'alpha', [{ from: T0, to: T0 + 5 * HOUR, at: PORT, sogKnots: 0 }]),
        ...track(TRAWLER, 'bravo', [
          { from: T0, to: T0 + 5 * HOUR, at: east(PORT, 60), sogKnots: 0, offsetMs: MINUTE },
        ]),
      ];
      expect(rendezvous(run(fixes, { zones }))).toHaveLength(0);
      // The same two vessels outside the port do meet: the zone is what prevents the alert.
      expect(rendezvous(run(fixes))).toHaveLength(1);
    });

    it('600 m apart for 3 h', () => {
      expect(rendezvous(run(meeting(180, 600)))).toHaveLength(0);
      expect(rendezvous(run(meeting(180, 450)))).toHaveLength(1);
    });
  });

  it('keeps one pending timer per meeting, not one per report', () => {
    const harness = new CoreHarness([rendezvousDetector()]);
    const fixes = meeting(600).sort((a, b) => a.time - b.time);
    // Private to the core: read here only to pin "never a timer per report" (issue 3).
    const timers = (harness.core as unknown as { timers: { size: number } }).timers;
    let maxPending = 0;
    for (const fix of fixes.filter((f) => f.time < T0 + 600 * MINUTE)) {
      harness.fix(fix);
      harness.advanceTo(fix.time);
      maxPending = Math.max(maxPending, timers.size);
    }
    expect(fixes.length).toBeGreaterThan(300);
    expect(maxPending).toBe(1);
    expect(rendezvous(harness)).toHaveLength(1);
  });

  it('reads its thresholds from config.rendezvous', () => {
    const config = {
      rendezvous: {
        ...DEFAULT_CORE_CONFIG.rendezvous,
        minDurationSeconds: 3600,
        maxDistanceMeters: 700,
      },
    };
    const harness = new CoreHarness([rendezvousDetector(config)]);
    for (const fix of meeting(70, 600).sort((a, b) => a.time - b.time)) harness.fix(fix);
    harness.finish();
    const [alert] = rendezvous(harness);
    expect(alert?.rule.thresholds.minDurationSeconds).toBe(3600);
    expect(() =>
      rendezvousDetector({ rendezvous: { ...DEFAULT_CORE_CONFIG.rendezvous, maxSogKnots: -1 } }),
    ).toThrow(/rendezvous.maxSogKnots value: -1/);
  });
});
