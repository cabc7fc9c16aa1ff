import { describe, expect, it } from 'vitest';
import { type Alert, alertStatus, alertToJson } from '../../src/detect/alert.js';
import {
  type DarkGapConfig,
  type DarkGapDetector,
  darkGapDetector,
} from '../../src/detect/dark-gap.js';
import { DEFAULT_CORE_CONFIG } from '../../src/pipeline/core-config.js';
import type { ZoneIndex } from '../../src/zones/zone-index.js';
import { type BoxZone, boxZones } from '../support/box-zones.js';
import { CoreHarness, type FixInput, HOUR, MINUTE, T0 } from '../support/core-harness.js';
import { seededRandom } from '../support/seeded-random.js';

const TARGET = 219_000_001;
const FLEET_BASE = 219_100_000;

/** Coverage of station `a1` (member alpha): every 0.1° cell of this box has a moored vessel. */
const AREA = { south: 55.0, north: 55.6, west: 10.0, east: 10.6 };

interface Window {
  from: number;
  to: number;
}

/**
 * A fleet moored at the centre of every 0.1° cell of `area`, each reporting every 10 minutes
 * through `station` during each window: this is what teaches the model where `station` hears
 * and that it is alive.
 */
function fleet(
  windows: readonly Window[],
  area = AREA,
  station = 'a1',
  member = 'alpha',
  mmsiBase = FLEET_BASE,
): FixInput[] {
  const out: FixInput[] = [];
  let mmsi = mmsiBase;
  for (let lat = area.south + 0.05; lat < area.north; lat += 0.1) {
    for (let lon = area.west + 0.05; lon < area.east; lon += 0.1) {
      mmsi++;
      for (const { from, to } of windows) {
        // Staggered so the fleet does not all report in the same second.
        for (let t = from + (mmsi % 60) * 1000; t <= to; t += 10 * MINUTE) {
          out.push({ mmsi, time: t, lat, lon, sogKnots: 0, cogDegrees: 0, member, station });
        }
      }
    }
  }
  return out;
}

/** A vessel reporting every minute from `from` to `to`, sailing at `sogKnots` on `cogDegrees`. */
function voyage(
  from: number,
  to: number,
  start: { lat: number; lon: number },
  sogKnots: number,
  cogDegrees: number,
  extra: Partial<FixInput> = {},
): FixInput[] {
  const out: FixInput[] = [];
  const degreesPerMs = ((sogKnots * 1852) / 3_600_000 / 111_195) * 1;
  const rad = (cogDegrees * Math.PI) / 180;
  for (let t = from; t <= to; t += MINUTE) {
    const along = degreesPerMs * (t - to); // ends at `start`: the position of the last fix
    const lat = start.lat + along * Math.cos(rad);
    const lon = start.lon + (along * Math.sin(rad)) / Math.cos((start.lat * Math.PI) / 180);
    out.push({
      mmsi: TARGET,
      time: t,
      lat,
      lon,
      sogKnots,
      cogDegrees,
      member: 'alpha',
      station: 'a1',
      ...extra,
    });
  }
  return out;
}

/** Runs the inputs through a harness with the dark-gap detector, in event-time order. */
function run(
  inputs: readonly FixInput[],
  options: { zones?: ZoneIndex; darkGap?: Partial<DarkGapConfig> } = {},
): CoreHarness {
  const darkGap = { ...DEFAULT_CORE_CONFIG.darkGap, ...options.darkGap };
  const h = new CoreHarness(
    [darkGapDetector({ darkGap })],
    options.zones === undefined ? {} : { zones: options.zones },
  );
  for (const input of [...inputs].sort((a, b) => a.time - b.time)) h.fix(input);
  h.finish();
  return h;
}

function gaps(h: CoreHarness): Alert[] {
  return h.alertsOf('dark_gap');
}

/** A port zone: the 0.1° square with its south-west corner at (lon, lat). */
function portAt(lon: number, lat: number, id = 'port-1'): BoxZone {
  return { id, name: 'Harbour', kind: 'port', box: [lon, lat, lon + 0.1, lat + 0.1] };
}

const LAST = T0 + 3 * HOUR; // the target's last report before it goes silent
const SEA = { lat: 55.25, lon: 10.15 };

