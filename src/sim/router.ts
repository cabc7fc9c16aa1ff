import type { LatLon } from '../geo/geodesy.js';
import type { Random } from '../util/random.js';
import { destination, distanceMeters, intermediate } from './geodesy.js';
import { NAV_STATUS_UNDERWAY } from './reporting-interval.js';
import type { TrackBuilder } from './track.js';
import type { World } from './world.js';

/** Legs are checked against zones every this many metres. */
const SAMPLE_METERS = 1_000;
/** Clearance kept from zones' bounding boxes, degrees (about 3 km). */
const ZONE_MARGIN_DEG = 0.03;
/** Near the start of a leg only the exact polygon counts: a vessel may start close to a zone. */
const EXACT_NEAR_START_METERS = 6_000;

/**
 * Appends random legs to `builder` until `untilMs`: 25–90 km runs, turning at most 100° at a
 * waypoint, inside the world box and clear of every zone but the EEZ, so traffic without a zone
 * event never makes a zone entry or exit. Speed varies ±5 % from leg to leg.
 */
export function wander(
  builder: TrackBuilder,
  world: World,
  random: Random,
  untilMs: number,
  knots: number,
  navStatus = NAV_STATUS_UNDERWAY,
): void {
  let lastLegStart: LatLon | undefined;
  while (builder.timeMs < untilMs) {
    const from = builder.position;
    let target: LatLon | undefined;
    for (let attempt = 0; attempt < 60 && target === undefined; attempt++) {
      const turn = attempt < 30 ? 100 : 180;
      const bearing = builder.courseDeg + random.uniform(-turn, turn);
      const candidate = destination(from, bearing, random.uniform(25_000, 90_000));
      if (insideBox(world, candidate) && legIsClear(world, from, candidate)) target = candidate;
    }
    // Boxed in: go back the way the vessel came, which is clear.
    target ??= lastLegStart ?? world.frame.toLatLon(0, 0);
    lastLegStart = from;
    builder.sailTo(target, knots * random.uniform(0.95, 1.05), navStatus);
  }
}

export function insideBox(world: World, p: LatLon, marginKm = 5): boolean {
  const { x, y } = world.frame.toKm(p);
  const b = world.box;
  return (
    x >= b.minX + marginKm &&
    x <= b.maxX - marginKm &&
    y >= b.minY + marginKm &&
    y <= b.maxY - marginKm
  );
}

/** True when the great circle `from` → `to` keeps clear of every zone traffic avoids. */
export function legIsClear(world: World, from: LatLon, to: LatLon): boolean {
  // Cheap test first: only zones whose widened box meets the leg's box need sampling. A great
  // circle of under 100 km bulges less than 0.02° beyond the box of its ends.
  const margin = ZONE_MARGIN_DEG + 0.02;
  const near = world.avoidZones.filter(
    (zone) =>
      Math.min(from.lon, to.lon) <= zone.maxLon + margin &&
      Math.max(from.lon, to.lon) >= zone.minLon - margin &&
      Math.min(from.lat, to.lat) <= zone.maxLat + margin &&
      Math.max(from.lat, to.lat) >= zone.minLat - margin,
  );
  if (near.length === 0) return true;
  const meters = distanceMeters(from, to);
  const steps = Math.max(1, Math.ceil(meters / SAMPLE_METERS));
  for (let i = 0; i <= steps; i++) {
    const p = intermediate(from, to, meters, i / steps);
    const nearStart = (i / steps) * meters < EXACT_NEAR_START_METERS;
    for (const zone of near) {
      if (nearStart ? zone.contains(p) : zone.nearBox(p, ZONE_MARGIN_DEG)) return false;
    }
  }
  return true;
}

/** True when `p` is at least the routing margin away from every zone traffic avoids. */
export function pointIsClear(world: World, p: LatLon): boolean {
  for (const zone of world.avoidZones) if (zone.nearBox(p, ZONE_MARGIN_DEG)) return false;
  return true;
}
