import type { LatLon } from '../geo/geodesy.js';
import type { Random } from '../util/random.js';
import { destination } from './geodesy.js';
import { SHIP_PROFILES, type ShipProfile } from './identity.js';
import { NAV_STATUS_AT_ANCHOR, NAV_STATUS_MOORED } from './reporting-interval.js';
import { pointIsClear } from './router.js';
import { finishTrack, type ScenarioContext } from './scenario-context.js';
import { TrackBuilder } from './track.js';
import type { VesselPlan } from './vessel-plan.js';
import type { SimZone } from './zones.js';

/** Shares of background traffic: moored in port, class B under way, class A under way. */
const MOORED_SHARE = 0.12;
const CLASS_B_SHARE = 0.25;

/** Class A traffic under way, by profile (high-speed craft are few: they report every 2 s). */
const UNDERWAY_A: readonly (readonly [ShipProfile, number])[] = [
  [SHIP_PROFILES.cargo, 0.3],
  [SHIP_PROFILES.tanker, 0.2],
  [SHIP_PROFILES.passenger, 0.1],
  [SHIP_PROFILES.fishing, 0.25],
  [SHIP_PROFILES.tug, 0.13],
  [SHIP_PROFILES.highSpeed, 0.02],
];
const MOORED_A = [
  SHIP_PROFILES.cargo,
  SHIP_PROFILES.tanker,
  SHIP_PROFILES.passenger,
  SHIP_PROFILES.tug,
];

/**
 * Traffic without events: ships moored in the ports, class A and B vessels under way on random
 * routes clear of every zone but the EEZ, at their profile's speed. Each vessel has its own
 * random stream, so a scenario with more vessels keeps the first ones as they were.
 */
export function backgroundTraffic(ctx: ScenarioContext, count: number): VesselPlan[] {
  const ports = ctx.world.zones.filter((zone) => zone.kind === 'port');
  const plans: VesselPlan[] = [];
  for (let i = 0; i < count; i++) {
    const r = ctx.random.fork(`vessel-${i}`);
    const id = `background-${String(i + 1).padStart(4, '0')}`;
    const draw = r.next();
    if (draw < MOORED_SHARE && ports.length > 0) {
      const classB = r.chance(0.15);
      const identity = ctx.identities.ship(classB ? SHIP_PROFILES.pleasure : r.pick(MOORED_A));
      const status = r.chance(0.2) ? NAV_STATUS_AT_ANCHOR : NAV_STATUS_MOORED;
      const track = new TrackBuilder(ctx.startMs, pointInZone(r.pick(ports), r), r.uniform(0, 360))
        .stayUntil(ctx.endMs, status)
        .build();
      plans.push({ id, role: 'moored', identity, track });
      continue;
    }
    const profile =
      draw < MOORED_SHARE + CLASS_B_SHARE
        ? r.pick([SHIP_PROFILES.pleasure, SHIP_PROFILES.sailing])
        : weightedPick(r, UNDERWAY_A);
    const identity = ctx.identities.ship(profile);
    const knots = r.uniform(profile.knots[0], profile.knots[1]);
    const builder = new TrackBuilder(ctx.startMs, clearPoint(ctx, r), r.uniform(0, 360));
    plans.push({
      id,
      role: 'transit',
      identity,
      track: finishTrack(ctx, builder, knots, r, profile.navStatus),
    });
  }
  return plans;
}

/** The AIS base station on every station site, sending type 4 base station reports. */
export function baseStationPlans(ctx: ScenarioContext): VesselPlan[] {
  return ctx.world.stations.map((station) => ({
    id: `base-${station.id}`,
    role: 'base-station',
    identity: { mmsi: station.baseStationMmsi, unit: 'base', name: station.id },
    track: new TrackBuilder(ctx.startMs, station.position, 0).stayUntil(ctx.endMs, 15).build(),
  }));
}

function weightedPick<T>(r: Random, items: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const [, weight] of items) total += weight;
  let x = r.uniform(0, total);
  for (const [item, weight] of items) {
    x -= weight;
    if (x < 0) return item;
  }
  return items[items.length - 1]![0];
}

/** A random point of the world box, clear of zones. */
function clearPoint(ctx: ScenarioContext, r: Random): LatLon {
  const b = ctx.world.box;
  for (;;) {
    const p = ctx.world.frame.toLatLon(
      r.uniform(b.minX + 10, b.maxX - 10),
      r.uniform(b.minY + 10, b.maxY - 10),
    );
    if (pointIsClear(ctx.world, p)) return p;
  }
}

/**
 * A random point at least 150 m inside `zone`, so GNSS noise never moves a moored ship's
 * reported position across the boundary.
 */
function pointInZone(zone: SimZone, r: Random): LatLon {
  for (;;) {
    const p = {
      lat: r.uniform(zone.minLat, zone.maxLat),
      lon: r.uniform(zone.minLon, zone.maxLon),
    };
    let inside = zone.contains(p);
    for (let bearing = 0; inside && bearing < 360; bearing += 45) {
      inside = zone.contains(destination(p, bearing, 150));
    }
    if (inside) return p;
  }
}
