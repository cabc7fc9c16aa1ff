/**
 * Silences the coalition's coverage explains, and dark gaps it does not (issue 14): the cases a
 * `dark_gap` rule must judge by what the receivers could really have heard. Geometry is drawn
 * from the station sites of `world.ts` (a 74 km range, sites 110 km apart, 8 km either side of
 * the chain's axis), so holes between receivers and the edges of coverage are where they are.
 *
 * Hard negatives (`expect: 'none'`; their transponders never stop):
 * - **hole transits**: a vessel leaves one receiver's range, crosses a stretch no receiver hears
 *   (between two sites, 57–64 km off the axis) in 2 h 10 min – 2 h 35 min and is heard again on
 *   the far side;
 * - **edge dwellers**: a fishing vessel weaves across the edge of one receiver's range (70 to
 *   86 km out), heard now and then, silent for two hours and more between;
 * - **cold starts**: a vessel heard only in the first minutes, at the edge, sailing out and back
 *   in after some 4 h, before the model has learned anything of that sea;
 * - **departures**: a vessel that sails out of coverage for good.
 *
 * Events (`expect: 'alert'`): transponders switched off for 2 h 15 min – 2 h 50 min inside solid
 * coverage on the chain's axis, and just inside the edge of a receiver's range on a vessel
 * heading in (the gap begins at the edge, but the way it sails silently is heard).
 */

import type { LatLon } from '../geo/geodesy.js';
import { SHIP_PROFILES } from './identity.js';
import { isoSeconds, type LabelRule, silenceAround } from './labels.js';
import { stationsInRange } from './receivers.js';
import { NAV_STATUS_FISHING } from './reporting-interval.js';
import { legIsClear } from './router.js';
import {
  finishTrack,
  fixedLabel,
  hoursIn,
  located,
  logOf,
  MINUTE_MS,
  type ScenarioContext,
  type ScenarioPart,
  silenceLabel,
} from './scenario-context.js';
import { TrackBuilder } from './track.js';
import { OUTAGE_SITE } from './world.js';

const HOUR_MS = 60 * MINUTE_MS;
const KM_PER_KNOT_HOUR = 1.852;

export function coverageCases(ctx: ScenarioContext): ScenarioPart {
  const parts = [
    ...holeTransits(ctx, 4),
    ...edgeDwellers(ctx, 2),
    ...coldStarts(ctx, 2),
    ...departures(ctx, 2),
    ...gapsInSolidCoverage(ctx, 2),
    ...gapsFromTheEdge(ctx, 2),
  ];
  return { plans: parts.flatMap((p) => p.plans), rules: parts.flatMap((p) => p.rules) };
}

/** True when some station has (x, y) km within its range. */
function heard(ctx: ScenarioContext, x: number, y: number): boolean {
  return stationsInRange(ctx.world.stations, ctx.world.frame.toLatLon(x, y)).length > 0;
}

function at(ctx: ScenarioContext, x: number, y: number): LatLon {
  return ctx.world.frame.toLatLon(x, y);
}

/** Whether every leg of `points` keeps clear of the zones traffic avoids. */
function clear(ctx: ScenarioContext, points: readonly LatLon[]): boolean {
  for (let i = 1; i < points.length; i++) {
    if (!legIsClear(ctx.world, points[i - 1]!, points[i]!)) return false;
  }
  return true;
}

/** The point `r` km from site `k` on bearing `angleDeg` (0 = east, 90 = north), in km. */
function polar(ctx: ScenarioContext, k: number, r: number, angleDeg: number) {
  const site = ctx.world.sites[k]!;
  const a = (angleDeg * Math.PI) / 180;
  return { x: site.x + r * Math.cos(a), y: site.y + r * Math.sin(a) };
}

/** The side of the axis site `k` stands on: +1 north, -1 south; only it hears far out there. */
function outward(ctx: ScenarioContext, k: number): number {
  return ctx.world.sites[k]!.y >= 0 ? 1 : -1;
}

