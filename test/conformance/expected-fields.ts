import {
  asNumber,
  decimalsTolerance,
  EPSILON,
  ExpectationBuilder,
  type FieldExpectation,
  float32Tolerance,
  isNear,
} from './field-expectation.js';
import type { OurKey } from './our-keys.js';
import type { ReferenceStyle, StyleKind } from './reference-style.js';

/**
 * Turns what another decoder printed for one AIS message into expectations on our keys and units
 * (DESIGN.md §2.2), one rule and one tolerance per field. Pure: no I/O, no decoder.
 *
 * Each reference has its own units, sentinels and rounding:
 * - gpsd `-u` (unscaled): raw integers. lat/lon in 1/10 000 min (type 27: 1/10 min), speed and
 *   course in 0.1 kn / 0.1° (type 9 speed and type 27 speed/course in whole units), draught in
 *   0.1 m, turn = ROT_AIS (-128 n/a, ±127 fast).
 * - gpsd scaled (upstream `.js.chk`): degrees with 7 decimals (type 27: 4), knots and degrees
 *   with 1 decimal, turn as "fastleft"/"fastright"/"n/a"/"0.00".
 * - gpsd 3.22 scaled (Debian `gpsdecode -j`, the stored reference): lat/lon with 6 decimals,
 *   1 decimal for speed/course, speed 1022 as "fast" and 1023 as "nan", turn printed as
 *   round((ROT_AIS/4.733)^2) WITHOUT sign (gpsd 3.22 squares the signed value), type 27 status
 *   as text and lat/lon rounded to 0.1°.
 * - every gpsd: type 4's UTC second inside `timestamp`; type 24 as part B with part A's name.
 * - libais gpsd-compatible json: gpsd keys, values through float32, type 9 speed divided by 10.
 * - libais native dict: x = lon, y = lat (float64), sog/cog/rot float32, dim_a..dim_d.
 * - libais (both) text: sixbit 31 printed as '-', 39 as '`', padding '@' kept.
 * - pyais asdict: degrees rounded to 6 decimals (or as the style's `rounded:` says), turn =
 *   signed round((ROT_AIS/4.733)^2) with ±127 and -128 passed through raw.
 * Every reference prints the ITU "not available" sentinels, which we leave out (§2.2): those
 * become `absent` rules. Values ITU calls "not available" that we may drop (0 for IMO, ship
 * type, dimensions, draught; empty text; an ETA with month 0 or day 0) and values outside the
 * ITU range are `absentOk`: either absent, or equal.
 */

export interface ExpectedMessage {
  readonly type: number | undefined;
  readonly mmsi: number | undefined;
  /** Type 24 part (0 = A, 1 = B) when the reference says which. */
  readonly partNo: number | undefined;
  /**
   * gpsd prints a type 24 part B with the name of the part A it saw earlier for the MMSI (and
   * never prints part A alone): compare against our part B plus the name of our part A.
   */
  readonly mergesType24: boolean;
  readonly fields: readonly FieldExpectation[];
  /** Reference keys with no counterpart in our output (repeat, raim, radio, epfd, ...). */
  readonly unmapped: readonly string[];
}

type Json = Readonly<Record<string, unknown>>;

/** ROT_AIS = 4.733 √(ROT) (ITU-R M.1371 Table 48): deg/min = sign · (ROT_AIS / 4.733)². */
export function rotDegPerMin(rotAis: number): number {
  const degPerMin = (rotAis / 4.733) ** 2;
  return rotAis < 0 ? -degPerMin : degPerMin;
}
/** ±127 (turning fast, no turn indicator) is ±720 deg/min in our output. */
const ROT_FAST = 720;
/** Our rot is rounded to 0.001 deg/min; the conversion itself is exact. */
const ROT_TOLERANCE = 0.01;

