import type { AisEncodeInput } from '../ais/encoder.js';
import { writeSentences } from '../ais/sentence-writer.js';
import { type LatLon, normaliseDeg } from '../geo/geodesy.js';
import type { Random } from '../util/random.js';
import type { FeedWriter } from './feed-writer.js';
import { destination, distanceMeters } from './geodesy.js';
import type { VesselIdentity } from './identity.js';
import { packPositionReport } from './position-packer.js';
import { isStationAlive, receptionProbability, type Station } from './receivers.js';
import {
  AID_TO_NAVIGATION_SECONDS,
  BASE_STATION_SECONDS,
  positionIntervalSeconds,
  STATIC_DATA_SECONDS,
} from './reporting-interval.js';
import type { VesselState } from './track.js';
import type { VesselLog, VesselPlan } from './vessel-plan.js';

export interface BroadcastContext {
  readonly stations: readonly Station[];
  readonly startMs: number;
  readonly endMs: number;
  /** Multiplies position-report intervals (1 = ITU-R M.1371 rates); static data stays at 6 min. */
  readonly intervalScale: number;
  readonly feeds: FeedWriter;
}

/** GNSS noise on reported positions, metres (each axis, uniform). */
const POSITION_NOISE_METERS = 1;
const METERS_PER_DEGREE = 111_195;

/**
 * Makes one unit transmit over the scenario — position reports at the ITU-R M.1371 rate for its
 * class, speed and status, static data every 6 minutes — and hands each message to every live
 * station in range, which decodes it with a distance-dependent probability. Returns what was
 * heard, the ground truth for the labels.
 */
export function broadcast(plan: VesselPlan, random: Random, ctx: BroadcastContext): VesselLog {
  const log: VesselLog = {
    plan,
    fixTimesMs: [],
    fixPositions: [],
    sources: new Set(),
    staticReports: 0,
    transmissions: 0,
    crossMemberDuplicates: 0,
  };
  const fromMs = Math.max(ctx.startMs, plan.activeFromMs ?? ctx.startMs);
  const untilMs = Math.min(ctx.endMs, plan.activeUntilMs ?? ctx.endMs);
  if (fromMs >= untilMs) return log;
  const unit = new Transmitter(plan, random, ctx, log);

  let displacement = plan.displacement;
  let t = fromMs + Math.floor(random.next() * unit.intervalMs(plan.track.stateAt(fromMs)));
  while (t < untilMs) {
    const state = plan.track.stateAt(t);
    if (!unit.silent(t)) {
      let reported: LatLon = { lat: state.lat, lon: state.lon };
      let forced = false;
      if (displacement !== undefined && t >= displacement.atMs) {
        reported = destination(reported, displacement.bearingDeg, displacement.distanceMeters);
        log.displaced = { atMs: t, lat: reported.lat, lon: reported.lon };
        displacement = undefined;
        forced = true;
      }
      // Most reports at sea reach no station: only those heard are built and encoded.
      if (unit.listen(state, t, forced) > 0) {
        const report = unit.positionReport(state, reported, t);
        if (unit.deliver(report, t, forced) > 0) {
          log.fixTimesMs.push(t);
          // As the decoder will read it: 1/10 000 minute.
          log.fixPositions.push({
            lat: Math.round(report.lat! * 600_000) / 600_000,
            lon: Math.round(report.lon! * 600_000) / 600_000,
          });
        } else if (forced) {
          throw new Error(
            `Vessel plan ${plan.id}: the displaced report at ${t} was not delivered.`,
          );
        }
      } else if (forced) {
        throw new Error(`Vessel plan ${plan.id}: the displaced report at ${t} is out of coverage.`);
      }
    }
    t += unit.intervalMs(state);
  }

  const kind = plan.identity.unit;
  if (kind === 'A' || kind === 'B') {
    const staticMs = STATIC_DATA_SECONDS * 1000;
    for (let s = fromMs + random.int(0, staticMs - 1); s < untilMs; s += staticMs) {
      if (unit.silent(s)) continue;
      const state = plan.track.stateAt(s);
      if (kind === 'A') {
        if (unit.listen(state, s, false) > 0 && unit.deliver(unit.staticVoyage(), s, false) > 0) {
          log.staticReports++;
        }
      } else {
        // Part A then part B a few seconds later (ITU-R M.1371: part B within a minute of part A).
        if (unit.listen(state, s, false) > 0 && unit.deliver(unit.classBStatic(0), s, false) > 0) {
          log.staticReports++;
        }
        const b = s + random.int(2_000, 8_000);
        if (
          b < untilMs &&
          unit.listen(plan.track.stateAt(b), b, false) > 0 &&
          unit.deliver(unit.classBStatic(1), b, false) > 0
        ) {
          log.staticReports++;
        }
      }
    }
  }
  return log;
}

