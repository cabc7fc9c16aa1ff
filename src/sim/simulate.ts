import { ALERT_KINDS, type AlertKind } from '../detect/alert.js';
import type { LatLon } from '../geo/geodesy.js';
import { createRandom } from '../util/random.js';
import { backgroundTraffic, baseStationPlans } from './background.js';
import { broadcast } from './broadcast.js';
import { coverageCases } from './coverage-cases.js';
import { injectEvents } from './events.js';
import { FeedWriter, type MemberFeed } from './feed-writer.js';
import { hardNegatives } from './hard-negatives.js';
import { IdentityFactory, type UnitKind } from './identity.js';
import { isoSeconds, type Label, zoneCrossingLabels } from './labels.js';
import { MALFORMED_KINDS, type MalformedKind } from './malformed.js';
import { DEFAULT_STATION_RANGE_METERS } from './receivers.js';
import type { ScenarioContext } from './scenario-context.js';
import type { VesselLog, VesselPlan } from './vessel-plan.js';
import { buildWorld } from './world.js';
import { toFeatureCollection, type ZoneCollection } from './zones.js';

export interface SimulateOptions {
  /** Seed of every random choice (default 1): the same options give the same output. */
  seed?: number;
  /** Scenario start, ISO 8601 or epoch milliseconds, whole seconds (default 2024-06-01T00:00:00Z). */
  start?: string | number;
  /** Scenario length in hours, at least 6: the injected events span the first 6 h (default 6). */
  hours?: number;
  /** Background vessels besides the ~27 event vessels and the base stations (default 200). */
  vessels?: number;
  /** Member ids, one feed each (default ca, no, au). Letters, digits, `_` and `-`. */
  members?: readonly string[];
  /**
   * Multiplies the ITU-R M.1371 position-report intervals (default 1; 3 gives a third of the
   * lines). Static data stays every 6 min. Label tolerances grow with it.
   */
  intervalScale?: number;
  /** Share of malformed lines (default 0.002): bad checksums, truncated lines, garbage. */
  malformedRate?: number;
  /** Centre of the scenario (default 56.5° N 3.5° E, the central North Sea). */
  center?: LatLon;
  /** Range of every receiving station, metres (default 40 NM). */
  stationRangeMeters?: number;
}

export const SIMULATE_DEFAULTS = {
  seed: 1,
  start: '2024-06-01T00:00:00Z',
  hours: 6,
  vessels: 200,
  members: ['ca', 'no', 'au'],
  intervalScale: 1,
  malformedRate: 0.002,
  center: { lat: 56.5, lon: 3.5 },
  stationRangeMeters: DEFAULT_STATION_RANGE_METERS,
} as const;

/** The injected events happen within the first 6 hours. */
export const MIN_HOURS = 6;

export interface StationSummary {
  id: string;
  member: string;
  lat: number;
  lon: number;
  rangeMeters: number;
  /** The station heard nothing from `start` to `end` (ISO 8601). */
  outage?: { start: string; end: string };
  /** MMSI of the base station on the site (type 4 reports). */
  baseStationMmsi: number;
}

/** Ground truth per AIS unit: what the coalition's feeds carry of it. */
export interface VesselSummary {
  /** Plan id, unique (two units share an MMSI in the identity conflict). */
  id: string;
  mmsi: number;
  role: string;
  unit: UnitKind;
  name: string;
  shipType?: number;
  /** Members whose feeds carry at least one decodable message of the unit, sorted. */
  sources: string[];
  /**
   * Distinct position reports (types 1, 3, 18, 21, 4) decodable in at least one feed: the
   * fused `reportCount` of DESIGN.md §2.5, however many feeds heard each.
   */
  positionReports: number;
  /** Distinct static messages (type 5, 24 A, 24 B) decodable in at least one feed. */
  staticReports: number;
  /** Messages the unit sent, heard or not. */
  transmissions: number;
}

export interface VesselsSummary {
  count: number;
  byRole: Record<string, number>;
  byUnit: Record<UnitKind, number>;
  list: VesselSummary[];
}

