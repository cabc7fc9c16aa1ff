import { describe, expect, it } from 'vitest';
import { invalidIdentityDetector } from '../../src/detect/invalid-identity.js';
import { MID_TABLE, midCountry, mmsiIdentity } from '../../src/detect/mid-table.js';
import { destination } from '../../src/geo/geodesy.js';
import { DEFAULT_CORE_CONFIG } from '../../src/pipeline/core-config.js';
import { CoreHarness, MINUTE, T0 } from '../support/core-harness.js';

/** A point `meters` north-east of 60°N 5°E. */
function away(meters: number): { lat: number; lon: number } {
  return destination(60, 5, 45, meters, { lat: 0, lon: 0 });
}

describe('MID table and MMSI formats (ITU-R M.585)', () => {
  it('knows allocated MIDs and only those', () => {
    expect(midCountry(257)).toBe('Norway');
    expect(midCountry(503)).toBe('Australia');
    expect(midCountry(366)).toBe('United States');
    expect(midCountry(219)).toBe('Denmark');
    for (const unallocated of [200, 217, 221, 280, 300, 400, 999, -1, 2.5]) {
      expect(midCountry(unallocated)).toBeUndefined();
    }
    const mids = MID_TABLE.map(([mid]) => mid);
    expect(new Set(mids).size).toBe(mids.length);
    expect(Math.min(...mids)).toBe(201);
    expect(Math.max(...mids)).toBe(775);
  });

  it('reads the format and MID of each kind of station', () => {
    const cases: [number, string, number | undefined][] = [
      [257012345, 'ship', 257],
      [503123456, 'ship', 503],
      [366123456, 'ship', 366],
      [25701234, 'group', 257], // 025701234
      [2570123, 'coast', 257], // 002570123
      [111257123, 'sar_aircraft', 257],
      [970123456, 'sart', undefined],
      [972123456, 'mob', undefined],
      [974123456, 'epirb', undefined],
      [982571234, 'craft', 257],
      [992351234, 'aton', 235],
      [825712345, 'handheld', 257],
      [100000000, 'malformed', undefined],
      [912345678, 'malformed', undefined],
      [975123456, 'malformed', undefined],
      [0, 'malformed', undefined],
      [1_073_741_823, 'malformed', undefined], // the largest 30-bit value: ten digits
    ];
    for (const [mmsi, format, mid] of cases) {
      expect(mmsiIdentity(mmsi), String(mmsi)).toMatchObject({ format, mid });
    }
    expect(mmsiIdentity(999123456)).toEqual({ format: 'aton', mid: 912, country: undefined });
    expect(mmsiIdentity(257012345).country).toBe('Norway');
  });
});

