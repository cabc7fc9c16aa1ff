import { describe, expect, it } from 'vitest';
import { type AisEncodeInput, encodeAisPayload } from '../../src/ais/encoder.js';
import { packPositionReport } from '../../src/sim/position-packer.js';
import { createRandom } from '../../src/util/random.js';

describe('packPositionReport', () => {
  it('packs types 1, 2, 3 and 18 exactly as encodeAisPayload does (seeded, 20 000 messages)', () => {
    const r = createRandom(20240605);
    const maybe = <T>(value: T): T | undefined => (r.chance(0.05) ? undefined : value);
    for (let n = 0; n < 20_000; n++) {
      const type = r.pick([1, 2, 3, 18]);
      const input: AisEncodeInput = {
        type,
        mmsi: r.int(0, 2 ** 30 - 1),
        repeat: r.int(0, 3),
        navStatus: maybe(r.int(0, 15)),
        rot: maybe(r.chance(0.1) ? r.pick([-720, 720]) : r.uniform(-700, 700)),
        sog: maybe(r.uniform(0, 110)),
        accuracy: r.chance(0.5),
        lon: maybe(r.uniform(-180, 180)),
        lat: maybe(r.uniform(-90, 90)),
        cog: maybe(Math.round(r.uniform(0, 359.9) * 10) / 10),
        heading: maybe(r.int(0, 359)),
        second: maybe(r.int(0, 63)),
        maneuver: r.int(0, 2),
        raim: r.chance(0.5),
        radio: r.int(0, 2 ** 19 - 1),
        regional: r.int(0, 3),
        cs: r.chance(0.5),
        display: r.chance(0.5),
        dsc: r.chance(0.5),
        band: r.chance(0.5),
        msg22: r.chance(0.5),
        assigned: r.chance(0.5),
      };
      expect(packPositionReport(input), JSON.stringify(input)).toEqual(encodeAisPayload(input));
    }
  });

  it('leaves other types and out-of-range values to the encoder', () => {
    const type5: AisEncodeInput = { type: 5, mmsi: 1, shipName: 'X' };
    expect(packPositionReport(type5)).toEqual(encodeAisPayload(type5));
    expect(() => packPositionReport({ type: 1, mmsi: 2 ** 30 })).toThrow(/mmsi/);
    expect(() => packPositionReport({ type: 18, mmsi: 1, sog: -1 })).toThrow(/sog/);
  });
});