export interface SimulationSummary {
  seed: number;
  start: string;
  end: string;
  hours: number;
  members: string[];
  intervalScale: number;
  malformedRate: number;
  /** Lines written, in all feeds and per member. */
  lines: number;
  linesByMember: Record<string, number>;
  /** AIS messages sent, and received copies over all stations (duplicates included). */
  transmissions: number;
  receptions: number;
  /** Messages heard by stations of two or more members. */
  crossMemberDuplicates: number;
  /** Malformed lines: every one must be rejected by a decoder; no other line is. */
  malformed: Record<MalformedKind | 'total', number> & {
    byMember: Record<string, Record<MalformedKind | 'total', number>>;
  };
  labels: Record<AlertKind, { alert: number; none: number }>;
}

export interface SimulationResult {
  /** One feed per member, lines in receive-time order. */
  feeds: MemberFeed[];
  zones: ZoneCollection;
  /** Sorted by start, kind, MMSI. */
  labels: Label[];
  vessels: VesselsSummary;
  stations: StationSummary[];
  summary: SimulationSummary;
}

/**
 * Generates a labelled multi-member AIS scenario (issue 3, DESIGN.md §2.1 `tidewatch simulate`).
 * Pure and deterministic: no clock, no I/O; the same options give the same result.
 */
export function simulate(options: SimulateOptions = {}): SimulationResult {
  const o = resolveOptions(options);
  const random = createRandom(o.seed);
  const world = buildWorld({
    center: o.center,
    members: o.members,
    stationRangeMeters: o.stationRangeMeters,
    startMs: o.startMs,
  });
  const identities = new IdentityFactory(random.fork('identities'), o.startMs);
  for (const station of world.stations) identities.reserve(station.baseStationMmsi);
  const ctx: ScenarioContext = {
    world,
    startMs: o.startMs,
    endMs: o.endMs,
    intervalScale: o.intervalScale,
    identities,
    random: random.fork('events'),
  };
  const events = injectEvents(ctx);
  const negatives = hardNegatives(ctx);
  const coverage = coverageCases({ ...ctx, random: random.fork('coverage-cases') });
  const plans: VesselPlan[] = [
    ...events.plans,
    ...negatives.plans,
    ...coverage.plans,
    ...baseStationPlans(ctx),
    ...backgroundTraffic({ ...ctx, random: random.fork('background') }, o.vessels),
  ];

  const feeds = new FeedWriter(o.members, o.malformedRate);
  const logs = new Map<string, VesselLog>();
  for (const plan of plans) {
    if (logs.has(plan.id)) throw new Error(`Scenario: duplicate vessel plan id ${plan.id}.`);
    logs.set(
      plan.id,
      broadcast(plan, random.fork(`radio:${plan.id}`), {
        stations: world.stations,
        startMs: o.startMs,
        endMs: o.endMs,
        intervalScale: o.intervalScale,
        feeds,
      }),
    );
  }

  const labels: Label[] = [];
  for (const rule of [...events.rules, ...negatives.rules, ...coverage.rules])
    labels.push(...rule(logs));
  for (const log of logs.values()) {
    const crossings = zoneCrossingLabels(log, world.zones);
    if (log.plan.zoneLabels === false) {
      if (crossings.length > 0) throw new Error(`Scenario: ${log.plan.id} must not cross zones.`);
      continue;
    }
    labels.push(...crossings);
    checkDisplacement(log, world.zones);
  }
  const ordered = labels.map(tidyLabel);
  ordered.sort(
    (a, b) => a.start.localeCompare(b.start) || a.kind.localeCompare(b.kind) || a.mmsi - b.mmsi,
  );

  const memberFeeds = feeds.finish(random.fork('feeds'));
  return {
    feeds: memberFeeds,
    zones: toFeatureCollection(world.zones),
    labels: ordered,
    vessels: summariseVessels(logs),
    stations: world.stations.map((s) => ({
      id: s.id,
      member: s.member,
      lat: s.position.lat,
      lon: s.position.lon,
      rangeMeters: s.rangeMeters,
      ...(s.outage === undefined
        ? {}
        : { outage: { start: isoSeconds(s.outage.startMs), end: isoSeconds(s.outage.endMs) } }),
      baseStationMmsi: s.baseStationMmsi,
    })),
    summary: summarise(o, feeds, memberFeeds, logs, ordered),
  };
}