/** gpsd's navigation status legends (gpsd 3.22 prints type 27 status only as this text). */
const GPSD_STATUS_TEXT: ReadonlyArray<readonly [string, readonly number[]]> = [
  ['Under way using engine', [0]],
  ['At anchor', [1]],
  ['Not under command', [2]],
  ['Restricted manoeuverability', [3]],
  ['Constrained by her draught', [4]],
  ['Moored', [5]],
  ['Aground', [6]],
  ['Engaged in fishing', [7]],
  ['Under way sailing', [8]],
  ['Reserved for HSC', [9]],
  ['Reserved for WIG', [10]],
  ['Reserved', [11, 12, 13, 14]],
  ['Not defined', [15]],
];

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

function formatEta(month: number, day: number, hour: number, minute: number): string {
  return `${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}Z`;
}

/** Types whose `second` we print: the time stamp of the fix, or type 4's UTC second. */
const SECOND_TYPES: ReadonlySet<number> = new Set([1, 2, 3, 4, 9, 18, 19, 21]);
/** Message types whose speed is in 0.1 kn and course in 0.1° (type 9 speed: whole knots). */
const TENTHS_SPEED_TYPES: ReadonlySet<number> = new Set([1, 2, 3, 18, 19]);

function messageType(source: Json, kind: StyleKind): number | undefined {
  const key = kind === 'libais-native' ? 'id' : kind === 'pyais' ? 'msg_type' : 'type';
  return asNumber(source[key]);
}

/**
 * Maps one reference decode (`expected` of a vector, or a gpsd JSON line) to our keys.
 * `typeFromPayload` stands in when the reference does not print the message type (some pyais
 * tests check a single field).
 */
export function expectedMessage(
  source: Json,
  style: ReferenceStyle,
  typeFromPayload?: number,
): ExpectedMessage {
  const b = new ExpectationBuilder(source);
  const kind = style.kind;
  const type = messageType(source, kind) ?? typeFromPayload;
  b.used.add(kind === 'libais-native' ? 'id' : kind === 'pyais' ? 'msg_type' : 'type');
  const mmsi = asNumber(b.value('mmsi'));
  const gpsd = kind === 'gpsd-unscaled' || kind === 'gpsd-scaled' || kind === 'gpsd-3.22-scaled';

  mapPosition(b, style, type);
  mapKinematics(b, style, type);
  mapSecond(b, style, type);
  mapStatic(b, style, type);

  let partNo: number | undefined;
  if (type === 24 || type === undefined) {
    const partKey = kind === 'libais-native' ? 'part_num' : 'partno';
    if (b.has(partKey)) {
      partNo = asNumber(b.value(partKey));
      if (partNo !== undefined) b.number('partNo', partKey, source[partKey], partNo, 0);
    }
  }
  const unmapped = Object.keys(source).filter((k) => !b.used.has(k));
  return {
    type,
    mmsi,
    partNo,
    mergesType24: gpsd && type === 24,
    fields: b.finish(),
    unmapped,
  };
}