describe('dark_gap: a vessel in coverage goes silent', () => {
  it('raises one alert when the silence crosses 2 h, starting at the last report', () => {
    const back = LAST + 3 * HOUR;
    const h = run([
      ...fleet([{ from: T0, to: T0 + 8 * HOUR }]),
      ...voyage(T0, LAST, SEA, 5, 90),
      { mmsi: TARGET, time: back, lat: 55.27, lon: 10.5, sogKnots: 5, cogDegrees: 90 },
    ]);
    const alerts = gaps(h);
    expect(alerts).toHaveLength(1);
    const alert = alerts[0]!;
    expect(alert.mmsi).toBe(TARGET);
    expect(alert.start).toBe(LAST);
    expect(alert.rule.name).toBe('dark_gap');
    expect(alert.rule.thresholds.minGapSeconds).toBe(7200);

    // Revision 1: raised at the crossing, at the last known position, still open.
    const raised = h.revisions.filter((r) => r.id === alert.id);
    expect(raised).toHaveLength(2);
    const first = raised[0]!;
    expect(first.revision).toBe(1);
    expect(first.end).toBeUndefined();
    expect(first.lat).toBeCloseTo(SEA.lat, 9);
    expect(first.lon).toBeCloseTo(SEA.lon, 9);
    expect(first.detail.gapSeconds).toBe(7200);
    expect(first.detail.coveringStations).toBe('a1');
    // 5 kn east for 2 h: 10 nm ≈ 18.5 km, about 0.29° of longitude at 55.25° N.
    expect(first.detail.deadReckonedMeters).toBeCloseTo(18_520, -1);
    expect(first.detail.deadReckonedLon as number).toBeCloseTo(10.44, 2);

    // Revision 2: closed where and when it was heard again.
    expect(alert.revision).toBe(2);
    expect(alert.end).toBe(back);
    expect(alert.lat).toBe(55.27);
    expect(alert.lon).toBe(10.5);
    expect(alert.detail.gapSeconds).toBe(6 * 3600 - 3 * 3600);
    expect(alert.detail.lastLat).toBeCloseTo(SEA.lat, 9);
    expect(alert.detail.reappearedWithPosition).toBe(true);
  });

  it('raises on the event-time watermark, before the vessel is heard again', () => {
    const h = new CoreHarness([darkGapDetector(DEFAULT_CORE_CONFIG)]);
    const inputs = [
      ...fleet([{ from: T0, to: T0 + 8 * HOUR }]),
      ...voyage(T0, LAST, SEA, 5, 90),
    ].sort((a, b) => a.time - b.time);
    for (const input of inputs) if (input.time <= LAST + 2 * HOUR - MINUTE) h.fix(input);
    h.advanceTo(LAST + 2 * HOUR - MINUTE);
    expect(gaps(h)).toHaveLength(0);
    for (const input of inputs) if (input.time > LAST + 2 * HOUR - MINUTE) h.fix(input);
    h.advanceTo(LAST + 2 * HOUR);
    expect(gaps(h)).toHaveLength(1);
    expect(gaps(h)[0]!.end).toBeUndefined();
  });

  it('ignores a silence of 1 h 59 min, and alerts on exactly 2 h', () => {
    const scenario = (silence: number) =>
      run([
        ...fleet([{ from: T0, to: T0 + 8 * HOUR }]),
        ...voyage(T0, LAST, SEA, 5, 90),
        ...voyage(LAST + silence, LAST + silence + HOUR, { lat: 55.27, lon: 10.5 }, 5, 90),
      ]);
    expect(gaps(scenario(2 * HOUR - MINUTE))).toHaveLength(0);
    const exactly = gaps(scenario(2 * HOUR));
    expect(exactly).toHaveLength(1);
    expect(exactly[0]!.end).toBe(LAST + 2 * HOUR);
  });

  it('keeps one pending timer per vessel, however often it reports', () => {
    const h = new CoreHarness([darkGapDetector(DEFAULT_CORE_CONFIG)]);
    const core = h.core;
    for (let i = 0; i < 2000; i++) {
      h.fix({ mmsi: TARGET, time: T0 + i * 2000, lat: 55.25, lon: 10.15, station: 'a1' });
      if (i % 100 === 0) h.advanceTo(T0 + i * 2000 - 60_000);
    }
    h.advanceTo(T0 + 4000 * 1000);
    expect(core.pendingTimers).toBe(1);
  });
});