function holeTransits(ctx: ScenarioContext, count: number): ScenarioPart[] {
  const r = ctx.random.fork('hole-transits');
  const sites = ctx.world.sites;
  const parts: ScenarioPart[] = [];
  const candidates: { k: number; side: number }[] = [];
  for (let k = 0; k + 1 < sites.length; k++) candidates.push({ k, side: 1 }, { k, side: -1 });
  for (let attempt = 0; attempt < 60 && parts.length < count; attempt++) {
    const { k, side } = candidates[r.int(0, candidates.length - 1)]!;
    const y = side * r.uniform(57, 64);
    const a = sites[k]!.x;
    const b = sites[k + 1]!.x;
    let entry = Number.NaN;
    let exit = Number.NaN;
    for (let x = a; x <= b; x += 0.25) {
      const h = heard(ctx, x, y);
      if (!h && Number.isNaN(entry)) entry = x;
      if (h && !Number.isNaN(entry)) {
        exit = x;
        break;
      }
    }
    if (Number.isNaN(exit)) continue;
    const hours = r.uniform(2.17, 2.58);
    const knots = (exit - entry) / hours / KM_PER_KNOT_HOUR;
    if (knots < 5 || knots > 15) continue;
    const eastward = r.int(0, 1) === 1;
    const dir = eastward ? 1 : -1;
    const [from, to] = eastward ? [entry, exit] : [exit, entry];
    const entryMs = hoursIn(ctx, r.uniform(0.75, 2));
    const lead = (knots * KM_PER_KNOT_HOUR * (entryMs - ctx.startMs)) / HOUR_MS;
    const points = [at(ctx, from - dir * lead, y), at(ctx, from, y), at(ctx, to + dir * 30, y)];
    if (!clear(ctx, points)) continue;
    const id = `hole-transit-${parts.length + 1}`;
    const ship = ctx.identities.ship(
      r.int(0, 1) === 0 ? SHIP_PROFILES.cargo : SHIP_PROFILES.tanker,
    );
    const track = finishTrack(
      ctx,
      new TrackBuilder(ctx.startMs, points[0]!, eastward ? 90 : 270)
        .sailTo(points[1]!, knots)
        .sailTo(points[2]!, knots),
      knots,
      r,
    );
    const exitMs = entryMs + ((to - from) * dir * HOUR_MS) / (knots * KM_PER_KNOT_HOUR);
    parts.push({
      plans: [{ id, role: 'hole-transit', identity: ship, track }],
      rules: [
        silenceLabel(id, track, entryMs, exitMs, {
          kind: 'dark_gap',
          mmsi: ship.mmsi,
          expect: 'none',
          toleranceSeconds: 600,
          note: `transits the ${Math.round(Math.abs(exit - entry))} km hole between the ranges of ${ctx.world.stations[k]!.id} and ${ctx.world.stations[k + 1]!.id} (${Math.round(Math.abs(y))} km off the axis) at ${knots.toFixed(1)} kn, transmitting throughout: nobody could hear it`,
        }),
      ],
    });
  }
  return parts;
}

function edgeDwellers(ctx: ScenarioContext, count: number): ScenarioPart[] {
  const r = ctx.random.fork('edge-dwellers');
  const parts: ScenarioPart[] = [];
  for (let attempt = 0; attempt < 40 && parts.length < count; attempt++) {
    const k = r.int(0, ctx.world.sites.length - 1);
    const side = outward(ctx, k);
    const base = side * 90 + r.uniform(-30, 30);
    const turn = r.int(0, 1) === 1 ? 1 : -1;
    const points: LatLon[] = [];
    for (let i = 0; i < 8; i++) {
      const p = polar(ctx, k, i % 2 === 0 ? 70 : 86, base + turn * (i * 6 - 21));
      points.push(at(ctx, p.x, p.y));
    }
    if (!clear(ctx, points)) continue;
    const id = `edge-dweller-${parts.length + 1}`;
    const ship = ctx.identities.ship(SHIP_PROFILES.fishing);
    const builder = new TrackBuilder(ctx.startMs, points[0]!, 0);
    for (let i = 1; builder.timeMs < ctx.endMs; i++) {
      builder.sailTo(points[i % points.length]!, 5, NAV_STATUS_FISHING);
    }
    const track = builder.build();
    parts.push({
      plans: [{ id, role: 'edge-dweller', identity: ship, track }],
      rules: [
        fixedLabel(track, ctx.startMs, ctx.endMs, {
          kind: 'dark_gap',
          mmsi: ship.mmsi,
          expect: 'none',
          toleranceSeconds: 0,
          note: `fishing vessel weaves 70-86 km from ${ctx.world.stations[k]!.id} (range 74 km) at 5 kn all scenario, heard now and then at the edge, transmitting throughout`,
        }),
      ],
    });
  }
  return parts;
}

