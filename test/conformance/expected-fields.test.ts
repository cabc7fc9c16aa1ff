import { describe, expect, it } from 'vitest';
import { type ExpectedMessage, expectedMessage, rotDegPerMin } from './expected-fields.js';
import { type FieldExpectation, trimAisText } from './field-expectation.js';
import type { OurKey } from './our-keys.js';
import { GPSD_322_STYLE, parseStyle } from './reference-style.js';

const GPSD_UNSCALED = parseStyle(
  'gpsd-json (scaled=false: raw integer units, lat/lon in 1/10000 min, speed in 0.1 kn)',
);
const GPSD_SCALED = parseStyle('gpsd-json scaled (degrees, knots)');
const LIBAIS_JSON = parseStyle('libais gpsd-compatible json (float32 artefacts)');
const LIBAIS_NATIVE = parseStyle('libais native dict (x=lon,y=lat, sog/cog float32)');
const PYAIS = parseStyle('pyais asdict (lat/lon degrees; enums as ints)');

function field(message: ExpectedMessage, key: OurKey): FieldExpectation {
  const found = message.fields.find((f) => f.key === key);
  if (found === undefined) throw new Error(`no expectation for ${key}`);
  return found;
}

function numberRule(message: ExpectedMessage, key: OurKey): { value: number; tolerance: number } {
  const rule = field(message, key).rule;
  if (rule.kind !== 'number') throw new Error(`${key}: ${rule.kind} rule`);
  return rule;
}

describe('parseStyle', () => {
  it('recognises every style of the combined vectors', () => {
    expect(GPSD_UNSCALED.kind).toBe('gpsd-unscaled');
    expect(GPSD_SCALED.kind).toBe('gpsd-scaled');
    expect(LIBAIS_JSON.kind).toBe('libais-gpsd-json');
    expect(LIBAIS_NATIVE.kind).toBe('libais-native');
    expect(PYAIS).toEqual({ kind: 'pyais', rounded: {} });
  });

  it('reads the rounding a pyais test applied', () => {
    const style = parseStyle(
      'pyais asdict (lat/lon degrees; enums as ints) ; rounded: {"lat": 4, "lon": 4, "course": 1}',
    );
    expect(style.rounded).toEqual({ lat: 4, lon: 4, course: 1 });
  });

  it('names an unknown style', () => {
    expect(() => parseStyle('aisstream json')).toThrow('Unknown vector style: "aisstream json".');
  });
});