describe('dark_gap: silences explained by coverage are not alerts', () => {
  it('vessel sails out of coverage: its dead-reckoned position is where nobody hears', () => {
    // 12 kn east from the edge of coverage: in 2 h it is 24 nm (0.7°) beyond it.
    const edge = { lat: 55.25, lon: 10.55 };
    const silent = [...voyage(T0, LAST, edge, 12, 90)];
    expect(gaps(run([...fleet([{ from: T0, to: T0 + 10 * HOUR }]), ...silent]))).toHaveLength(0);
    // Control: where station a1 also hears the waters further east, the same silence is dark.
    const wider = { ...AREA, east: 11.5 };
    expect(
      gaps(run([...fleet([{ from: T0, to: T0 + 10 * HOUR }], wider), ...silent])),
    ).toHaveLength(1);
  });

  it('receiver goes down: its station stops hearing everyone as the vessel goes silent', () => {
    const up = fleet([
      { from: T0, to: LAST },
      { from: LAST + 3 * HOUR, to: T0 + 10 * HOUR },
    ]);
    const target = [
      ...voyage(T0, LAST, SEA, 0.2, 0),
      ...voyage(LAST + 3 * HOUR + 5 * MINUTE, T0 + 10 * HOUR, SEA, 0.2, 0),
    ];
    const h = run([...up, ...target]);
    // Neither the target nor the fleet (silent through the outage too) is a dark gap.
    expect(gaps(h)).toHaveLength(0);
    // Control: the receiver stays up.
    expect(gaps(run([...fleet([{ from: T0, to: T0 + 10 * HOUR }]), ...target]))).toHaveLength(1);
  });

  it('receiver comes back and still does not hear the vessel for 2 h: dark from then', () => {
    const back = LAST + 3 * HOUR;
    const h = run([
      ...fleet([
        { from: T0, to: LAST },
        { from: back, to: T0 + 12 * HOUR },
      ]),
      ...voyage(T0, LAST, SEA, 0, 0),
    ]);
    const alerts = gaps(h);
    expect(alerts).toHaveLength(1);
    const alert = alerts[0]!;
    expect(alert.mmsi).toBe(TARGET);
    expect(alert.start).toBe(LAST);
    // Judged every 30 min; the station has vouched for a full 2 h from its first report back.
    const firstBack = Math.min(
      ...fleet([{ from: back, to: back + HOUR }]).map((input) => input.time),
    );
    expect(alert.detail.gapSeconds).toBe((firstBack + 2 * HOUR - LAST) / 1000);
  });

  it('moored in a port zone: no alert', () => {
    const zones = boxZones(portAt(10.1, 55.2));
    const inputs = [
      ...fleet([{ from: T0, to: T0 + 10 * HOUR }]),
      ...voyage(T0, LAST, SEA, 0, 0),
      ...voyage(LAST + 5 * HOUR, T0 + 10 * HOUR, SEA, 0, 0),
    ];
    expect(gaps(run(inputs, { zones }))).toHaveLength(0);
    // Control: the same silence without the port zone.
    expect(gaps(run(inputs))).toHaveLength(1);
  });

  it('sailing into port: the dead-reckoned position in a port zone explains the silence', () => {
    const zones = boxZones(portAt(10.4, 55.2, 'port-2'));
    const inputs = [...fleet([{ from: T0, to: T0 + 10 * HOUR }]), ...voyage(T0, LAST, SEA, 5, 90)];
    expect(gaps(run(inputs, { zones }))).toHaveLength(0);
    expect(gaps(run(inputs))).toHaveLength(1);
  });

  it('leaving port: a last fix inside a port zone explains the silence', () => {
    const zones = boxZones(portAt(10.1, 55.2));
    // Last fix in the port, heading out east at 5 kn: the dead-reckoned position is at sea.
    const inputs = [...fleet([{ from: T0, to: T0 + 10 * HOUR }]), ...voyage(T0, LAST, SEA, 5, 90)];
    expect(gaps(run(inputs, { zones }))).toHaveLength(0);
    expect(gaps(run(inputs))).toHaveLength(1);
  });

  it('aids to navigation, SARTs, SAR aircraft and coast stations are not judged', () => {
    const inputs = [...fleet([{ from: T0, to: T0 + 10 * HOUR }])];
    for (const mmsi of [992_191_234, 970_123_456, 111_219_501, 2_190_001]) {
      inputs.push(...voyage(T0, LAST, SEA, 0, 0, { mmsi }));
    }
    expect(gaps(run(inputs))).toHaveLength(0);
  });
});

