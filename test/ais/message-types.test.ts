import { describe, expect, it } from 'vitest';
import { BitWriter } from '../../src/ais/bit-writer.js';
import { decodeAll } from '../../src/ais/decode-all.js';
import { writeSentences } from '../../src/ais/sentence-writer.js';

// One sentence per supported type from gpsd's public regression log `sample.aivdm`; the expected
// values are what Debian gpsdecode 3.22 (`gpsdecode -j`) prints for them, in DESIGN.md §2.2 units.
const cases: { name: string; lines: string[]; expected: Record<string, unknown> }[] = [
  {
    name: 'type 1, ROT fastleft (-127) and SOG 12.3 kn',
    lines: ['!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A'],
    expected: {
      type: 1,
      mmsi: 371798000,
      navStatus: 0,
      rot: -720,
      sog: 12.3,
      accuracy: true,
      lon: -123.395383,
      lat: 48.381633,
      cog: 224,
      heading: 215,
      second: 33,
    },
  },
  {
    name: 'type 3, moored',
    lines: ['!AIVDM,1,1,,A,38Id705000rRVJhE7cl9n;160000,0*40'],
    expected: {
      type: 3,
      mmsi: 563808000,
      navStatus: 5,
      rot: 0,
      sog: 0,
      lon: -76.327533,
      lat: 36.91,
    },
  },
  {
    name: 'type 4, base station',
    lines: ['!AIVDM,1,1,,A,403OviQuMGCqWrRO9>E6fE700@GO,0*4D'],
    expected: {
      type: 4,
      mmsi: 3669702,
      accuracy: true,
      lon: -76.352362,
      lat: 36.883767,
      second: 39,
    },
  },
  {
    name: 'type 5, two sentences',
    lines: [
      '!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C',
      '!AIVDM,2,2,1,A,88888888880,2*25',
    ],
    expected: {
      type: 5,
      mmsi: 351759000,
      imo: 9134270,
      callSign: '3FOF8',
      shipName: 'EVER DIADEM',
      shipType: 70,
      toBow: 225,
      toStern: 70,
      toPort: 1,
      toStarboard: 31,
      eta: '05-15T14:00Z',
      draught: 12.2,
      destination: 'NEW YORK',
    },
  },
  {
    name: 'type 9, SAR aircraft (speed in whole knots)',
    lines: ['!AIVDM,1,1,,A,91b77=h3h00nHt0Q3r@@07000<0b,0*69'],
    expected: {
      type: 9,
      mmsi: 111265591,
      altitude: 15,
      sog: 0,
      lon: 11.8816,
      lat: 57.778455,
      cog: 0,
    },
  },
  {
    name: 'type 18, class B, heading not available',
    lines: ['!AIVDM,1,1,,A,B52K>;h00Fc>jpUlNV@ikwpUoP06,0*4C'],
    expected: {
      type: 18,
      mmsi: 338087471,
      sog: 0.1,
      lon: -74.072132,
      lat: 40.68454,
      cog: 79.6,
      second: 49,
    },
  },
  {
    name: 'type 19, extended class B',
    lines: ['!AIVDM,1,1,,B,C5N3SRgPEnJGEBT>NhWAwwo862PaLELTBJ:V00000000S0D:R220,0*0B'],
    expected: {
      type: 19,
      mmsi: 367059850,
      sog: 8.7,
      cog: 335.9,
      shipName: 'CAPT.J.RIMES',
      shipType: 70,
      toBow: 5,
      toStern: 21,
    },
  },
  {
    name: 'type 21, aid to navigation with name extension',
    lines: [
      '!AIVDM,2,1,5,B,E1mg=5J1T4W0h97aRh6ba84<h2d;W:Te=eLvH50```q,0*46',
      '!AIVDM,2,2,5,B,:D44QDlp0C1DU00,2*36',
    ],
    expected: {
      type: 21,
      mmsi: 123456789,
      aidType: 20,
      name: 'CHINA ROSE MURPHY EXPRESS ALERT',
      lon: -122.698592,
      lat: 47.920618,
      second: 50,
    },
  },
  {
    name: 'type 24 part A',
    lines: ['!AIVDM,1,1,,A,H42O55i18tMET00000000000000,2*6D'],
    expected: { type: 24, mmsi: 271041815, partNo: 0, shipName: 'PROGUY' },
  },
  {
    name: 'type 24 part B, zero dimensions absent',
    lines: ['!AIVDM,1,1,,A,H42O55lti4hhhilD3nink000?050,0*40'],
    expected: {
      type: 24,
      mmsi: 271041815,
      partNo: 1,
      shipType: 60,
      callSign: 'TC6163',
      toStern: 15,
    },
  },
  {
    name: 'type 27, 1/10 minute resolution',
    lines: ['!AIVDM,1,1,,A,KCQ9r=hrFUnH7P00,0*41'],
    expected: {
      type: 27,
      mmsi: 236091959,
      navStatus: 3,
      sog: 0,
      cog: 0,
      lon: -154.201667,
      lat: 87.065,
    },
  },
];