function mapPosition(b: ExpectationBuilder, style: ReferenceStyle, type: number | undefined): void {
  const kind = style.kind;
  const latKey = kind === 'libais-native' ? 'y' : 'lat';
  const lonKey = kind === 'libais-native' ? 'x' : 'lon';
  if (type !== undefined && !hasPosition(type)) return;
  const lowRes = type === 27;
  for (const [key, refKey] of [
    ['lat', latKey],
    ['lon', lonKey],
  ] as const) {
    if (!b.has(refKey)) continue;
    const shown = b.value(refKey);
    const raw = asNumber(shown);
    if (raw === undefined) {
      b.absent(key, refKey, shown, 'reference printed no number');
      continue;
    }
    const sentinel = key === 'lat' ? 91 : 181;
    let degrees: number;
    let tolerance: number;
    let why: string | undefined;
    switch (kind) {
      case 'gpsd-unscaled': {
        const perDegree = lowRes ? 600 : 600_000;
        degrees = raw / perDegree;
        tolerance = EPSILON;
        break;
      }
      case 'gpsd-scaled':
        degrees = raw;
        tolerance = decimalsTolerance(lowRes ? 4 : 7);
        break;
      case 'gpsd-3.22-scaled':
        degrees = raw;
        tolerance = decimalsTolerance(lowRes ? 1 : 6);
        if (lowRes) why = 'gpsd 3.22 prints type 27 lat/lon rounded to 0.1°';
        break;
      case 'libais-gpsd-json':
        degrees = raw;
        tolerance = float32Tolerance(raw);
        break;
      case 'libais-native':
        degrees = raw;
        tolerance = 1e-9 * (1 + Math.abs(raw));
        break;
      case 'pyais':
        degrees = raw;
        tolerance = decimalsTolerance(style.rounded[refKey] ?? 6);
        break;
    }
    if (isNear(degrees, sentinel, 1e-4)) {
      b.absent(key, refKey, shown, `${sentinel} = not available`);
    } else {
      b.number(key, refKey, shown, degrees, tolerance, why === undefined ? {} : { why });
    }
  }
  const accuracyKey = kind === 'libais-native' ? 'position_accuracy' : 'accuracy';
  if (b.has(accuracyKey)) b.boolean('accuracy', accuracyKey, b.value(accuracyKey));
}

function hasPosition(type: number): boolean {
  return [1, 2, 3, 4, 9, 11, 18, 19, 21, 27].includes(type);
}

function mapKinematics(
  b: ExpectationBuilder,
  style: ReferenceStyle,
  type: number | undefined,
): void {
  const kind = style.kind;
  const native = kind === 'libais-native';
  const kinematic = type === undefined || [1, 2, 3, 9, 18, 19, 27].includes(type);
  if (!kinematic) return;

  const statusKey = native ? 'nav_status' : 'status';
  if (b.has(statusKey) && (type === undefined || [1, 2, 3, 27].includes(type))) {
    const shown = b.value(statusKey);
    if (typeof shown === 'string') {
      const legend = GPSD_STATUS_TEXT.find(([text]) => text === shown);
      if (legend === undefined) throw new Error(`Unknown gpsd status legend ${shown}.`);
      b.add({
        key: 'navStatus',
        from: statusKey,
        shown,
        rule: { kind: 'oneOf', values: legend[1] },
        absentOk: false,
        why: 'gpsd 3.22 prints type 27 status as text only',
      });
    } else {
      const n = asNumber(shown);
      if (n !== undefined) b.number('navStatus', statusKey, shown, n, 0);
    }
  }

  mapSpeed(b, style, type);
  mapCourse(b, style, type);
  mapTurn(b, style);

  const headingKey = native ? 'true_heading' : 'heading';
  if (b.has(headingKey)) {
    const shown = b.value(headingKey);
    const n = asNumber(shown);
    if (n === undefined || n === 511) b.absent('heading', headingKey, shown, '511 = not available');
    else b.number('heading', headingKey, shown, n, 0);
  }

  if (b.has('alt') && (type === undefined || type === 9)) {
    const shown = b.value('alt');
    const n = asNumber(shown);
    if (n === undefined || n === 4095) b.absent('altitude', 'alt', shown, '4095 = not available');
    else b.number('altitude', 'alt', shown, n, 0);
  }
}

/**
 * `second`: the time stamp of a position (60 = n/a, 61-63 keep their ITU meaning) or type 4's
 * UTC second (60 = n/a, above is invalid), which gpsd and libais' json print in `timestamp`.
 */
function mapSecond(b: ExpectationBuilder, style: ReferenceStyle, type: number | undefined): void {
  const native = style.kind === 'libais-native';
  if (type !== undefined && !SECOND_TYPES.has(type)) return;
  let key = native && type !== 4 ? 'timestamp' : 'second';
  let shown: unknown;
  let n: number | undefined;
  if (type === 4 && !native && typeof b.source.timestamp === 'string') {
    key = 'timestamp';
    shown = b.value(key);
    n = asNumber(/:(\d\d)Z$/.exec(b.source.timestamp)?.[1]);
  } else if (b.has(key)) {
    shown = b.value(key);
    n = asNumber(shown);
  } else {
    return;
  }
  if (n === undefined || n === 60) b.absent('second', key, shown, '60 = not available');
  else if (type === 4 && n > 60)
    b.number('second', key, shown, n, 0, { absentOk: true, why: 'type 4: > 60 is invalid' });
  else b.number('second', key, shown, n, 0);
}