describe('dark_gap: closing and settings', () => {
  it('closes at a report without a position, keeping the last known position', () => {
    const h = new CoreHarness([darkGapDetector(DEFAULT_CORE_CONFIG)]);
    const inputs = [...fleet([{ from: T0, to: T0 + 8 * HOUR }]), ...voyage(T0, LAST, SEA, 5, 90)];
    for (const input of inputs.sort((a, b) => a.time - b.time)) h.fix(input);
    h.staticData(TARGET, LAST + 2 * HOUR + 30 * MINUTE, { shipName: 'QUIET' }, 'bravo');
    h.finish();
    const alerts = gaps(h);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.end).toBe(LAST + 2 * HOUR + 30 * MINUTE);
    expect(alerts[0]!.lat).toBeCloseTo(SEA.lat, 9);
    expect(alerts[0]!.sources).toEqual(['alpha', 'bravo']);
    expect(alerts[0]!.detail.reappearedWithPosition).toBe(false);
    expect(alerts[0]!.detail.reappearanceFixSeconds).toBeUndefined();
  });

  it("revises a gap closed without a position with the vessel's next fix (within minGapSeconds)", () => {
    const closedAt = LAST + 2 * HOUR + 30 * MINUTE;
    const reappearance = { lat: SEA.lat + 0.05, lon: SEA.lon + 0.1 };
    const withFix = (fixAt: number): CoreHarness => {
      const h = new CoreHarness([darkGapDetector(DEFAULT_CORE_CONFIG)]);
      const inputs = [
        ...fleet([{ from: T0, to: T0 + 12 * HOUR }]),
        ...voyage(T0, LAST, SEA, 5, 90),
      ];
      // The core orders what it is given by event time: the order of these calls does not matter.
      for (const input of inputs) h.fix(input);
      h.staticData(TARGET, closedAt, { shipName: 'QUIET' }, 'bravo');
      h.fix({ mmsi: TARGET, time: fixAt, ...reappearance, sogKnots: 5, cogDegrees: 90 });
      h.finish();
      return h;
    };

    const soon = withFix(closedAt + 10 * MINUTE);
    const [gap] = gaps(soon);
    expect(gap!.end).toBe(closedAt);
    expect(gap!.lat).toBeCloseTo(reappearance.lat, 9);
    expect(gap!.lon).toBeCloseTo(reappearance.lon, 9);
    expect(gap!.detail.reappearedWithPosition).toBe(false);
    expect(gap!.detail.reappearanceFixSeconds).toBe(600);
    expect(gap!.detail.reappearanceFromDeadReckoningMeters).toBeGreaterThan(0);
    // Raised, closed, placed: three revisions, and no more for later fixes.
    expect(soon.revisions.filter((r) => r.id === gap!.id).map((r) => r.revision)).toEqual([
      1, 2, 3,
    ]);

    const late = withFix(closedAt + 3 * HOUR);
    const [lateGap] = gaps(late).sort((a, b) => a.start - b.start);
    expect(lateGap!.end).toBe(closedAt);
    expect(lateGap!.lat).toBeCloseTo(SEA.lat, 9);
    expect(lateGap!.detail.reappearanceFixSeconds).toBeUndefined();
  });

  it('raises again for a second silence, with its own id', () => {
    const h = run([
      ...fleet([{ from: T0, to: T0 + 12 * HOUR }]),
      ...voyage(T0, LAST, SEA, 0, 0),
      ...voyage(LAST + 3 * HOUR, LAST + 4 * HOUR, SEA, 0, 0),
    ]);
    const alerts = gaps(h).sort((a, b) => a.start - b.start);
    expect(alerts.map((a) => a.start)).toEqual([LAST, LAST + 4 * HOUR]);
    expect(alerts[0]!.end).toBe(LAST + 3 * HOUR);
    expect(alerts[1]!.end).toBeUndefined();
    expect(alerts[0]!.id).not.toBe(alerts[1]!.id);
  });

  it('follows the configured threshold and refuses nonsense settings', () => {
    const inputs = [
      ...fleet([{ from: T0, to: T0 + 8 * HOUR }]),
      ...voyage(T0, LAST, SEA, 5, 90),
      ...voyage(LAST + 90 * MINUTE, T0 + 8 * HOUR, { lat: 55.27, lon: 10.3 }, 0, 0),
    ];
    expect(gaps(run(inputs))).toHaveLength(0);
    const short = gaps(run(inputs, { darkGap: { minGapSeconds: 3600 } }));
    expect(short).toHaveLength(1);
    expect(short[0]!.rule.thresholds.minGapSeconds).toBe(3600);
    const bad = (darkGap: Partial<DarkGapConfig>) => () =>
      darkGapDetector({ darkGap: { ...DEFAULT_CORE_CONFIG.darkGap, ...darkGap } });
    expect(bad({ minGapSeconds: 0 })).toThrow(/minGapSeconds value: 0/);
    expect(bad({ maxDeadReckonSeconds: 600 })).toThrow(/maxDeadReckonSeconds value: 600/);
  });
});

