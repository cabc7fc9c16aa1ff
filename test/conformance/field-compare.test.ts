import { describe, expect, it } from 'vitest';
import { expectedMessage } from './expected-fields.js';
import { compareField, compareMessage } from './field-compare.js';
import type { FieldExpectation } from './field-expectation.js';
import { pickRecord } from './pick-record.js';
import { GPSD_322_STYLE } from './reference-style.js';

function expectation(rule: FieldExpectation['rule'], absentOk = false): FieldExpectation {
  return { key: 'sog', from: 'speed', shown: null, rule, absentOk };
}

describe('compareField', () => {
  it('holds numbers to the tolerance, both ways', () => {
    const rule = { kind: 'number', value: 8.2, tolerance: 0.05, magnitudeOnly: false } as const;
    expect(compareField(expectation(rule), 8.24).ok).toBe(true);
    expect(compareField(expectation(rule), 8.16).ok).toBe(true);
    expect(compareField(expectation(rule), 8.26).ok).toBe(false);
    expect(compareField(expectation(rule), undefined).ok).toBe(false);
    expect(compareField(expectation(rule), '8.2').ok).toBe(false);
  });

  it('accepts an absent value only where the rule allows it', () => {
    const rule = { kind: 'number', value: 0, tolerance: 0, magnitudeOnly: false } as const;
    expect(compareField(expectation(rule, true), undefined).ok).toBe(true);
    expect(compareField(expectation({ kind: 'absent' }), undefined).ok).toBe(true);
    expect(compareField(expectation({ kind: 'absent' }), 102.3).ok).toBe(false);
  });

  it("counts gpsd 3.22's unsigned turn as a quirk", () => {
    const rule = { kind: 'number', value: 5, tolerance: 0.5, magnitudeOnly: true } as const;
    expect(compareField(expectation(rule), 5.2)).toMatchObject({ ok: true });
    expect(compareField(expectation(rule), 5.2).quirk).toBeUndefined();
    expect(compareField(expectation(rule), -5.2)).toMatchObject({
      ok: true,
      quirk: 'unsignedTurn',
    });
    expect(compareField(expectation(rule), -6).ok).toBe(false);
  });

  it("tells text apart only by what precedes the first '@'", () => {
    const rule = { kind: 'text', value: 'GUATEMALA@@@@@@B', libaisCharset: true } as const;
    expect(compareField(expectation(rule), 'GUATEMALA')).toMatchObject({
      ok: true,
      quirk: 'textAfterAtSign',
    });
    expect(compareField(expectation(rule), 'GUATEMALAB').ok).toBe(false);
  });

  it("maps our '_' and \"'\" to libais' '-' and '`'", () => {
    const rule = { kind: 'text', value: '9%&//3*37-+P][`<RD^6', libaisCharset: true } as const;
    expect(compareField(expectation(rule), "9%&//3*37_+P]['<RD^6")).toMatchObject({
      ok: true,
      quirk: 'libaisCharset',
    });
    const strict = { ...rule, libaisCharset: false };
    expect(compareField(expectation(strict), "9%&//3*37_+P]['<RD^6").ok).toBe(false);
  });

  it('compares instants whatever their ISO spelling', () => {
    const rule = { kind: 'instant', epochMillis: Date.UTC(2014, 11, 10, 0, 41, 53) } as const;
    expect(compareField(expectation(rule), '2014-12-10T00:41:53.000Z').ok).toBe(true);
    expect(compareField(expectation(rule), '2014-12-10T00:41:54.000Z').ok).toBe(false);
  });

  it('matches oneOf and booleans exactly', () => {
    expect(compareField(expectation({ kind: 'oneOf', values: [11, 12] }), 12).ok).toBe(true);
    expect(compareField(expectation({ kind: 'oneOf', values: [11, 12] }), 15).ok).toBe(false);
    expect(compareField(expectation({ kind: 'boolean', value: true }), true).ok).toBe(true);
    expect(compareField(expectation({ kind: 'boolean', value: true }), 1).ok).toBe(false);
  });
});

describe('compareMessage against a real gpsd line', () => {
  // tracks/dma_aislib/ais250.txt, first line, as gpsdecode -j printed it.
  const gpsd = expectedMessage(
    {
      class: 'AIS',
      device: 'stdin',
      type: 18,
      repeat: 0,
      mmsi: 367422790,
      scaled: true,
      reserved: 0,
      speed: 0.0,
      accuracy: true,
      lon: -117.22773,
      lat: 32.717545,
      course: 258.4,
      heading: 511,
      second: 42,
    },
    GPSD_322_STYLE,
  );
  const ours = {
    type: 18,
    mmsi: 367422790,
    sog: 0,
    accuracy: true,
    lon: -117.22773,
    lat: 32.717545,
    cog: 258.4,
    second: 42,
  };

  it('agrees with the record we decode for it', () => {
    expect(compareMessage(gpsd, ours).filter((o) => !o.ok)).toEqual([]);
  });

  it('catches a coordinate off by one unit of the sixth decimal, or a heading we should drop', () => {
    const failed = (record: object): string[] =>
      compareMessage(gpsd, record)
        .filter((o) => !o.ok)
        .map((o) => o.key);
    expect(failed({ ...ours, lat: 32.717546 })).toEqual(['lat']);
    expect(failed({ ...ours, heading: 511 })).toEqual(['heading']);
    expect(failed({ ...ours, accuracy: undefined })).toEqual(['accuracy']);
  });
});

describe('pickRecord', () => {
  const partA = { type: 24, mmsi: 7, partNo: 0, shipName: 'HASNUR_05' };
  const partB = { type: 24, mmsi: 7, partNo: 1, shipType: 52, callSign: 'YD3747' };

  it('merges our part A name into part B for gpsd', () => {
    const expected = expectedMessage({ type: 24, mmsi: 7, shipname: 'HASNUR_05' }, GPSD_322_STYLE);
    expect(pickRecord(expected, [partA, partB])).toEqual({
      record: { ...partB, shipName: 'HASNUR_05' },
      partAFound: true,
    });
    expect(pickRecord(expected, [partB]).partAFound).toBe(false);
  });

  it('takes the last record of the expected type, MMSI and part', () => {
    const expected = expectedMessage({ type: 1, mmsi: 3 }, GPSD_322_STYLE);
    const first = { type: 1, mmsi: 3, sog: 1 };
    const last = { type: 1, mmsi: 3, sog: 2 };
    expect(pickRecord(expected, [first, { type: 1, mmsi: 4 }, last, partA]).record).toBe(last);
    expect(pickRecord(expected, [partA]).record).toBeUndefined();
  });
});