function mapSpeed(b: ExpectationBuilder, style: ReferenceStyle, type: number | undefined): void {
  const kind = style.kind;
  const key = kind === 'libais-native' ? 'sog' : 'speed';
  if (!b.has(key)) return;
  const shown = b.value(key);
  const n = shown === 'fast' ? 1022 : asNumber(shown);
  if (n === undefined) {
    b.absent('sog', key, shown, 'reference printed no number (gpsd: "nan")');
    return;
  }
  if (type === 27) {
    // Whole knots, 63 = not available, in every style.
    if (n === 63) b.absent('sog', key, shown, 'type 27: 63 = not available');
    else b.number('sog', key, shown, n, EPSILON);
    return;
  }
  if (type === 9) {
    // Whole knots, 1023 = not available (ITU); libais' json divides by 10 as for class A.
    const knots = kind === 'libais-gpsd-json' ? n * 10 : n;
    const why = kind === 'libais-gpsd-json' ? 'libais json prints type 9 speed / 10' : undefined;
    if (isNear(knots, 1023, 1e-3)) b.absent('sog', key, shown, 'type 9: 1023 = not available');
    else
      b.number('sog', key, shown, knots, float32Tolerance(knots), why === undefined ? {} : { why });
    return;
  }
  const tenths = type === undefined || TENTHS_SPEED_TYPES.has(type);
  if (!tenths) return;
  let knots: number;
  let tolerance: number;
  switch (kind) {
    case 'gpsd-unscaled':
      knots = n / 10;
      tolerance = EPSILON;
      break;
    case 'gpsd-scaled':
    case 'gpsd-3.22-scaled':
      knots = n;
      tolerance = decimalsTolerance(1);
      break;
    case 'libais-gpsd-json':
    case 'libais-native':
      knots = n;
      tolerance = float32Tolerance(n);
      break;
    case 'pyais':
      knots = n;
      tolerance = decimalsTolerance(style.rounded[key] ?? 6);
      break;
  }
  if (shown === 'fast') {
    b.number('sog', key, shown, 102.2, EPSILON, { why: 'gpsd prints 1022 (≥ 102.2 kn) as "fast"' });
    return;
  }
  if (isNear(knots, 102.3, 1e-4)) b.absent('sog', key, shown, '1023 = not available');
  else b.number('sog', key, shown, knots, tolerance);
}

function mapCourse(b: ExpectationBuilder, style: ReferenceStyle, type: number | undefined): void {
  const kind = style.kind;
  const key = kind === 'libais-native' ? 'cog' : 'course';
  if (!b.has(key)) return;
  const shown = b.value(key);
  const n = asNumber(shown);
  if (n === undefined) {
    b.absent('cog', key, shown, 'reference printed no number');
    return;
  }
  if (type === 27) {
    // Whole degrees, 511 = not available, in every style.
    if (n === 511) b.absent('cog', key, shown, 'type 27: 511 = not available');
    else b.number('cog', key, shown, n, EPSILON);
    return;
  }
  let degrees: number;
  let tolerance: number;
  switch (kind) {
    case 'gpsd-unscaled':
      degrees = n / 10;
      tolerance = EPSILON;
      break;
    case 'gpsd-scaled':
    case 'gpsd-3.22-scaled':
      degrees = n;
      tolerance = decimalsTolerance(1);
      break;
    case 'libais-gpsd-json':
    case 'libais-native':
      degrees = n;
      tolerance = float32Tolerance(n);
      break;
    case 'pyais':
      degrees = n;
      tolerance = decimalsTolerance(style.rounded[key] ?? 6);
      break;
  }
  if (isNear(degrees, 360, 1e-4)) b.absent('cog', key, shown, '3600 = not available');
  else b.number('cog', key, shown, degrees, tolerance);
}