/** One unit's radio: message building, channel and sequence numbering, reception. */
class Transmitter {
  private readonly identity: VesselIdentity;
  private readonly accuracy: boolean;
  private readonly headingOffsetDeg: number;
  private readonly serial: number;
  private channelA: boolean;
  private sequenceId: number;
  private readonly heard: string[] = [];
  private readonly hearing: Station[] = [];

  constructor(
    private readonly plan: VesselPlan,
    private readonly random: Random,
    private readonly ctx: BroadcastContext,
    private readonly log: VesselLog,
  ) {
    this.identity = plan.identity;
    this.accuracy = random.chance(0.6);
    this.headingOffsetDeg = random.uniform(-3, 3);
    this.serial = random.int(1, 999_999);
    this.channelA = random.chance(0.5);
    this.sequenceId = random.int(0, 9);
  }

  silent(tMs: number): boolean {
    const silences = this.plan.silences;
    if (silences === undefined) return false;
    for (const s of silences) if (tMs >= s.startMs && tMs < s.endMs) return true;
    return false;
  }

  /** Milliseconds to the next position report, with ±2 % slot jitter. */
  intervalMs(state: VesselState): number {
    const kind = this.identity.unit;
    const seconds =
      kind === 'aton'
        ? AID_TO_NAVIGATION_SECONDS
        : kind === 'base'
          ? BASE_STATION_SECONDS
          : positionIntervalSeconds(kind, state.sogKnots, state.navStatus);
    return Math.max(
      1000,
      Math.round(seconds * this.ctx.intervalScale * 1000 * this.random.uniform(0.98, 1.02)),
    );
  }

  positionReport(state: VesselState, at: LatLon, tMs: number): AisEncodeInput {
    const r = this.random;
    const id = this.identity;
    const noise = id.unit === 'base' ? 0 : POSITION_NOISE_METERS;
    const lat = at.lat + r.uniform(-noise, noise) / METERS_PER_DEGREE;
    const lon =
      at.lon + r.uniform(-noise, noise) / (METERS_PER_DEGREE * Math.cos((at.lat * Math.PI) / 180));
    const second = Math.floor(tMs / 1000) % 60;
    const moving = state.sogKnots > 0.05;
    const sog = moving ? Math.max(0, state.sogKnots + r.uniform(-0.1, 0.1)) : 0;
    const cog = tenths(moving ? state.cogDeg + r.uniform(-1, 1) : state.cogDeg);
    switch (id.unit) {
      case 'A':
        return {
          // Type 3 (ITDMA) now and then, type 1 (SOTDMA) mostly, as real class A units do.
          type: r.chance(0.1) ? 3 : 1,
          mmsi: id.mmsi,
          navStatus: state.navStatus,
          rot: 0,
          sog,
          accuracy: this.accuracy,
          lon,
          lat,
          cog,
          heading: Math.round(normaliseDeg(cog + this.headingOffsetDeg)) % 360,
          second,
          radio: r.int(0, 2 ** 19 - 1),
        };
      case 'B':
        return {
          type: 18,
          mmsi: id.mmsi,
          sog,
          accuracy: this.accuracy,
          lon,
          lat,
          cog,
          second,
          cs: true,
          dsc: true,
          band: true,
          msg22: true,
          radio: r.int(0, 2 ** 20 - 1),
        };
      case 'aton':
        return {
          type: 21,
          mmsi: id.mmsi,
          aidType: id.aidType,
          name: id.name,
          accuracy: this.accuracy,
          lon,
          lat,
          toBow: 1,
          toStern: 1,
          toPort: 1,
          toStarboard: 1,
          epfd: 1,
          second,
        };
      case 'base':
        return {
          type: 4,
          mmsi: id.mmsi,
          timestamp: `${new Date(tMs).toISOString().slice(0, 19)}Z`,
          accuracy: true,
          lon,
          lat,
          epfd: 7,
          radio: r.int(0, 2 ** 19 - 1),
        };
    }
  }