describe('invalid_identity', () => {
  function run(mmsi: number, reports = 5, type = 1) {
    const h = new CoreHarness([invalidIdentityDetector()]);
    for (let i = 0; i < reports; i++) {
      h.fix({ mmsi, time: T0 + i * MINUTE, lat: 60, lon: 5, type });
    }
    h.finish();
    return h.alertsOf('invalid_identity');
  }

  it('accepts ship MMSIs with allocated MIDs and the other stations M.585 defines', () => {
    for (const mmsi of [
      257012345, 503123456, 366123456, 219000001, 982571234, 970123456, 825712345,
    ]) {
      expect(run(mmsi), String(mmsi)).toEqual([]);
    }
    expect(run(111257123, 5, 9)).toEqual([]); // a SAR aircraft's type 9
  });

  it('flags each invalid MMSI once, not once per report', () => {
    const cases: [number, string, Record<string, unknown>][] = [
      [100000000, 'malformed', { format: 'malformed', mmsiDigits: '100000000' }],
      [999123456, 'unallocated_mid', { format: 'aton', mid: 912 }],
      [217123456, 'unallocated_mid', { format: 'ship', mid: 217 }],
      [12345678, 'unallocated_mid', { format: 'group', mid: 123, mmsiDigits: '012345678' }],
      [25701234, 'not_a_vessel', { format: 'group', mid: 257, country: 'Norway' }],
      [2570123, 'not_a_vessel', { format: 'coast', mid: 257, mmsiDigits: '002570123' }],
    ];
    for (const [mmsi, reason, detail] of cases) {
      const alerts = run(mmsi, 50);
      expect(alerts, String(mmsi)).toHaveLength(1);
      expect(alerts[0], String(mmsi)).toMatchObject({
        kind: 'invalid_identity',
        mmsi,
        start: T0,
        end: T0,
        lat: 60,
        lon: 5,
        sources: ['alpha'],
        revision: 1,
        rule: {
          name: 'invalid_identity',
          version: 1,
          thresholds: { atonMinMoveMeters: 1000, atonConfirmReports: 2 },
        },
        detail: { reason, reportType: 1, ...detail },
      });
    }
  });

  it("does not flag a coast station's own messages, only vessel reports under its identity", () => {
    const h = new CoreHarness([invalidIdentityDetector()]);
    h.staticData(2570123, T0, { type: 8 });
    h.fix({ mmsi: 2570123, time: T0 + MINUTE, lat: 60, lon: 5, type: 4 }); // dropped by the core
    h.advanceTo(T0 + MINUTE);
    expect(h.alertsOf('invalid_identity')).toEqual([]);
    h.fix({ mmsi: 2570123, time: T0 + 2 * MINUTE, lat: 60.1, lon: 5.1, type: 18 });
    h.finish();
    expect(h.alertsOf('invalid_identity').map((a) => [a.detail.reason, a.start])).toEqual([
      ['not_a_vessel', T0 + 2 * MINUTE],
    ]);
  });

  it('waits for a position: a static report first, the alert at the first fix', () => {
    const h = new CoreHarness([invalidIdentityDetector()]);
    h.staticData(100000000, T0, { shipName: 'GHOST' });
    h.advanceTo(T0);
    expect(h.alertsOf('invalid_identity')).toEqual([]);
    h.fix({ mmsi: 100000000, time: T0 + MINUTE, lat: 60.2, lon: 5.2, member: 'bravo' });
    h.finish();
    const alerts = h.alertsOf('invalid_identity');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      start: T0 + MINUTE,
      lat: 60.2,
      lon: 5.2,
      sources: ['bravo'],
    });
    expect(alerts[0]!.detail.reportType).toBe(1);
  });

  it('flags an aid to navigation that moves (type 21), once', () => {
    const h = new CoreHarness([invalidIdentityDetector()]);
    // Adrift: 400 m per report, 6 km in all.
    for (let i = 0; i < 15; i++)
      h.fix({ mmsi: 992351234, time: T0 + i * 3 * MINUTE, ...away(i * 400), type: 21 });
    h.finish();
    const alerts = h.alertsOf('invalid_identity');
    expect(alerts).toHaveLength(1);
    // 1200 m at i = 3 is the first beyond 1000 m; confirmed by i = 4 (1600 m). It has been
    // moving since its first position: start = that time, end = the confirmation.
    expect(alerts[0]).toMatchObject({
      mmsi: 992351234,
      start: T0,
      end: T0 + 12 * MINUTE,
    });
    expect(alerts[0]!.detail).toMatchObject({
      reason: 'moving_aton',
      format: 'aton',
      mid: 235,
      country: 'United Kingdom',
      reportType: 21,
      anchorAt: new Date(T0).toISOString(),
      movedMeters: 1600,
    });
    expect(alerts[0]!.detail.anchorLat).toBeCloseTo(60, 9);
    expect(alerts[0]!.detail.anchorLon).toBeCloseTo(5, 9);
    expect(alerts[0]!.lat).toBeCloseTo(away(1600).lat, 9);
  });

  it('does not flag a fixed aid to navigation: jitter on its station, or isolated glitches', () => {
    const h = new CoreHarness([invalidIdentityDetector()]);
    for (let i = 0; i < 40; i++) {
      // Within 80 m of its station, but for two single fixes 5 km off, an hour apart.
      const p = i === 10 || i === 30 ? away(5000) : away((i * 37) % 80);
      h.fix({ mmsi: 992351235, time: T0 + i * 3 * MINUTE, ...p, type: 21 });
    }
    h.finish();
    expect(h.alertsOf('invalid_identity')).toEqual([]);
  });

  it('flags a 99MID MMSI sending moving position reports, and a type 21 that moves under a ship MMSI', () => {
    const moving = (mmsi: number, type: number) => {
      const h = new CoreHarness([invalidIdentityDetector()]);
      for (let i = 0; i < 10; i++) h.fix({ mmsi, time: T0 + i * MINUTE, ...away(i * 500), type });
      h.finish();
      return h.alertsOf('invalid_identity').map((a) => a.detail.reason);
    };
    expect(moving(992351234, 1)).toEqual(['moving_aton']);
    expect(moving(257012345, 21)).toEqual(['moving_aton']);
    expect(moving(257012345, 1)).toEqual([]); // a ship moving is a ship
  });

  it('raises both reasons for an AtoN identity with an unallocated MID that moves', () => {
    const h = new CoreHarness([invalidIdentityDetector()]);
    for (let i = 0; i < 10; i++)
      h.fix({ mmsi: 999123456, time: T0 + i * MINUTE, ...away(i * 800), type: 21 });
    h.finish();
    const alerts = h.alertsOf('invalid_identity');
    expect(alerts.map((a) => [a.detail.reason, a.start, a.end])).toEqual([
      ['unallocated_mid', T0, T0],
      ['moving_aton', T0, T0 + 3 * MINUTE],
    ]);
    // Same kind, vessel and start: the reason keeps the ids apart.
    expect(new Set(alerts.map((a) => a.id)).size).toBe(2);
  });

  it('uses the configured AtoN movement threshold', () => {
    const config = { ...DEFAULT_CORE_CONFIG, invalidIdentity: { atonMinMoveMeters: 10_000 } };
    const h = new CoreHarness([invalidIdentityDetector(config)], { config });
    for (let i = 0; i < 15; i++)
      h.fix({ mmsi: 992351234, time: T0 + i * 3 * MINUTE, ...away(i * 400), type: 21 });
    h.finish();
    expect(h.alertsOf('invalid_identity')).toEqual([]);
  });
});