describe('expectedMessage: gpsd unscaled (raw integers)', () => {
  // gpsd/daemon/ais-nmea-type6-fid55.log.chk, !AIVDM,1,1,,A,3819A5iu@00Oku:HqMljb9NJ0>`<,0*19
  const type3 = expectedMessage(
    {
      class: 'AIS',
      type: 3,
      repeat: 0,
      mmsi: 538071319,
      scaled: false,
      status: 1,
      status_text: 'At anchor',
      turn: -11,
      speed: 0,
      accuracy: false,
      lon: 4169637,
      lat: 26107347,
      course: 680,
      heading: 303,
      second: 13,
      maneuver: 0,
      raim: false,
      radio: 59916,
    },
    GPSD_UNSCALED,
  );

  it('converts 1/10 000 minute, 0.1 kn, 0.1° and ROT_AIS', () => {
    expect(type3.type).toBe(3);
    expect(type3.mmsi).toBe(538071319);
    expect(numberRule(type3, 'lon').value).toBeCloseTo(4169637 / 600_000, 12);
    expect(numberRule(type3, 'lat').value).toBeCloseTo(26107347 / 600_000, 12);
    expect(numberRule(type3, 'sog').value).toBe(0);
    expect(numberRule(type3, 'cog').value).toBe(68);
    expect(numberRule(type3, 'rot').value).toBeCloseTo(-((11 / 4.733) ** 2), 9);
    expect(numberRule(type3, 'heading').value).toBe(303);
    expect(numberRule(type3, 'second').value).toBe(13);
    expect(numberRule(type3, 'navStatus').value).toBe(1);
    expect(field(type3, 'accuracy').rule).toEqual({ kind: 'boolean', value: false });
    expect(type3.unmapped).toEqual(
      expect.arrayContaining(['class', 'repeat', 'scaled', 'status_text', 'maneuver', 'raim']),
    );
  });

  it('turns every "not available" sentinel into an absent rule', () => {
    const na = expectedMessage(
      {
        type: 1,
        mmsi: 1,
        turn: -128,
        speed: 1023,
        lon: 108_600_000,
        lat: 54_600_000,
        course: 3600,
        heading: 511,
        second: 60,
      },
      GPSD_UNSCALED,
    );
    for (const key of ['rot', 'sog', 'lon', 'lat', 'cog', 'heading', 'second'] as const) {
      expect(field(na, key).rule, key).toEqual({ kind: 'absent' });
    }
  });

  it('reads ±127 as turning fast, ±720 deg/min', () => {
    const left = expectedMessage({ type: 1, mmsi: 1, turn: -127 }, GPSD_UNSCALED);
    expect(numberRule(left, 'rot').value).toBe(-720);
  });

  it('lets the valid coordinate go when the other one is not available (a position is a pair)', () => {
    const m = expectedMessage(
      { type: 1, mmsi: 1, lon: 108_600_000, lat: 1_000_000 },
      GPSD_UNSCALED,
    );
    expect(field(m, 'lat').absentOk).toBe(true);
  });

  it('uses 1/10 minute and whole knots/degrees for type 27', () => {
    const m = expectedMessage(
      { type: 27, mmsi: 230108610, status: 0, lon: 14978, lat: 36098, speed: 1, course: 30 },
      GPSD_UNSCALED,
    );
    expect(numberRule(m, 'lon').value).toBeCloseTo(14978 / 600, 12);
    expect(numberRule(m, 'lat').value).toBeCloseTo(36098 / 600, 12);
    expect(numberRule(m, 'sog').value).toBe(1);
    expect(numberRule(m, 'cog').value).toBe(30);
    const na = expectedMessage(
      { type: 27, mmsi: 1, lon: 108_600, lat: 54_600, speed: 63, course: 511 },
      GPSD_UNSCALED,
    );
    for (const key of ['lon', 'lat', 'sog', 'cog'] as const) {
      expect(field(na, key).rule, key).toEqual({ kind: 'absent' });
    }
  });

  it('uses whole knots for type 9 and 0.1 m for draught', () => {
    const sar = expectedMessage(
      { type: 9, mmsi: 1, speed: 42, course: 1545, alt: 4095 },
      GPSD_UNSCALED,
    );
    expect(numberRule(sar, 'sog').value).toBe(42);
    expect(numberRule(sar, 'cog').value).toBe(154.5);
    expect(field(sar, 'altitude').rule).toEqual({ kind: 'absent' });
    const ship = expectedMessage({ type: 5, mmsi: 1, draught: 122 }, GPSD_UNSCALED);
    expect(numberRule(ship, 'draught').value).toBeCloseTo(12.2, 12);
  });

  it('accepts an absent value where ITU says 0 or empty text means "not available"', () => {
    const m = expectedMessage(
      {
        type: 5,
        mmsi: 1,
        imo: 0,
        callsign: '',
        shipname: 'PRINSES CHRISTINA',
        shiptype: 0,
        to_bow: 44,
        to_stern: 0,
        eta: '00-00T24:60Z',
        draught: 0,
        destination: 'JOBSHAVEN ROTTEDAM',
      },
      GPSD_UNSCALED,
    );
    for (const key of ['imo', 'callSign', 'shipType', 'toStern', 'eta', 'draught'] as const) {
      expect(field(m, key).absentOk, key).toBe(true);
    }
    expect(field(m, 'toBow').absentOk).toBe(false);
    expect(field(m, 'shipName').rule).toEqual({
      kind: 'text',
      value: 'PRINSES CHRISTINA',
      libaisCharset: false,
    });
  });

  it('marks gpsd type 24 as part B merged with the part A name', () => {
    const m = expectedMessage(
      { type: 24, mmsi: 265650060, shipname: 'MANI', shiptype: 36, callsign: 'SD8002', to_bow: 8 },
      GPSD_UNSCALED,
    );
    expect(m.mergesType24).toBe(true);
    expect(m.partNo).toBeUndefined();
    expect(field(m, 'shipName').rule).toMatchObject({ value: 'MANI' });
  });
});