interface ResolvedOptions {
  seed: number;
  startMs: number;
  endMs: number;
  hours: number;
  vessels: number;
  members: string[];
  intervalScale: number;
  malformedRate: number;
  center: LatLon;
  stationRangeMeters: number;
}

/** Checks every option where it enters, naming the bad value. */
function resolveOptions(options: SimulateOptions): ResolvedOptions {
  const seed = options.seed ?? SIMULATE_DEFAULTS.seed;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`simulate: seed ${seed} is not an integer in 0..4294967295.`);
  }
  const start = options.start ?? SIMULATE_DEFAULTS.start;
  const startMs = typeof start === 'number' ? start : Date.parse(start);
  if (!Number.isFinite(startMs) || startMs % 1000 !== 0) {
    throw new RangeError(
      `simulate: start ${JSON.stringify(start)} is not a time in whole seconds.`,
    );
  }
  const hours = options.hours ?? SIMULATE_DEFAULTS.hours;
  if (!(hours >= MIN_HOURS) || !Number.isFinite(hours)) {
    throw new RangeError(
      `simulate: hours ${hours} is less than ${MIN_HOURS} (the injected events span the first ${MIN_HOURS} h).`,
    );
  }
  const vessels = options.vessels ?? SIMULATE_DEFAULTS.vessels;
  if (!Number.isInteger(vessels) || vessels < 0) {
    throw new RangeError(`simulate: vessels ${vessels} is not a non-negative integer.`);
  }
  const members = [...(options.members ?? SIMULATE_DEFAULTS.members)];
  if (members.length === 0) throw new RangeError('simulate: no members.');
  for (const member of members) {
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(member)) {
      throw new RangeError(
        `simulate: member "${member}" must be 1-32 letters, digits, "_" or "-" (it names a file and tags stations).`,
      );
    }
  }
  if (new Set(members).size !== members.length) {
    throw new RangeError(`simulate: members ${members.join(',')} repeat an id.`);
  }
  const intervalScale = options.intervalScale ?? SIMULATE_DEFAULTS.intervalScale;
  if (!(intervalScale >= 0.5 && intervalScale <= 20)) {
    throw new RangeError(`simulate: intervalScale ${intervalScale} is not within 0.5..20.`);
  }
  const malformedRate = options.malformedRate ?? SIMULATE_DEFAULTS.malformedRate;
  if (!(malformedRate >= 0 && malformedRate <= 0.2)) {
    throw new RangeError(`simulate: malformedRate ${malformedRate} is not within 0..0.2.`);
  }
  const stationRangeMeters = options.stationRangeMeters ?? SIMULATE_DEFAULTS.stationRangeMeters;
  if (!(stationRangeMeters >= 60_000 && stationRangeMeters <= 90_000)) {
    // The event geometry (world.ts) is drawn for ranges near 40 NM.
    throw new RangeError(
      `simulate: stationRangeMeters ${stationRangeMeters} is not within 60000..90000.`,
    );
  }
  return {
    seed,
    startMs,
    endMs: startMs + Math.round(hours * 3_600_000),
    hours,
    vessels,
    members,
    intervalScale,
    malformedRate,
    center: options.center ?? SIMULATE_DEFAULTS.center,
    stationRangeMeters,
  };
}

