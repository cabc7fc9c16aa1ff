import { KNOT_METERS_PER_SECOND, type LatLon } from '../geo/geodesy.js';
import type { Random } from '../util/random.js';
import type { IdentityFactory } from './identity.js';
import { isoSeconds, type Label, type LabelRule, silenceAround } from './labels.js';
import { NAV_STATUS_UNDERWAY } from './reporting-interval.js';
import { wander } from './router.js';
import type { Track, TrackBuilder } from './track.js';
import type { VesselLog, VesselPlan } from './vessel-plan.js';
import type { World } from './world.js';

/** What event and traffic builders share: the world, the clock and the seeded sources. */
export interface ScenarioContext {
  readonly world: World;
  readonly startMs: number;
  readonly endMs: number;
  readonly intervalScale: number;
  readonly identities: IdentityFactory;
  readonly random: Random;
}

/** Vessels and the label rules that describe what they do. */
export interface ScenarioPart {
  plans: VesselPlan[];
  rules: LabelRule[];
}

export const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** The scenario time `h` hours after its start. */
export function hoursIn(ctx: ScenarioContext, h: number): number {
  return ctx.startMs + h * HOUR_MS;
}

/** Metres covered in `hours` at `knots`. */
export function runMeters(knots: number, hours: number): number {
  return knots * KNOT_METERS_PER_SECOND * hours * 3600;
}

/** The point `dx` km east and `dy` km north of station site `k`. */
export function nearSite(ctx: ScenarioContext, k: number, dx: number, dy: number): LatLon {
  const site = ctx.world.sites[k]!;
  return ctx.world.frame.toLatLon(site.x + dx, site.y + dy);
}

/** Ends a voyage with random legs clear of zones until the scenario ends, then builds it. */
export function finishTrack(
  ctx: ScenarioContext,
  builder: TrackBuilder,
  knots: number,
  random: Random,
  navStatus = NAV_STATUS_UNDERWAY,
): Track {
  if (builder.timeMs < ctx.endMs) wander(builder, ctx.world, random, ctx.endMs, knots, navStatus);
  return builder.build();
}

/**
 * A detector's start is judged against the true start within `baseSeconds` plus three report
 * intervals (it can only notice at a fix, and fixes are lost now and then).
 */
export function tolerance(
  ctx: ScenarioContext,
  baseSeconds: number,
  intervalSeconds: number,
): number {
  return Math.ceil(baseSeconds + 3 * intervalSeconds * ctx.intervalScale);
}

/** The log of plan `id` (a rule asking for an unknown plan is a bug in the scenario). */
export function logOf(logs: ReadonlyMap<string, VesselLog>, id: string): VesselLog {
  const log = logs.get(id);
  if (log === undefined) throw new Error(`Scenario: no vessel plan ${id}.`);
  return log;
}

/** A label rule with fixed times, positioned on `track` at `startMs`. */
export function fixedLabel(
  track: Track,
  startMs: number,
  endMs: number | undefined,
  label: Omit<Label, 'start' | 'end' | 'lat' | 'lon'>,
): LabelRule {
  return () => [located(track, startMs, endMs, label)];
}

/**
 * A label rule for the silence of plan `id` around [`fromMs`, `untilMs`] (`silenceAround`):
 * `label` from its last fix before to its first fix after, positioned on `track`.
 */
export function silenceLabel(
  id: string,
  track: Track,
  fromMs: number,
  untilMs: number,
  label: Omit<Label, 'start' | 'end' | 'lat' | 'lon'>,
): LabelRule {
  return (logs) => {
    const gap = silenceAround(logOf(logs, id), fromMs, untilMs);
    return [located(track, gap.startMs, gap.endMs, label)];
  };
}

/** `label` with its times and the position of `track` at `startMs`. */
export function located(
  track: Track,
  startMs: number,
  endMs: number | undefined,
  label: Omit<Label, 'start' | 'end' | 'lat' | 'lon'>,
): Label {
  const p = track.positionAt(Math.min(Math.max(startMs, track.startMs), track.endMs));
  return {
    ...label,
    start: isoSeconds(startMs),
    ...(endMs === undefined ? {} : { end: isoSeconds(endMs) }),
    lat: p.lat,
    lon: p.lon,
  };
}