describe('expectedMessage: gpsd 3.22 scaled (the stored gpsdecode -j output)', () => {
  it('reads turn legends, with the sign lost on numbers', () => {
    const turn = (value: unknown): FieldExpectation =>
      field(expectedMessage({ type: 1, mmsi: 1, turn: value }, GPSD_322_STYLE), 'rot');
    expect(turn('nan').rule).toEqual({ kind: 'absent' });
    expect(turn('fastleft').rule).toMatchObject({ value: -720 });
    expect(turn('fastright').rule).toMatchObject({ value: 720 });
    expect(turn(5).rule).toMatchObject({ value: 5, magnitudeOnly: true, tolerance: 0.5 + 1e-9 });
  });

  it('reads speed "fast" as 102.2 kn and "nan" as not available', () => {
    const fast = expectedMessage({ type: 1, mmsi: 1, speed: 'fast' }, GPSD_322_STYLE);
    expect(numberRule(fast, 'sog').value).toBe(102.2);
    const nan = expectedMessage({ type: 1, mmsi: 1, speed: 'nan' }, GPSD_322_STYLE);
    expect(field(nan, 'sog').rule).toEqual({ kind: 'absent' });
  });

  it('allows 6 decimals for lat/lon and 1 for speed and course', () => {
    const m = expectedMessage(
      { type: 1, mmsi: 1, lon: -117.22773, lat: 32.717545, speed: 8.2, course: 91.5 },
      GPSD_322_STYLE,
    );
    expect(numberRule(m, 'lat').tolerance).toBeCloseTo(5e-7, 8);
    expect(numberRule(m, 'sog').tolerance).toBeCloseTo(0.05, 8);
    expect(numberRule(m, 'cog').tolerance).toBeCloseTo(0.05, 8);
  });

  it('reads type 27 status text and its 0.1° rounded position', () => {
    const m = expectedMessage(
      { type: 27, mmsi: 1, status: 'Reserved', lon: 4.9, lat: 52.4, speed: 0, course: 511 },
      GPSD_322_STYLE,
    );
    expect(field(m, 'navStatus').rule).toEqual({ kind: 'oneOf', values: [11, 12, 13, 14] });
    expect(numberRule(m, 'lat').tolerance).toBeCloseTo(0.05, 8);
    expect(field(m, 'cog').rule).toEqual({ kind: 'absent' });
  });

  it("reads type 4's second from its timestamp", () => {
    const m = expectedMessage(
      { type: 4, mmsi: 1, timestamp: '2017-10-30T21:43:41Z' },
      GPSD_322_STYLE,
    );
    expect(numberRule(m, 'second').value).toBe(41);
    const na = expectedMessage(
      { type: 4, mmsi: 1, timestamp: '0000-00-00T24:60:60Z' },
      GPSD_322_STYLE,
    );
    expect(field(na, 'second').rule).toEqual({ kind: 'absent' });
  });

  it('lets invalid ETA parts go', () => {
    const m = expectedMessage({ type: 5, mmsi: 1, eta: '15-31T31:63Z' }, GPSD_322_STYLE);
    expect(field(m, 'eta').absentOk).toBe(true);
    const ok = expectedMessage({ type: 5, mmsi: 1, eta: '10-03T12:00Z' }, GPSD_322_STYLE);
    expect(field(ok, 'eta').absentOk).toBe(false);
  });
});

describe('expectedMessage: gpsd scaled (upstream .js.chk)', () => {
  it('allows 7 decimals for lat/lon and reads "n/a" turn', () => {
    const m = expectedMessage(
      { type: 1, mmsi: 1, turn: 'n/a', lon: -123.3953833, lat: 48.3816333 },
      GPSD_SCALED,
    );
    expect(field(m, 'rot').rule).toEqual({ kind: 'absent' });
    expect(numberRule(m, 'lon').tolerance).toBeCloseTo(5e-8, 8);
  });
});