function coldStarts(ctx: ScenarioContext, count: number): ScenarioPart[] {
  const r = ctx.random.fork('cold-starts');
  const parts: ScenarioPart[] = [];
  for (let attempt = 0; attempt < 40 && parts.length < count; attempt++) {
    const k = r.int(0, ctx.world.sites.length - 1);
    const angle = outward(ctx, k) * 90 + r.uniform(-35, 35);
    const start = polar(ctx, k, 72, angle);
    const far = polar(ctx, k, 96, angle);
    const back = polar(ctx, k, 55, angle);
    const points = [at(ctx, start.x, start.y), at(ctx, far.x, far.y), at(ctx, back.x, back.y)];
    if (!clear(ctx, points)) continue;
    const id = `cold-start-${parts.length + 1}`;
    const ship = ctx.identities.ship(SHIP_PROFILES.cargo);
    const knots = r.uniform(6, 7);
    const track = finishTrack(
      ctx,
      new TrackBuilder(ctx.startMs, points[0]!, 0)
        .sailTo(points[1]!, knots)
        .sailTo(points[2]!, knots),
      knots,
      r,
    );
    parts.push({
      plans: [{ id, role: 'cold-start', identity: ship, track }],
      rules: [
        silenceLabel(id, track, ctx.startMs, hoursIn(ctx, 3.5), {
          kind: 'dark_gap',
          mmsi: ship.mmsi,
          expect: 'none',
          toleranceSeconds: 600,
          note: `heard in the first minutes 72 km from ${ctx.world.stations[k]!.id} (the edge of its range), sails 24 km out and back in at ${knots.toFixed(1)} kn, transmitting throughout: a silence from the very start, before any coverage was learned there`,
        }),
      ],
    });
  }
  return parts;
}

function departures(ctx: ScenarioContext, count: number): ScenarioPart[] {
  const r = ctx.random.fork('departures');
  const parts: ScenarioPart[] = [];
  for (let attempt = 0; attempt < 40 && parts.length < count; attempt++) {
    const k = r.int(0, ctx.world.sites.length - 1);
    const side = outward(ctx, k);
    const angle = side * 90 + r.uniform(-25, 25);
    const start = polar(ctx, k, 40, angle);
    const out = polar(ctx, k, 40 + 90, angle);
    const along = { x: out.x + (out.x > 0 ? -120 : 120), y: out.y };
    const points = [at(ctx, start.x, start.y), at(ctx, out.x, out.y), at(ctx, along.x, along.y)];
    if (!clear(ctx, points)) continue;
    const id = `departure-${parts.length + 1}`;
    const ship = ctx.identities.ship(SHIP_PROFILES.tanker);
    const knots = r.uniform(10, 14);
    const builder = new TrackBuilder(ctx.startMs, points[0]!, 0)
      .sailTo(points[1]!, knots)
      .sailTo(points[2]!, knots);
    if (builder.timeMs < ctx.endMs) builder.stayUntil(ctx.endMs, 0);
    const track = builder.build();
    const leftMs = ctx.startMs + ((74 - 40) / (knots * KM_PER_KNOT_HOUR)) * HOUR_MS;
    parts.push({
      plans: [{ id, role: 'departure', identity: ship, track }],
      rules: [
        fixedLabel(track, leftMs - 30 * MINUTE_MS, ctx.endMs, {
          kind: 'dark_gap',
          mmsi: ship.mmsi,
          expect: 'none',
          toleranceSeconds: 600,
          note: `sails out of the range of ${ctx.world.stations[k]!.id} at ${knots.toFixed(1)} kn and never comes back, transmitting throughout`,
        }),
      ],
    });
  }
  return parts;
}