describe('dark_gap: evidence', () => {
  it('lists the members that heard the last fix and the one that heard it reappear', () => {
    const before = voyage(T0, LAST, SEA, 5, 90);
    const inputs: FixInput[] = [...fleet([{ from: T0, to: T0 + 10 * HOUR }])];
    let hash = 1;
    for (const fix of before) {
      // Every report heard by alpha's a1 and, two seconds later, by bravo's b1.
      inputs.push({ ...fix, payloadHash: hash });
      inputs.push({
        ...fix,
        time: fix.time + 2000,
        member: 'bravo',
        station: 'b1',
        payloadHash: hash,
      });
      hash++;
    }
    const back = LAST + 4 * HOUR;
    inputs.push({
      mmsi: TARGET,
      time: back,
      lat: 55.3,
      lon: 10.55,
      sogKnots: 5,
      cogDegrees: 90,
      member: 'charlie',
      station: 'c1',
    });
    const h = run(inputs);
    const alerts = gaps(h);
    expect(alerts).toHaveLength(1);
    const alert = alerts[0]!;
    const raised = h.revisions.find((r) => r.id === alert.id && r.revision === 1)!;
    expect(raised.sources).toEqual(['alpha', 'bravo']);
    expect(alert.sources).toEqual(['alpha', 'bravo', 'charlie']);
    expect(alert.end).toBe(back);
    // b1 heard only the target: it fell silent with it, so only a1 vouches.
    expect(alert.detail.coveringStations).toBe('a1');
  });

  it('names every station judged covering', () => {
    const inputs = [
      ...fleet([{ from: T0, to: T0 + 10 * HOUR }]),
      ...fleet([{ from: T0, to: T0 + 10 * HOUR }], AREA, 'b7', 'bravo', FLEET_BASE + 1000),
      ...voyage(T0, LAST, SEA, 5, 90),
    ];
    const alerts = gaps(run(inputs));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.detail.coveringStations).toBe('a1,b7');
    expect(alerts[0]!.sources).toEqual(['alpha']);
  });
});

describe('dark_gap: determinism', () => {
  it('gives identical alerts whatever the arrival order within the lateness', () => {
    const inputs: FixInput[] = [
      // Station a1 is down from 5 h to 7 h.
      ...fleet([
        { from: T0, to: T0 + 5 * HOUR },
        { from: T0 + 7 * HOUR, to: T0 + 14 * HOUR },
      ]),
      ...fleet(
        [{ from: T0, to: T0 + 14 * HOUR }],
        { ...AREA, west: 10.3 },
        'b1',
        'bravo',
        219_200_000,
      ),
      ...voyage(T0, LAST, SEA, 5, 90),
      ...voyage(LAST + 4 * HOUR, T0 + 9 * HOUR, { lat: 55.4, lon: 10.4 }, 3, 45),
      ...voyage(T0, T0 + 2 * HOUR, { lat: 55.15, lon: 10.35 }, 0, 0, { mmsi: TARGET + 1 }),
      ...voyage(T0 + 8 * HOUR, T0 + 9 * HOUR, { lat: 55.15, lon: 10.35 }, 0, 0, {
        mmsi: TARGET + 1,
        member: 'bravo',
        station: 'b1',
      }),
    ];
    // Every input gets a fixed identity; the two targets are heard twice (by bravo's b2 too),
    // so duplicates arrive in either order. Expected: both targets' gaps, and those of the a1
    // fleet vessels that b1 also hears (lon ≥ 10.3) through a1's 2-hour outage — not the others.
    const withDuplicates: FixInput[] = [];
    inputs.forEach((input, i) => {
      withDuplicates.push({ ...input, payloadHash: i + 1 });
      if (input.mmsi < FLEET_BASE) {
        withDuplicates.push({
          ...input,
          payloadHash: i + 1,
          time: input.time + 1500,
          member: 'bravo',
          station: 'b2',
        });
      }
    });

    const lateness = 120_000;
    const replay = (delayMs: (i: number) => number) => {
      const h = new CoreHarness([darkGapDetector(DEFAULT_CORE_CONFIG)]);
      const arrivals = withDuplicates
        .map((input, i) => ({ input, arrival: input.time + delayMs(i) }))
        .sort((a, b) => a.arrival - b.arrival);
      for (const { input, arrival } of arrivals) {
        h.fix(input);
        h.core.advance(arrival - lateness);
      }
      h.finish();
      expect(h.core.stats.late).toBe(0);
      return h.revisions;
    };
    const inOrder = replay(() => 0);
    const random = seededRandom(7);
    const shuffled = replay(() => Math.floor(random() * 90_000));
    expect(inOrder.length).toBeGreaterThanOrEqual(4);
    expect(shuffled).toEqual(inOrder);
  });
});