describe('payload decoding per message type (agrees with gpsdecode)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const { records, stats } = decodeAll(c.lines.join('\n'));
      expect(stats.messages).toBe(1);
      const record = records[0] as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(c.expected)) {
        if (typeof value === 'number' && !Number.isInteger(value)) {
          expect(record[key], key).toBeCloseTo(value, 5);
        } else {
          expect(record[key], key).toEqual(value);
        }
      }
    });
  }

  it('leaves sentinels absent: heading 511 and zero dimensions', () => {
    const record = decodeAll('!AIVDM,1,1,,A,B52K>;h00Fc>jpUlNV@ikwpUoP06,0*4C').records[0]!;
    expect(record).not.toHaveProperty('heading');
    const partB = decodeAll('!AIVDM,1,1,,A,H42O55lti4hhhilD3nink000?050,0*40').records[0]!;
    expect(partB).not.toHaveProperty('toBow');
    expect(partB).not.toHaveProperty('toPort');
  });

  it('counts a type it does not decode as unsupported_type, with its MMSI known', () => {
    const seen: string[] = [];
    // Type 8 binary broadcast from DMA AisLib's public test stream.
    const { stats } = decodeAll('!AIVDM,1,1,,B,85N1LdPj2d<<<<<<<0N0`?`50000,0*6B', {
      onReject: (reason, line) => seen.push(`${reason} ${line}`),
    });
    expect(stats.rejected.unsupported_type).toBe(1);
    expect(seen).toEqual(['unsupported_type !AIVDM,1,1,,B,85N1LdPj2d<<<<<<<0N0`?`50000,0*6B']);
  });
});

describe('type 21 name extension (ITU-R M.1371; regression for the conformance finding)', () => {
  /** A type 21 payload with a 20-character name field and 12 bits of extension. */
  function aidToNavigation(nameField: string, extension: string): string {
    const bits = new BitWriter()
      .uint('type', 21, 6)
      .uint('repeat', 0, 2)
      .uint('mmsi', 993_456_789, 30)
      .uint('aidType', 20, 5)
      .text('name', nameField, 120)
      .bool(false)
      .int('lon', 0, 28)
      .int('lat', 0, 27)
      .uint('dimensions', 0, 30)
      .uint('epfd', 1, 4)
      .uint('second', 50, 6)
      .uint('flags', 0, 13)
      .text('extension', extension, 12);
    return writeSentences(bits.armour())[0]!;
  }

  it('appends the extension to the full 20 characters, spaces included', () => {
    const line = aidToNavigation('B. OCEANIA WRECK    ', 'AB');
    expect(decodeAll(line).records[0]!.name).toBe('B. OCEANIA WRECK    AB');
  });

  it('ignores the extension bits when the name is padded with @ (gpsd: "12", not "12AB")', () => {
    const line = aidToNavigation('12', 'AB');
    expect(decodeAll(line).records[0]!.name).toBe('12');
  });
});