/** The label's keys in one order, positions to 1e-6° (0.1 m). */
function tidyLabel(l: Label): Label {
  return {
    kind: l.kind,
    mmsi: l.mmsi,
    ...(l.otherMmsi === undefined ? {} : { otherMmsi: l.otherMmsi }),
    ...(l.zoneId === undefined ? {} : { zoneId: l.zoneId }),
    start: l.start,
    ...(l.end === undefined ? {} : { end: l.end }),
    expect: l.expect,
    toleranceSeconds: l.toleranceSeconds,
    lat: Math.round(l.lat * 1e6) / 1e6,
    lon: Math.round(l.lon * 1e6) / 1e6,
    note: l.note,
  };
}

/** A displaced report must not change the zones the vessel is in (it would be a zone event). */
function checkDisplacement(log: VesselLog, zones: ScenarioContext['world']['zones']): void {
  const displaced = log.displaced;
  if (displaced === undefined) return;
  const truth = log.plan.track.positionAt(displaced.atMs);
  for (const zone of zones) {
    if (zone.contains(truth) !== zone.contains(displaced)) {
      throw new Error(`Scenario: the displaced report of ${log.plan.id} crosses zone ${zone.id}.`);
    }
  }
}

function summariseVessels(logs: ReadonlyMap<string, VesselLog>): VesselsSummary {
  const byRole: Record<string, number> = {};
  const byUnit: Record<UnitKind, number> = { A: 0, B: 0, aton: 0, base: 0 };
  const list: VesselSummary[] = [];
  for (const log of logs.values()) {
    const { plan } = log;
    byRole[plan.role] = (byRole[plan.role] ?? 0) + 1;
    byUnit[plan.identity.unit]++;
    list.push({
      id: plan.id,
      mmsi: plan.identity.mmsi,
      role: plan.role,
      unit: plan.identity.unit,
      name: plan.identity.name,
      ...(plan.identity.shipType === undefined ? {} : { shipType: plan.identity.shipType }),
      sources: [...log.sources].sort(),
      positionReports: log.fixTimesMs.length,
      staticReports: log.staticReports,
      transmissions: log.transmissions,
    });
  }
  return { count: list.length, byRole, byUnit, list };
}

function summarise(
  o: ResolvedOptions,
  feeds: FeedWriter,
  memberFeeds: readonly MemberFeed[],
  logs: ReadonlyMap<string, VesselLog>,
  labels: readonly Label[],
): SimulationSummary {
  const linesByMember: Record<string, number> = {};
  const total = { total: 0 } as Record<MalformedKind | 'total', number>;
  for (const kind of MALFORMED_KINDS) total[kind] = 0;
  const byMember: Record<string, Record<MalformedKind | 'total', number>> = {};
  let lines = 0;
  let receptions = 0;
  for (const feed of memberFeeds) {
    const stats = feeds.stats(feed.member);
    linesByMember[feed.member] = feed.lines.length;
    lines += feed.lines.length;
    receptions += stats.messages;
    const mine = { total: 0 } as Record<MalformedKind | 'total', number>;
    for (const kind of MALFORMED_KINDS) {
      mine[kind] = stats.malformed[kind];
      mine.total += stats.malformed[kind];
      total[kind] += stats.malformed[kind];
      total.total += stats.malformed[kind];
    }
    byMember[feed.member] = mine;
  }
  let transmissions = 0;
  let crossMemberDuplicates = 0;
  for (const log of logs.values()) {
    transmissions += log.transmissions;
    crossMemberDuplicates += log.crossMemberDuplicates;
  }
  const byKind = {} as Record<AlertKind, { alert: number; none: number }>;
  for (const kind of ALERT_KINDS) byKind[kind] = { alert: 0, none: 0 };
  for (const label of labels) byKind[label.kind][label.expect]++;
  return {
    seed: o.seed,
    start: isoSeconds(o.startMs),
    end: isoSeconds(o.endMs),
    hours: o.hours,
    members: o.members,
    intervalScale: o.intervalScale,
    malformedRate: o.malformedRate,
    lines,
    linesByMember,
    transmissions,
    receptions,
    crossMemberDuplicates,
    malformed: { ...total, byMember },
    labels: byKind,
  };
}
