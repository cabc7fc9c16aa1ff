import type { Random } from '../util/random.js';
import { NAV_STATUS_FISHING, NAV_STATUS_UNDERWAY } from './reporting-interval.js';

/** What kind of AIS unit transmits: class A or B ship, aid to navigation, base station. */
export type UnitKind = 'A' | 'B' | 'aton' | 'base';

/** Who a unit says it is: the static fields of types 5, 24 and 21 (DESIGN.md §2.2 names). */
export interface VesselIdentity {
  mmsi: number;
  unit: UnitKind;
  name: string;
  /** ITU-R M.1371 Table 53 ship and cargo type. */
  shipType?: number;
  callSign?: string;
  imo?: number;
  toBow?: number;
  toStern?: number;
  toPort?: number;
  toStarboard?: number;
  draught?: number;
  destination?: string;
  /** Type 5 ETA, `MM-DDTHH:MMZ`. */
  eta?: string;
  /** Type 24 B manufacturer id (3 characters). */
  vendorId?: string;
  /** Type 21 aid type (ITU-R M.1371 Table 74). */
  aidType?: number;
}

/** A kind of ship: its ITU type codes and realistic speed, size and status. */
export interface ShipProfile {
  readonly label: string;
  readonly shipTypes: readonly number[];
  readonly unit: 'A' | 'B';
  /** Service speed range, knots. */
  readonly knots: readonly [number, number];
  readonly lengthMeters: readonly [number, number];
  readonly draughtMeters: readonly [number, number];
  /** Navigational status while under way (fishing vessels report "engaged in fishing"). */
  readonly navStatus: number;
}

/**
 * Speeds are typical service speeds (e.g. container ships and bulkers 12–17 kn, tankers
 * 10–15 kn, ferries 15–22 kn, high-speed craft 28–38 kn, trawlers 4–10 kn when moving).
 */
export const SHIP_PROFILES = {
  cargo: {
    label: 'cargo',
    shipTypes: [70, 70, 70, 71, 79],
    unit: 'A',
    knots: [11, 17],
    lengthMeters: [90, 300],
    draughtMeters: [6, 13],
    navStatus: NAV_STATUS_UNDERWAY,
  },
  tanker: {
    label: 'tanker',
    shipTypes: [80, 80, 81, 89],
    unit: 'A',
    knots: [10, 15],
    lengthMeters: [100, 280],
    draughtMeters: [7, 15],
    navStatus: NAV_STATUS_UNDERWAY,
  },
  passenger: {
    label: 'passenger',
    shipTypes: [60, 69],
    unit: 'A',
    knots: [15, 22],
    lengthMeters: [80, 220],
    draughtMeters: [4, 7],
    navStatus: NAV_STATUS_UNDERWAY,
  },
  fishing: {
    label: 'fishing',
    shipTypes: [30],
    unit: 'A',
    knots: [4, 10],
    lengthMeters: [18, 70],
    draughtMeters: [3, 6],
    navStatus: NAV_STATUS_FISHING,
  },
  tug: {
    label: 'tug',
    shipTypes: [52, 31],
    unit: 'A',
    knots: [7, 12],
    lengthMeters: [25, 45],
    draughtMeters: [3, 5],
    navStatus: NAV_STATUS_UNDERWAY,
  },
  highSpeed: {
    label: 'high-speed craft',
    shipTypes: [40],
    unit: 'A',
    knots: [28, 38],
    lengthMeters: [35, 110],
    draughtMeters: [2, 4],
    navStatus: NAV_STATUS_UNDERWAY,
  },
  pleasure: {
    label: 'pleasure craft',
    shipTypes: [37],
    unit: 'B',
    knots: [5, 9],
    lengthMeters: [8, 25],
    draughtMeters: [1, 2.5],
    navStatus: NAV_STATUS_UNDERWAY,
  },
  sailing: {
    label: 'sailing',
    shipTypes: [36],
    unit: 'B',
    knots: [4, 7],
    lengthMeters: [8, 20],
    draughtMeters: [1.5, 3],
    navStatus: NAV_STATUS_UNDERWAY,
  },
} as const satisfies Record<string, ShipProfile>;

/** Flags seen in north-west European and Pacific traffic (ITU-R M.585 MIDs). */
export const FLAG_MIDS: readonly number[] = [
  257, 258, 259, 316, 503, 235, 232, 211, 218, 219, 220, 244, 245, 265, 266, 230, 538, 636, 351,
  352, 370, 371, 477, 563, 565, 215, 248, 249, 255, 273, 412, 440, 431, 512,
];

/** Words of `text` separated by white space; `_` stands for a space inside a word. */
function words(text: string): string[] {
  return text
    .trim()
    .split(/\s+/)
    .map((word) => word.replaceAll('_', ' '));
}