/** Runs with the dark-gap detector and returns it too (its counters). */
function runWithDetector(inputs: readonly FixInput[]): {
  h: CoreHarness;
  detector: DarkGapDetector;
} {
  const factory = darkGapDetector(DEFAULT_CORE_CONFIG);
  let detector: DarkGapDetector | undefined;
  const h = new CoreHarness([
    (slot, context) => {
      detector = factory(slot, context) as DarkGapDetector;
      return detector;
    },
  ]);
  for (const input of [...inputs].sort((a, b) => a.time - b.time)) h.fix(input);
  h.finish();
  return { h, detector: detector! };
}

/**
 * Vessels sailing north and south across `area` at 6 kn through `station`, one per 0.1° column,
 * reporting every minute; of each `every` reports only the first two are heard (1: all): the
 * cells of an edge a receiver hears now and then.
 */
function patrols(area: typeof AREA, every: number, mmsiBase: number): FixInput[] {
  const out: FixInput[] = [];
  let mmsi = mmsiBase;
  const degreesPerMinute = (6 * 1852) / 60 / 111_195;
  for (let lon = area.west + 0.05; lon < area.east; lon += 0.1) {
    mmsi++;
    let lat = area.south + 0.02;
    let north = true;
    for (let i = 0, t = T0; t <= T0 + 10 * HOUR; i++, t += MINUTE) {
      lat += north ? degreesPerMinute : -degreesPerMinute;
      if (north && lat > area.north - 0.02) north = false;
      else if (!north && lat < area.south + 0.02) north = true;
      if (every > 1 && i % every >= 2) continue;
      out.push({
        mmsi,
        time: t,
        lat,
        lon,
        sogKnots: 6,
        cogDegrees: north ? 0 : 180,
        station: 'a1',
      });
    }
  }
  return out;
}