describe('expectedMessage: libais', () => {
  it('maps the native dict: x/y, dim_a..d, nav_status, rot with its -128 and ±127 values', () => {
    const m = expectedMessage(
      {
        id: 3,
        mmsi: 263716060,
        nav_status: 0,
        position_accuracy: 1,
        rot: -731.386474609375,
        rot_over_range: true,
        sog: 0.800000011920929,
        cog: 86.80000305175781,
        timestamp: 61,
        true_heading: 58,
        x: -160.49689333333333,
        y: -93.98909333333333,
      },
      LIBAIS_NATIVE,
    );
    expect(field(m, 'rot').rule).toEqual({ kind: 'absent' });
    expect(numberRule(m, 'sog').value).toBeCloseTo(0.8, 6);
    expect(numberRule(m, 'second').value).toBe(61);
    expect(field(m, 'accuracy').rule).toEqual({ kind: 'boolean', value: true });
    // y = -93.99 is no latitude: dropping it (and so the longitude) agrees too.
    expect(field(m, 'lat').absentOk).toBe(true);
    expect(field(m, 'lon').absentOk).toBe(true);
    const fast = expectedMessage(
      { id: 1, mmsi: 1, rot: 720.0321, rot_over_range: true },
      LIBAIS_NATIVE,
    );
    expect(numberRule(fast, 'rot').value).toBe(720);
  });

  it('maps native static data, keeping the charset flag and trimming the padding', () => {
    const m = expectedMessage(
      {
        id: 5,
        mmsi: 205488090,
        callsign: 'OT4880@',
        name: 'GUATEMALA@@@@@@B@@@@',
        destination: 'DELFZIJL@@@@@@@@@@@@',
        dim_a: 70,
        dim_b: 12,
        dim_c: 2,
        dim_d: 5,
        draught: 0.20000000298023224,
        eta_month: 5,
        eta_day: 3,
        eta_hour: 22,
        eta_minute: 0,
        imo_num: 0,
        type_and_cargo: 107,
      },
      LIBAIS_NATIVE,
    );
    expect(field(m, 'shipName').rule).toEqual({
      kind: 'text',
      value: 'GUATEMALA@@@@@@B',
      libaisCharset: true,
    });
    expect(field(m, 'callSign').rule).toMatchObject({ value: 'OT4880' });
    expect(field(m, 'eta').rule).toMatchObject({ value: '05-03T22:00Z' });
    expect(numberRule(m, 'toStarboard').value).toBe(5);
    expect(numberRule(m, 'shipType').value).toBe(107);
    expect(field(m, 'imo').absentOk).toBe(true);
  });

  it("undoes libais json's type 9 speed / 10 and reads its string IMO", () => {
    const sar = expectedMessage({ type: 9, mmsi: 1, speed: 16.799999237060547 }, LIBAIS_JSON);
    expect(numberRule(sar, 'sog').value).toBeCloseTo(168, 4);
    const ship = expectedMessage({ type: 5, mmsi: 1, imo: '9383663' }, LIBAIS_JSON);
    expect(numberRule(ship, 'imo').value).toBe(9383663);
  });

  it('reads the tag block libais prints', () => {
    const m = expectedMessage(
      {
        type: 1,
        mmsi: 224651000,
        tagblock_station: 'rORBCOMM104',
        tagblock_timestamp: '2014-12-10T00:41:53.000000Z',
      },
      LIBAIS_JSON,
    );
    expect(field(m, 'station').rule).toMatchObject({ value: 'rORBCOMM104' });
    expect(field(m, 'receivedAt').rule).toEqual({
      kind: 'instant',
      epochMillis: Date.UTC(2014, 11, 10, 0, 41, 53),
    });
  });
});

describe('expectedMessage: pyais', () => {
  it('reads its rounded turn and passes ±127 / -128 through', () => {
    const turn = (value: number): FieldExpectation =>
      field(expectedMessage({ msg_type: 1, mmsi: 1, turn: value }, PYAIS), 'rot');
    expect(turn(-128).rule).toEqual({ kind: 'absent' });
    expect(turn(127).rule).toMatchObject({ value: 720 });
    expect(turn(-5).rule).toMatchObject({ value: -5, magnitudeOnly: false });
  });

  it('uses the rounding of the test and 6 decimals otherwise', () => {
    const rounded = parseStyle(
      'pyais asdict (lat/lon degrees; enums as ints) ; rounded: {"lat": 2}',
    );
    const m = expectedMessage({ msg_type: 18, mmsi: 1, lat: 37.79, lon: -122.269 }, rounded);
    expect(numberRule(m, 'lat').tolerance).toBeCloseTo(0.005, 8);
    expect(numberRule(m, 'lon').tolerance).toBeCloseTo(5e-7, 8);
  });

  it('prefers full_name (name + extension) for type 21 and takes the type from the payload', () => {
    const m = expectedMessage({ full_name: 'NNG-OSS-S OFFSHORE WINDFARM' }, PYAIS, 21);
    expect(m.type).toBe(21);
    expect(field(m, 'name').rule).toMatchObject({ value: 'NNG-OSS-S OFFSHORE WINDFARM' });
  });

  it('builds the ETA of type 5 from month/day/hour/minute', () => {
    const m = expectedMessage(
      { msg_type: 5, mmsi: 1, month: 2, day: 7, hour: 17, minute: 0, ship_type: 0 },
      PYAIS,
    );
    expect(field(m, 'eta').rule).toMatchObject({ value: '02-07T17:00Z' });
    expect(field(m, 'shipType').absentOk).toBe(true);
  });

  it('keeps the type 24 part it names', () => {
    const m = expectedMessage({ msg_type: 24, mmsi: 1, partno: 1, ship_type: 37 }, PYAIS);
    expect(m.partNo).toBe(1);
    expect(m.mergesType24).toBe(false);
  });
});

describe('helpers', () => {
  it('rotDegPerMin keeps the sign of ROT_AIS', () => {
    expect(rotDegPerMin(0)).toBe(0);
    expect(rotDegPerMin(-31)).toBeCloseTo(-42.8993, 3);
    expect(rotDegPerMin(127)).toBeCloseTo(720.003, 3);
  });

  it('trimAisText drops trailing padding only', () => {
    expect(trimAisText('AB@C@@  ')).toBe('AB@C');
    expect(trimAisText('@@@@')).toBe('');
  });
});