function mapTurn(b: ExpectationBuilder, style: ReferenceStyle): void {
  const kind = style.kind;
  const key = kind === 'libais-native' ? 'rot' : 'turn';
  if (!b.has(key)) return;
  const shown = b.value(key);
  if (kind === 'libais-native') b.used.add('rot_over_range');
  const fast = (sign: number, why: string): void =>
    b.number('rot', key, shown, sign * ROT_FAST, ROT_TOLERANCE, { why });

  switch (kind) {
    case 'gpsd-unscaled':
    case 'pyais': {
      // gpsd -u prints ROT_AIS; pyais converts but passes ±127 and -128 through raw.
      const n = asNumber(shown);
      if (n === undefined || n === -128) {
        b.absent('rot', key, shown, '-128 = not available');
      } else if (Math.abs(n) === 127) {
        fast(Math.sign(n), '±127 = turning fast, no turn indicator');
      } else if (kind === 'gpsd-unscaled') {
        b.number('rot', key, shown, rotDegPerMin(n), ROT_TOLERANCE, {
          why: 'sign · (ROT_AIS / 4.733)²',
        });
      } else {
        b.number('rot', key, shown, n, decimalsTolerance(0), { why: 'pyais rounds to deg/min' });
      }
      return;
    }
    case 'gpsd-scaled':
    case 'gpsd-3.22-scaled': {
      if (shown === 'nan' || shown === 'n/a' || shown === null) {
        b.absent('rot', key, shown, 'not available');
      } else if (shown === 'fastright') {
        fast(1, 'fastright = ROT_AIS 127');
      } else if (shown === 'fastleft') {
        fast(-1, 'fastleft = ROT_AIS -127');
      } else {
        const n = asNumber(shown);
        if (n === undefined) throw new Error(`Unknown gpsd turn ${String(shown)}.`);
        b.number('rot', key, shown, n, decimalsTolerance(0), {
          magnitudeOnly: true,
          why: 'gpsd prints round((ROT_AIS/4.733)²): 3.22 loses the sign',
        });
      }
      return;
    }
    case 'libais-gpsd-json':
    case 'libais-native': {
      // libais: sign · (ROT_AIS/4.733)² in float32; -128 gives -731.4 (or null in its json).
      const n = asNumber(shown);
      if (n === undefined || Math.abs(n) > 725) {
        b.absent('rot', key, shown, 'ROT_AIS -128 = not available');
      } else if (Math.abs(n) >= 719.5) {
        fast(Math.sign(n), 'ROT_AIS ±127 = turning fast');
      } else {
        b.number('rot', key, shown, n, Math.max(ROT_TOLERANCE, float32Tolerance(n)));
      }
      return;
    }
  }
}