describe('dark_gap: coverage as a probability along the way (issue 14)', () => {
  const EDGE = { south: 55.0, north: 55.6, west: 10.6, east: 11.0 };

  it('an edge heard now and then is not coverage: sailing into it is no dark gap', () => {
    // From the eastern edge of the solid area, east at 5 kn: 2 h later it is 0.29° into EDGE.
    const start = { lat: 55.25, lon: 10.55 };
    const target = voyage(T0, LAST, start, 5, 90);
    const solid = fleet([{ from: T0, to: T0 + 10 * HOUR }]);
    // Edge cells where a1 hears 2 reports in 5: reception probability ~0.4.
    expect(gaps(run([...solid, ...patrols(EDGE, 5, 219_200_000), ...target]))).toHaveLength(0);
    // Control: the same cells heard at every report are coverage, and the silence is dark.
    const heard = gaps(run([...solid, ...patrols(EDGE, 1, 219_200_000), ...target]));
    expect(heard).toHaveLength(1);
    expect(heard[0]!.detail.corridorCoveredShare).toBeGreaterThanOrEqual(0.5);
  });

  it('does not judge a silence that begins before the model has learned an hour (cold start)', () => {
    const early = T0 + 30 * MINUTE;
    const solid = fleet([{ from: T0, to: T0 + 10 * HOUR }]);
    const cold = runWithDetector([...solid, ...voyage(T0, early, SEA, 5, 90)]);
    expect(gaps(cold.h)).toHaveLength(0);
    // Control: the same silence later (the fleet's cells known) is raised; the cold one was
    // counted as coverage unknown.
    const warm = runWithDetector([...solid, ...voyage(T0, LAST, SEA, 5, 90)]);
    expect(gaps(warm.h)).toHaveLength(1);
    expect(cold.detector.coverageUnknownSilences).toBe(warm.detector.coverageUnknownSilences + 1);
  });

  it('sea no vessel has crossed is unknown, not covered: the silence is counted, not raised', () => {
    const start = { lat: 55.25, lon: 10.55 };
    const { h, detector } = runWithDetector([
      ...fleet([{ from: T0, to: T0 + 10 * HOUR }]),
      ...voyage(T0, LAST, start, 5, 90),
    ]);
    expect(gaps(h)).toHaveLength(0);
    expect(detector.coverageUnknownSilences).toBe(1);
    // What the worker exports as tidewatch_detector_events_total.
    const counts = new Map<string, number>();
    h.core.addDetectorCounts(counts);
    expect(counts).toEqual(
      new Map([
        ['dark_gap coverage_unknown', 1],
        ['dark_gap withdrawn', 0],
      ]),
    );
  });

  it('carries the coverage evidence that raised it', () => {
    const alert = gaps(
      run([...fleet([{ from: T0, to: T0 + 10 * HOUR }]), ...voyage(T0, LAST, SEA, 5, 90)]),
    )[0]!;
    const d = alert.detail;
    expect(alert.rule.version).toBe(2);
    expect(d.corridorCells).toBeGreaterThanOrEqual(3);
    expect(d.corridorCoveredShare).toBe(1);
    expect(d.corridorUnknownShare).toBe(0);
    // Reporting every minute for 2 h: 120 reports due, all heard in those cells before.
    expect(d.corridorDueReports).toBe(120);
    expect(d.corridorExpectedReports).toBe(120);
    expect(d.reportIntervalSeconds).toBe(60);
    expect(d.coveringStations).toBe('a1');
  });

  it('withdraws a gap when the vessel reappears across a way nobody could hear', () => {
    // Solid coverage west (AREA) and east (FAR), unknown sea between 10.6° and 11.4° E.
    const FAR = { south: 55.0, north: 55.6, west: 11.4, east: 11.8 };
    const coverage = [
      ...fleet([{ from: T0, to: T0 + 12 * HOUR }]),
      ...fleet([{ from: T0, to: T0 + 12 * HOUR }], FAR, 'a1', 'alpha', 219_300_000),
    ];
    const target = voyage(T0, LAST, SEA, 5, 90);
    const back = LAST + 5 * HOUR;
    const across = run([
      ...coverage,
      ...target,
      { mmsi: TARGET, time: back, lat: 55.25, lon: 11.6, sogKnots: 5, cogDegrees: 90 },
    ]);
    // (The vessel falls silent again after its one fix: that later silence is another gap.)
    const withdrawn = gaps(across).filter((a) => a.start === LAST);
    expect(withdrawn).toHaveLength(1);
    const alert = withdrawn[0]!;
    expect(alertStatus(alert)).toBe('withdrawn');
    expect(alert.withdrawnReason).toBe('path_not_covered');
    expect(alert.end).toBe(back);
    expect(alert.detail.pathCoveredShare as number).toBeLessThan(0.5);
    expect(alertToJson(alert)).toMatchObject({
      status: 'withdrawn',
      withdrawnReason: 'path_not_covered',
    });
    // The first revision was open; the last one withdraws it.
    const revisions = across.revisions.filter((r) => r.id === alert.id);
    expect(revisions.map((r) => alertStatus(r))).toEqual(['open', 'withdrawn']);
    // Control: heard again inside the coverage it sailed through, the gap is closed.
    const within = gaps(
      run([
        ...coverage,
        ...target,
        { mmsi: TARGET, time: back, lat: 55.27, lon: 10.5, sogKnots: 5, cogDegrees: 90 },
      ]),
    ).filter((a) => a.start === LAST);
    expect(within.map((a) => alertStatus(a))).toEqual(['closed']);
    expect(within[0]!.detail.pathCoveredShare).toBe(1);
  });
});
