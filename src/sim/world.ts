import type { LatLon } from '../geo/geodesy.js';
import type { ZoneKind } from '../zones/zone.js';
import { LocalFrame } from './local-frame.js';
import type { Station } from './receivers.js';
import { SimZone } from './zones.js';

/** Where a scenario happens: station sites, zones and the box traffic stays in. */
export interface World {
  readonly frame: LocalFrame;
  /** Station sites in kilometres from the centre; events are placed relative to sites 0..5. */
  readonly sites: readonly { readonly x: number; readonly y: number }[];
  /** The box traffic stays in, kilometres. */
  readonly box: {
    readonly minX: number;
    readonly maxX: number;
    readonly minY: number;
    readonly maxY: number;
  };
  readonly stations: readonly Station[];
  readonly zones: readonly SimZone[];
  /** Zones that traffic without a zone event keeps out of: every zone but the EEZ. */
  readonly avoidZones: readonly SimZone[];
}

export interface WorldOptions {
  center: LatLon;
  members: readonly string[];
  stationRangeMeters: number;
  startMs: number;
}

/** Distance between neighbouring sites: with a 74 km range, neighbours overlap by ~37 km. */
const SITE_SPACING_KM = 110;
/** Sites alternate this far north and south of the chain's axis. */
const SITE_OFFSET_KM = 8;
/** The receiver outage (DESIGN.md §3 dark gaps: a silence explained by a dead receiver). */
export const OUTAGE_SITE = 0;
export const OUTAGE_START_HOURS = 1.25;
export const OUTAGE_END_HOURS = 4;

/**
 * MIDs (ITU-R M.585) for the base stations of well-known member ids; others take one from
 * `FALLBACK_MIDS` in turn.
 */
const MEMBER_MIDS: Readonly<Record<string, number>> = {
  ca: 316,
  no: 257,
  au: 503,
  nz: 512,
  uk: 232,
  gb: 232,
  ie: 250,
  is: 251,
  dk: 219,
  se: 265,
  fi: 230,
  nl: 244,
  de: 211,
  fr: 227,
  jp: 431,
  kr: 440,
  sg: 563,
  cl: 725,
  za: 601,
  in: 419,
  us: 366,
};
const FALLBACK_MIDS = [219, 230, 244, 265, 211, 227, 250, 512];

export function memberMid(member: string, index: number): number {
  return MEMBER_MIDS[member.toLowerCase()] ?? FALLBACK_MIDS[index % FALLBACK_MIDS.length]!;
}

/**
 * Lays out the scenario: `max(6, 2 × members)` station sites in a chain west to east, owned by
 * the members in turn (neighbouring sites belong to different members, so their overlaps make
 * cross-feed duplicates), coverage holes north and south of the chain and beyond its ends, and
 * the zones the events need (DESIGN.md §3 kinds: two ports, a restricted area, an MPA, an EEZ).
 */
export function buildWorld(options: WorldOptions): World {
  const frame = new LocalFrame(options.center);
  const members = options.members;
  const siteCount = Math.max(6, 2 * members.length);
  const sites: { x: number; y: number }[] = [];
  for (let k = 0; k < siteCount; k++) {
    sites.push({
      x: (k - (siteCount - 1) / 2) * SITE_SPACING_KM,
      y: k % 2 === 0 ? SITE_OFFSET_KM : -SITE_OFFSET_KM,
    });
  }
  const box = {
    minX: sites[0]!.x - 70,
    maxX: sites[siteCount - 1]!.x + 70,
    minY: -115,
    maxY: 115,
  };

  const perMember = new Map<string, number>();
  const stations: Station[] = sites.map((site, k) => {
    const memberIndex = k % members.length;
    const member = members[memberIndex]!;
    const n = (perMember.get(member) ?? 0) + 1;
    perMember.set(member, n);
    const hour = 3_600_000;
    return {
      id: `${member}-${n}`,
      member,
      position: frame.toLatLon(site.x, site.y),
      rangeMeters: options.stationRangeMeters,
      outage:
        k === OUTAGE_SITE
          ? {
              startMs: options.startMs + OUTAGE_START_HOURS * hour,
              endMs: options.startMs + OUTAGE_END_HOURS * hour,
            }
          : undefined,
      baseStationMmsi: memberMid(member, memberIndex) * 10_000 + n,
    };
  });

  const s = (k: number) => sites[k]!;
  const zone = (
    id: string,
    name: string,
    kind: ZoneKind,
    vertices: readonly (readonly [number, number])[],
    zoneMembers?: string[],
  ) =>
    new SimZone(
      { id, name, kind, ...(zoneMembers === undefined ? {} : { members: zoneMembers }) },
      vertices.map(([x, y]) => frame.toLatLon(x, y)),
    );
  const around = (cx: number, cy: number, radii: readonly (readonly [number, number])[]) =>
    radii.map(([angleDeg, r]) => {
      const a = (angleDeg * Math.PI) / 180;
      return [cx + r * Math.cos(a), cy + r * Math.sin(a)] as const;
    });

  const zones = [
    zone(
      'eez-1',
      'Coalition exclusive economic zone',
      'eez',
      [
        [box.minX - 30, box.minY - 30],
        [box.maxX + 30, box.minY - 30],
        [box.maxX + 30, box.maxY + 30],
        [box.minX - 30, box.maxY + 30],
      ],
      [...members],
    ),
    zone('port-1', 'Port of Kestrel Bay', 'port', [
      [s(1).x - 4, s(1).y - 30],
      [s(1).x + 3.5, s(1).y - 30.5],
      [s(1).x + 4, s(1).y - 25],
      [s(1).x + 1, s(1).y - 23.5],
      [s(1).x - 3.5, s(1).y - 24.5],
    ]),
    zone('port-2', 'Gannet Harbour', 'port', [
      [s(4).x - 3.5, s(4).y - 31],
      [s(4).x + 4, s(4).y - 31],
      [s(4).x + 3.5, s(4).y - 25],
      [s(4).x - 4, s(4).y - 25.5],
    ]),
    zone(
      'restricted-1',
      'Exercise area Bravo',
      'restricted',
      around(s(3).x, s(3).y + 38, [
        [0, 12],
        [55, 9.5],
        [110, 9],
        [180, 12],
        [235, 9.5],
        [300, 9],
      ]),
      [members[0]!],
    ),
    zone(
      'mpa-1',
      'Shoal Bank marine park',
      'mpa',
      around(s(5).x, s(5).y + 33, [
        [0, 15],
        [40, 12],
        [90, 10],
        [140, 12],
        [180, 15],
        [220, 12],
        [270, 10],
        [320, 12],
      ]),
    ),
  ];
  return {
    frame,
    sites,
    box,
    stations,
    zones,
    avoidZones: zones.filter((z) => z.kind !== 'eez'),
  };
}