function mapStatic(b: ExpectationBuilder, style: ReferenceStyle, type: number | undefined): void {
  const kind = style.kind;
  const native = kind === 'libais-native';
  const libais = native || kind === 'libais-gpsd-json';
  const s = b.source;

  const imoKey = native ? 'imo_num' : 'imo';
  if (b.has(imoKey)) {
    const n = asNumber(b.value(imoKey));
    if (n !== undefined) b.zeroIsUnavailable('imo', imoKey, s[imoKey], n);
  }
  if (b.has('callsign')) b.text('callSign', 'callsign', b.value('callsign'), libais);

  const shipNameKey = native ? 'name' : 'shipname';
  if (b.has(shipNameKey) && type !== 21)
    b.text('shipName', shipNameKey, b.value(shipNameKey), libais);

  const shipTypeKey = native ? 'type_and_cargo' : kind === 'pyais' ? 'ship_type' : 'shiptype';
  if (b.has(shipTypeKey) && (type === undefined || [5, 19, 24].includes(type))) {
    const n = asNumber(b.value(shipTypeKey));
    if (n !== undefined) b.zeroIsUnavailable('shipType', shipTypeKey, s[shipTypeKey], n);
  }

  const dimensionKeys: ReadonlyArray<readonly [OurKey, string]> = native
    ? [
        ['toBow', 'dim_a'],
        ['toStern', 'dim_b'],
        ['toPort', 'dim_c'],
        ['toStarboard', 'dim_d'],
      ]
    : [
        ['toBow', 'to_bow'],
        ['toStern', 'to_stern'],
        ['toPort', 'to_port'],
        ['toStarboard', 'to_starboard'],
      ];
  for (const [key, refKey] of dimensionKeys) {
    if (!b.has(refKey)) continue;
    const n = asNumber(b.value(refKey));
    if (n !== undefined) b.zeroIsUnavailable(key, refKey, s[refKey], n);
  }

  if (b.has('draught')) {
    const shown = b.value('draught');
    const n = asNumber(shown);
    if (n !== undefined) {
      const metres = kind === 'gpsd-unscaled' ? n / 10 : n;
      const tolerance =
        kind === 'gpsd-scaled' || kind === 'gpsd-3.22-scaled'
          ? decimalsTolerance(1)
          : float32Tolerance(metres);
      b.zeroIsUnavailable('draught', 'draught', shown, metres, tolerance);
    }
  }

  if (b.has('destination')) b.text('destination', 'destination', b.value('destination'), libais);

  mapEta(b, kind, type);
  mapTagBlock(b);

  const aidTypeKey = native ? 'aton_type' : 'aid_type';
  if (b.has(aidTypeKey)) {
    const n = asNumber(b.value(aidTypeKey));
    if (n !== undefined) b.zeroIsUnavailable('aidType', aidTypeKey, s[aidTypeKey], n);
  }

  if (type === 21 || type === undefined) {
    // pyais keeps the 20-character name and the extension apart and joins them in full_name.
    const nameKey = b.has('full_name') ? 'full_name' : 'name';
    if (b.has(nameKey)) {
      b.used.add('name');
      b.text('name', nameKey, b.value(nameKey), libais);
    }
  }
}

function mapEta(b: ExpectationBuilder, kind: StyleKind, type: number | undefined): void {
  if (type !== undefined && type !== 5) return;
  if (b.has('eta') && typeof b.source.eta === 'string') {
    b.eta('eta', b.value('eta'), b.source.eta);
    return;
  }
  const parts =
    kind === 'libais-native'
      ? ['eta_month', 'eta_day', 'eta_hour', 'eta_minute']
      : kind === 'pyais'
        ? ['month', 'day', 'hour', 'minute']
        : [];
  if (parts.length === 0 || !parts.every((p) => b.has(p))) return;
  const values = parts.map((p) => asNumber(b.value(p)));
  const [month, day, hour, minute] = values;
  if (month === undefined || day === undefined || hour === undefined || minute === undefined)
    return;
  const shown = Object.fromEntries(parts.map((p) => [p, b.source[p]]));
  b.eta(parts.join('+'), shown, formatEta(month, day, hour, minute));
}

/** libais prints the tag block it parsed: `s:` station and `c:` receive time. */
function mapTagBlock(b: ExpectationBuilder): void {
  if (b.has('tagblock_station')) {
    b.text('station', 'tagblock_station', b.value('tagblock_station'), false);
  }
  if (b.has('tagblock_timestamp')) {
    const shown = b.value('tagblock_timestamp');
    const epochMillis = typeof shown === 'string' ? Date.parse(shown) : Number.NaN;
    if (Number.isNaN(epochMillis))
      throw new Error(`tagblock_timestamp: not a time: ${String(shown)}.`);
    b.add({
      key: 'receivedAt',
      from: 'tagblock_timestamp',
      shown,
      rule: { kind: 'instant', epochMillis },
      absentOk: false,
    });
  }
}