const NAME_FIRST = words(`
  NORDIC OCEAN ARCTIC SOUTHERN PACIFIC BLUE SILVER NORTHERN GOLDEN CORAL TASMAN POLAR
  ATLANTIC EAGLE STAR CAPE GULF BALTIC HUDSON FJORD KESTREL AURORA BOREAL MERIDIAN`);
const NAME_SECOND = words(`
  STAR SPIRIT TRADER EXPRESS PIONEER VOYAGER HARMONY FALCON WAVE HORIZON CARRIER PRIDE
  QUEEN BREEZE ENDEAVOUR GLORY FORTUNE PEARL NAVIGATOR HUNTER DAWN CREST`);
const SMALL_CRAFT_NAMES = words(`
  OSPREY SEA_BREEZE MARLIN WINDSONG BLUE_HERON PUFFIN SKYLARK TERN SOLSTICE KITTIWAKE
  ALBATROSS DOLPHIN SANDPIPER NORDLYS HAVFRUE MOANA`);
const DESTINATIONS = words(`
  KESTREL_BAY GANNET_HBR ROTTERDAM HAMBURG BERGEN ABERDEEN HALIFAX TROMSO ANTWERP
  FELIXSTOWE GOTHENBURG SYDNEY BRISBANE ST_JOHNS`);
const VENDORS = words('SRT TRM AMC VSP GMN SIM');

/** Makes unique, plausible identities for ships, seeded. */
export class IdentityFactory {
  private readonly used = new Set<number>();

  constructor(
    private readonly random: Random,
    private readonly startMs: number,
  ) {}

  /** Marks an MMSI as taken (event vessels, base stations). */
  reserve(mmsi: number): number {
    this.used.add(mmsi);
    return mmsi;
  }

  /** A fresh ship MMSI: MID (ITU-R M.585 ship ranges 201–775) followed by six digits. */
  shipMmsi(mid: number = this.random.pick(FLAG_MIDS)): number {
    for (;;) {
      const mmsi = mid * 1_000_000 + this.random.int(100_000, 999_999);
      if (!this.used.has(mmsi)) return this.reserve(mmsi);
    }
  }

  /** A full identity for a ship of `profile`; `mmsi` defaults to a fresh one. */
  ship(profile: ShipProfile, mmsi?: number): VesselIdentity {
    const r = this.random;
    const length = Math.round(r.uniform(profile.lengthMeters[0], profile.lengthMeters[1]));
    const beam = Math.min(126, Math.max(3, Math.round(length * r.uniform(0.14, 0.18))));
    const toBow = Math.round(length * r.uniform(0.55, 0.85));
    const toPort = Math.round(beam / 2);
    const base = {
      mmsi: mmsi === undefined ? this.shipMmsi() : this.reserve(mmsi),
      shipType: r.pick(profile.shipTypes),
      callSign: this.callSign(),
      toBow,
      toStern: length - toBow,
      toPort: Math.min(63, toPort),
      toStarboard: Math.min(63, beam - toPort),
    };
    if (profile.unit === 'B') {
      return {
        ...base,
        unit: 'B',
        name: r.pick(SMALL_CRAFT_NAMES),
        vendorId: r.pick(VENDORS),
      };
    }
    return {
      ...base,
      unit: 'A',
      name: this.shipName(),
      imo: this.imo(),
      draught: Math.round(r.uniform(profile.draughtMeters[0], profile.draughtMeters[1]) * 10) / 10,
      destination: r.pick(DESTINATIONS),
      eta: this.eta(),
    };
  }

  private shipName(): string {
    const r = this.random;
    const name = `${r.pick(NAME_FIRST)} ${r.pick(NAME_SECOND)}`;
    return r.chance(0.3) ? `${name} ${r.int(1, 9)}` : name;
  }

  private callSign(): string {
    const r = this.random;
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    let s = '';
    for (let i = 0; i < 2; i++) s += letters[r.int(0, 25)];
    for (let i = r.int(3, 5); i > 0; i--) s += String(r.int(0, 9));
    return s;
  }

  /** IMO number: seven digits, the last a check digit (Σ dᵢ × (8 − i) for i = 1..6, mod 10). */
  private imo(): number {
    const r = this.random;
    let digits = 9;
    let sum = 9 * 7;
    for (let weight = 6; weight >= 2; weight--) {
      const d = r.int(0, 9);
      digits = digits * 10 + d;
      sum += d * weight;
    }
    return digits * 10 + (sum % 10);
  }

  /** ETA 6 to 72 hours after the scenario start, as type 5 carries it (no year). */
  private eta(): string {
    const at = new Date(this.startMs + this.random.int(6, 72) * 3_600_000);
    const two = (n: number) => String(n).padStart(2, '0');
    return `${two(at.getUTCMonth() + 1)}-${two(at.getUTCDate())}T${two(at.getUTCHours())}:${two(at.getUTCMinutes())}Z`;
  }
}