  /** Type 5, static and voyage related data. */
  staticVoyage(): AisEncodeInput {
    const id = this.identity;
    return {
      type: 5,
      mmsi: id.mmsi,
      aisVersion: 2,
      imo: id.imo,
      callSign: id.callSign,
      shipName: id.name,
      shipType: id.shipType,
      toBow: id.toBow,
      toStern: id.toStern,
      toPort: id.toPort,
      toStarboard: id.toStarboard,
      epfd: 1,
      eta: id.eta,
      draught: id.draught,
      destination: id.destination,
      dte: 0,
    };
  }

  /** Type 24 part A (name, `part` 0) or B (type, vendor, call sign, dimensions, `part` 1). */
  classBStatic(part: 0 | 1): AisEncodeInput {
    const id = this.identity;
    if (part === 0) return { type: 24, mmsi: id.mmsi, partNo: 0, shipName: id.name };
    return {
      type: 24,
      mmsi: id.mmsi,
      partNo: 1,
      shipType: id.shipType,
      vendorId: id.vendorId,
      model: 1,
      serial: this.serial,
      callSign: id.callSign,
      toBow: id.toBow,
      toStern: id.toStern,
      toPort: id.toPort,
      toStarboard: id.toStarboard,
    };
  }

  /**
   * A message goes out from the unit's true position at `tMs`: finds the live stations in range
   * that decode it (all of them when `forced`). Returns their number; `deliver` sends to them.
   */
  listen(state: VesselState, tMs: number, forced: boolean): number {
    this.log.transmissions++;
    this.channelA = !this.channelA;
    const hearing = this.hearing;
    hearing.length = 0;
    const r = this.random;
    const metersPerDegreeLon = METERS_PER_DEGREE * Math.cos((state.lat * Math.PI) / 180);
    for (const station of this.ctx.stations) {
      const range = station.rangeMeters;
      // Cheap test first: a latitude or longitude difference alone beyond the range.
      if (Math.abs(station.position.lat - state.lat) * METERS_PER_DEGREE > range * 1.01) continue;
      if (Math.abs(station.position.lon - state.lon) * metersPerDegreeLon > range * 1.01) continue;
      if (!isStationAlive(station, tMs)) continue;
      const d = distanceMeters(station.position, state);
      if (d > range) continue;
      if (!forced && !r.chance(receptionProbability(d, range))) continue;
      hearing.push(station);
    }
    return hearing.length;
  }

  /**
   * Encodes `input` once and hands it to the stations `listen` found. Returns the number of
   * members that received a clean copy.
   */
  deliver(input: AisEncodeInput, tMs: number, forced: boolean): number {
    const payload = packPositionReport(input);
    const multi = payload.payload.length > 60;
    const sentences = writeSentences(payload, {
      channel: this.channelA ? 'A' : 'B',
      sequenceId: multi ? this.sequenceId : undefined,
    });
    if (multi) this.sequenceId = (this.sequenceId + 1) % 10;
    const r = this.random;
    const heard = this.heard;
    heard.length = 0;
    for (const station of this.hearing) {
      const latencyMs = r.int(100, 1900);
      const clean = this.ctx.feeds.receive(station, tMs + latencyMs, sentences, r, !forced);
      if (clean && !heard.includes(station.member)) heard.push(station.member);
    }
    for (const member of heard) this.log.sources.add(member);
    if (heard.length >= 2) this.log.crossMemberDuplicates++;
    return heard.length;
  }
}

/** Course in tenths of a degree within [0, 360): the encoder writes 360.0 as an invalid 3600. */
function tenths(deg: number): number {
  const c = Math.round(normaliseDeg(deg) * 10) / 10;
  return c >= 360 ? 0 : c;
}