/** A vessel sailing `from` → `to` (km) that switches off at `offMs` for `offHours`. */
function trueGap(
  ctx: ScenarioContext,
  id: string,
  role: string,
  points: readonly LatLon[],
  knots: number,
  offMs: number,
  onMs: number,
  note: (from: LatLon, to: LatLon) => string,
  random: ReturnType<ScenarioContext['random']['fork']>,
): ScenarioPart {
  const ship = ctx.identities.ship(SHIP_PROFILES.cargo);
  const builder = new TrackBuilder(ctx.startMs, points[0]!, 0);
  for (let i = 1; i < points.length; i++) builder.sailTo(points[i]!, knots);
  const track = finishTrack(ctx, builder, knots, random);
  const rule: LabelRule = (logs) => {
    const gap = silenceAround(logOf(logs, id), offMs, onMs);
    return [
      located(track, gap.startMs, gap.endMs, {
        kind: 'dark_gap',
        mmsi: ship.mmsi,
        expect: 'alert',
        toleranceSeconds: 60,
        note: `${note(track.positionAt(gap.startMs), track.positionAt(gap.endMs))}; off from ${isoSeconds(offMs)} for ${Math.round((onMs - offMs) / MINUTE_MS)} min at ${knots.toFixed(1)} kn; start = last fix, end = first fix after`,
      }),
    ];
  };
  return {
    plans: [{ id, role, identity: ship, track, silences: [{ startMs: offMs, endMs: onMs }] }],
    rules: [rule],
  };
}

function gapsInSolidCoverage(ctx: ScenarioContext, count: number): ScenarioPart[] {
  const r = ctx.random.fork('solid-gaps');
  const sites = ctx.world.sites;
  const parts: ScenarioPart[] = [];
  for (let attempt = 0; attempt < 40 && parts.length < count; attempt++) {
    const knots = r.uniform(6, 13);
    const offMs = hoursIn(ctx, r.uniform(1.25, 2.5));
    const onMs = offMs + r.uniform(2.25, 2.85) * HOUR_MS;
    const run = (knots * KM_PER_KNOT_HOUR * (onMs - ctx.startMs + HOUR_MS / 2)) / HOUR_MS;
    // East of the outage site's range: a gap there while it is down is explained.
    const west = sites[OUTAGE_SITE + 1]!.x;
    const east = sites[sites.length - 1]!.x - 20;
    if (run > east - west) continue;
    const x0 = r.uniform(west, east - run);
    const y = r.uniform(-10, 5);
    const eastward = r.int(0, 1) === 1;
    const [a, b] = eastward ? [x0, x0 + run] : [x0 + run, x0];
    const points = [at(ctx, a, y), at(ctx, b, y + r.uniform(-3, 3))];
    if (!clear(ctx, points)) continue;
    const id = `solid-gap-${parts.length + 1}`;
    parts.push(
      trueGap(
        ctx,
        id,
        'solid-gap',
        points,
        knots,
        offMs,
        onMs,
        (from, to) =>
          `transponder off on the chain's axis in solid coverage (last fix in range of ${stationsInRange(ctx.world.stations, from).join(', ')}, reappears in range of ${stationsInRange(ctx.world.stations, to).join(', ')})`,
        r,
      ),
    );
  }
  return parts;
}

function gapsFromTheEdge(ctx: ScenarioContext, count: number): ScenarioPart[] {
  const r = ctx.random.fork('edge-gaps');
  const parts: ScenarioPart[] = [];
  for (let attempt = 0; attempt < 40 && parts.length < count; attempt++) {
    const k = r.int(0, ctx.world.sites.length - 1);
    if (k === OUTAGE_SITE) continue; // down during the gaps: nobody hears that edge then
    const angle = outward(ctx, k) * 90 + r.uniform(-25, 25);
    const knots = r.uniform(8, 11);
    const offMs = hoursIn(ctx, r.uniform(1.25, 2.25));
    const onMs = offMs + r.uniform(2.25, 2.75) * HOUR_MS;
    const r0 = 71 + (knots * KM_PER_KNOT_HOUR * (offMs - ctx.startMs)) / HOUR_MS;
    const start = polar(ctx, k, r0, angle);
    const inside = polar(ctx, k, 71, angle);
    const through = polar(ctx, k, 5, angle);
    const points = [
      at(ctx, start.x, start.y),
      at(ctx, inside.x, inside.y),
      at(ctx, through.x, through.y),
    ];
    if (!clear(ctx, points)) continue;
    const id = `edge-gap-${parts.length + 1}`;
    const station = ctx.world.stations[k]!.id;
    parts.push(
      trueGap(
        ctx,
        id,
        'edge-gap',
        points,
        knots,
        offMs,
        onMs,
        () =>
          `heading in to ${station}, transponder off 3 km inside the edge of its range; the way it sails silently is in solid coverage`,
        r,
      ),
    );
  }
  return parts;
}
