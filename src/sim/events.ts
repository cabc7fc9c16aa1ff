/**
 * The injected events: one or more of every alert kind of DESIGN.md §3 at the default
 * thresholds, each with its label. Zone entries and exits are labelled from the tracks
 * (`labels.ts`), the rest here. Geometry is drawn relative to station sites 0..5 (`world.ts`):
 * every event happens well inside live coverage, away from zones it is not about.
 */

import type { LatLon } from '../geo/geodesy.js';
import { destination } from './geodesy.js';
import { SHIP_PROFILES, type VesselIdentity } from './identity.js';
import { isoSeconds, type LabelRule, silenceAround } from './labels.js';
import { stationsInRange } from './receivers.js';
import { NAV_STATUS_FISHING, NAV_STATUS_UNDERWAY } from './reporting-interval.js';
import {
  finishTrack,
  fixedLabel,
  hoursIn,
  located,
  logOf,
  MINUTE_MS,
  nearSite,
  runMeters,
  type ScenarioContext,
  type ScenarioPart,
  tolerance,
} from './scenario-context.js';
import { type Track, TrackBuilder } from './track.js';

function duration(ms: number): string {
  const minutes = Math.round(ms / MINUTE_MS);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

export function injectEvents(ctx: ScenarioContext): ScenarioPart {
  const parts = [
    rendezvous(ctx),
    loitering(ctx),
    darkGap(ctx),
    zoneCrossings(ctx),
    positionJump(ctx),
    identityConflict(ctx),
    invalidIdentities(ctx),
  ];
  return { plans: parts.flatMap((p) => p.plans), rules: parts.flatMap((p) => p.rules) };
}

/**
 * Two vessels meet at sea, lie 120 m apart drifting at 0.4 kn for 2 h 45 min, then part
 * (GFW encounter: < 500 m, < 2 kn, ≥ 2 h). Too short to be loitering (< 4 h).
 */
function rendezvous(ctx: ScenarioContext): ScenarioPart {
  const r = ctx.random.fork('rendezvous');
  const t0 = hoursIn(ctx, 1);
  const t1 = hoursIn(ctx, 3.75);
  const meetA = nearSite(ctx, 1, 15, 43);
  const meetB = destination(meetA, 90, 120);
  const carrier = ctx.identities.ship(SHIP_PROFILES.cargo);
  const fisher = ctx.identities.ship(SHIP_PROFILES.fishing);
  const trackA = finishTrack(
    ctx,
    new TrackBuilder(ctx.startMs, destination(meetA, 270, runMeters(10, 1)), 90)
      .sailToBy(meetA, t0)
      .sail(200, 0.4, t1 - t0),
    11,
    r,
  );
  const trackB = finishTrack(
    ctx,
    new TrackBuilder(ctx.startMs, destination(meetB, 0, runMeters(9, 1)), 180)
      .sailToBy(meetB, t0)
      .sail(200, 0.4, t1 - t0),
    9,
    r,
    NAV_STATUS_FISHING,
  );
  const where = stationsInRange(ctx.world.stations, meetA).join(', ');
  const slow = `under 2 kn for ${duration(t1 - t0)} only (loitering needs 4 h)`;
  return {
    plans: [
      { id: 'rendezvous-a', role: 'rendezvous', identity: carrier, track: trackA },
      { id: 'rendezvous-b', role: 'rendezvous', identity: fisher, track: trackB },
    ],
    rules: [
      fixedLabel(trackA, t0, t1, {
        kind: 'rendezvous',
        mmsi: carrier.mmsi,
        otherMmsi: fisher.mmsi,
        expect: 'alert',
        toleranceSeconds: tolerance(ctx, 300, 10),
        note: `cargo ship and fishing vessel lie 120 m apart drifting at 0.4 kn for ${duration(t1 - t0)}, outside ports, in coverage of ${where}; the alert is due 2 h after start`,
      }),
      fixedLabel(trackA, t0, t1, {
        kind: 'loitering',
        mmsi: carrier.mmsi,
        expect: 'none',
        toleranceSeconds: 600,
        note: `rendezvous vessel ${slow}`,
      }),
      fixedLabel(trackB, t0, t1, {
        kind: 'loitering',
        mmsi: fisher.mmsi,
        expect: 'none',
        toleranceSeconds: 600,
        note: `rendezvous vessel ${slow}`,
      }),
    ],
  };
}

/** A tanker arrives, drifts at 0.4–1.5 kn for 4 h 45 min outside ports, then sails on. */
function loitering(ctx: ScenarioContext): ScenarioPart {
  const r = ctx.random.fork('loitering');
  const t0 = hoursIn(ctx, 0.75);
  const t1 = hoursIn(ctx, 5.5);
  const spot = nearSite(ctx, 4, -15, 27);
  const tanker = ctx.identities.ship(SHIP_PROFILES.tanker);
  const builder = new TrackBuilder(
    ctx.startMs,
    destination(spot, 315, runMeters(11, 0.75)),
    135,
  ).sailToBy(spot, t0);
  while (builder.timeMs < t1) {
    const legMs = Math.min(r.int(25, 45) * MINUTE_MS, t1 - builder.timeMs);
    builder.sail(r.uniform(0, 360), r.uniform(0.4, 1.5), legMs);
  }
  const track = finishTrack(ctx, builder, 11, r);
  return {
    plans: [{ id: 'loitering', role: 'loitering', identity: tanker, track }],
    rules: [
      fixedLabel(track, t0, t1, {
        kind: 'loitering',
        mmsi: tanker.mmsi,
        expect: 'alert',
        toleranceSeconds: tolerance(ctx, 300, 10),
        note: `tanker drifts at 0.4-1.5 kn for ${duration(t1 - t0)} outside ports, in coverage of ${stationsInRange(ctx.world.stations, spot).join(', ')}; the alert is due 4 h after start`,
      }),
    ],
  };
}

/**
 * A cargo ship switches its transponder off for 2 h 30 min while sailing at 9 kn through the
 * middle of live coverage: its last and its dead-reckoned positions are covered throughout.
 */
function darkGap(ctx: ScenarioContext): ScenarioPart {
  const r = ctx.random.fork('dark-gap');
  const offMs = hoursIn(ctx, 1.25);
  const onMs = hoursIn(ctx, 3.75);
  const ship = ctx.identities.ship(SHIP_PROFILES.cargo);
  const track = finishTrack(
    ctx,
    new TrackBuilder(ctx.startMs, nearSite(ctx, 1, 35, -17), 90).sailTo(
      nearSite(ctx, 3, -15, -17),
      9,
    ),
    9,
    r,
  );
  const rule: LabelRule = (logs) => {
    const gap = silenceAround(logOf(logs, 'dark-gap'), offMs, onMs);
    const from = track.positionAt(gap.startMs);
    const to = track.positionAt(gap.endMs);
    return [
      located(track, gap.startMs, gap.endMs, {
        kind: 'dark_gap',
        mmsi: ship.mmsi,
        expect: 'alert',
        toleranceSeconds: 60,
        note: `transponder off for ${duration(gap.endMs - gap.startMs)} at 9 kn in live coverage (last fix heard by ${stationsInRange(ctx.world.stations, from).join(', ')}, reappears in range of ${stationsInRange(ctx.world.stations, to).join(', ')}); start = last fix, end = first fix after; the alert is due 2 h after start`,
      }),
    ];
  };
  return {
    plans: [
      {
        id: 'dark-gap',
        role: 'dark-gap',
        identity: ship,
        track,
        silences: [{ startMs: offMs, endMs: onMs }],
      },
    ],
    rules: [rule],
  };
}

/**
 * Zone traffic; the labels come from the tracks (`zoneCrossingLabels`): a cargo ship crosses the
 * restricted area, a fishing vessel the MPA, and another fishing vessel starts inside the MPA
 * (its first fix is no entry) and leaves it.
 */
function zoneCrossings(ctx: ScenarioContext): ScenarioPart {
  const r = ctx.random.fork('zones');
  const cargo = ctx.identities.ship(SHIP_PROFILES.cargo);
  const fisher = ctx.identities.ship(SHIP_PROFILES.fishing);
  const inside = ctx.identities.ship(SHIP_PROFILES.fishing);
  return {
    plans: [
      {
        id: 'zone-restricted',
        role: 'zone-crossing',
        identity: cargo,
        track: finishTrack(
          ctx,
          new TrackBuilder(ctx.startMs, nearSite(ctx, 3, -50, 38), 90).sailTo(
            nearSite(ctx, 3, 50, 38),
            10,
          ),
          10,
          r,
        ),
      },
      {
        id: 'zone-mpa',
        role: 'zone-crossing',
        identity: fisher,
        track: finishTrack(
          ctx,
          new TrackBuilder(ctx.startMs, nearSite(ctx, 5, 0, -17), 0).sailTo(
            nearSite(ctx, 5, 0, 83),
            8,
          ),
          8,
          r,
        ),
      },
      {
        id: 'zone-start-inside',
        role: 'zone-start-inside',
        identity: inside,
        track: finishTrack(
          ctx,
          new TrackBuilder(ctx.startMs, nearSite(ctx, 5, -6, 31), 250).sailTo(
            nearSite(ctx, 5, -28, 23),
            5,
          ),
          6,
          r,
          NAV_STATUS_FISHING,
        ),
      },
    ],
    rules: [],
  };
}

/** One report of a cargo ship at 12 kn is 6 km off its track (a GNSS glitch), then it is back. */
function positionJump(ctx: ScenarioContext): ScenarioPart {
  const r = ctx.random.fork('position-jump');
  const atMs = hoursIn(ctx, 2.5);
  const ship = ctx.identities.ship(SHIP_PROFILES.cargo);
  const track = finishTrack(
    ctx,
    new TrackBuilder(ctx.startMs, nearSite(ctx, 3, -35, -32), 90).sailTo(
      nearSite(ctx, 4, 0, -48),
      12,
    ),
    12,
    r,
  );
  const rule: LabelRule = (logs) => {
    const displaced = logOf(logs, 'position-jump').displaced;
    if (displaced === undefined) throw new Error('Scenario: the position jump was not sent.');
    return [
      {
        kind: 'position_jump',
        mmsi: ship.mmsi,
        start: isoSeconds(displaced.atMs),
        expect: 'alert',
        toleranceSeconds: tolerance(ctx, 30, 10),
        lat: displaced.lat,
        lon: displaced.lon,
        note: 'one report 6 km north of the true track of a ship at 12 kn (implied speed far over 50 kn), the next report back on track: one event; lat/lon are the displaced position',
      },
    ];
  };
  return {
    plans: [
      {
        id: 'position-jump',
        role: 'position-jump',
        identity: ship,
        track,
        displacement: { atMs, bearingDeg: 0, distanceMeters: 6000 },
      },
    ],
    rules: [rule],
  };
}

/**
 * Two cargo ships about 250 km apart transmit the same MMSI for 3 h 30 min (a cloned identity):
 * the fused positions alternate between two tracks. One conflict, not a storm of jumps.
 */
function identityConflict(ctx: ScenarioContext): ScenarioPart {
  const r = ctx.random.fork('identity-conflict');
  const mmsi = ctx.identities.shipMmsi();
  const owner = ctx.identities.ship(SHIP_PROFILES.cargo, mmsi);
  const clone = ctx.identities.ship(SHIP_PROFILES.cargo, mmsi);
  const fromMs = hoursIn(ctx, 1);
  const untilMs = hoursIn(ctx, 4.5);
  const trackA = finishTrack(
    ctx,
    new TrackBuilder(ctx.startMs, nearSite(ctx, 5, 55, -32), 270).sailTo(
      nearSite(ctx, 4, 54, -48),
      10,
    ),
    10,
    r,
  );
  const trackB = finishTrack(
    ctx,
    new TrackBuilder(ctx.startMs, nearSite(ctx, 3, -55, -52), 90).sailTo(
      nearSite(ctx, 3, 45, -52),
      10,
    ),
    10,
    r,
  );
  const rule: LabelRule = (logs) => {
    const fixes = logOf(logs, 'identity-conflict-clone').fixTimesMs;
    const first = fixes[0];
    const last = fixes[fixes.length - 1];
    if (first === undefined || last === undefined)
      throw new Error('Scenario: the clone was not heard.');
    return [
      located(trackB, first, last, {
        kind: 'identity_conflict',
        mmsi,
        expect: 'alert',
        toleranceSeconds: 900,
        note: `MMSI ${mmsi} sent by two ships about 250 km apart at 10 kn for ${duration(last - first)} (second ship "${clone.name}" appears at start, stops at end; lat/lon are its position); the positions alternate between the two tracks`,
      }),
      located(trackB, first, last, {
        kind: 'position_jump',
        mmsi,
        expect: 'none',
        toleranceSeconds: 60,
        note: 'the alternating positions of an identity conflict are one identity_conflict, not position jumps',
      }),
    ];
  };
  return {
    plans: [
      {
        id: 'identity-conflict-owner',
        role: 'identity-conflict',
        identity: owner,
        track: trackA,
        zoneLabels: false,
      },
      {
        id: 'identity-conflict-clone',
        role: 'identity-conflict',
        identity: clone,
        track: trackB,
        activeFromMs: fromMs,
        activeUntilMs: untilMs,
        zoneLabels: false,
      },
    ],
    rules: [rule],
  };
}

/**
 * MMSIs outside the ITU-R M.585 ship ranges: 100000000 (MID 100 does not exist) on a class A
 * cargo ship, 123456789 (MID 123, a common unset default) on a class B yacht; and an
 * aid-to-navigation MMSI (99 MID xxxx) sending type 21 from a vessel circling at 5 kn, as
 * fishing-gear beacons do.
 */
function invalidIdentities(ctx: ScenarioContext): ScenarioPart {
  const r = ctx.random.fork('invalid-identity');
  const cargo = ctx.identities.ship(SHIP_PROFILES.cargo, 100_000_000);
  const yacht = ctx.identities.ship(SHIP_PROFILES.pleasure, 123_456_789);
  const mid = ctx.world.stations[0]!.baseStationMmsi;
  const atonMmsi = ctx.identities.reserve(
    990_000_000 + Math.floor(mid / 10_000) * 10_000 + r.int(5000, 9999),
  );
  const aton: VesselIdentity = {
    mmsi: atonMmsi,
    unit: 'aton',
    name: `NET ${atonMmsi % 10_000} 12V`,
    aidType: 30, // special mark
  };
  const cargoTrack = finishTrack(
    ctx,
    new TrackBuilder(ctx.startMs, nearSite(ctx, 0, 35, 7), 90).sailTo(nearSite(ctx, 2, -63, 7), 11),
    11,
    r,
  );
  const yachtTrack = finishTrack(
    ctx,
    new TrackBuilder(ctx.startMs, nearSite(ctx, 4, 15, -13), 270).sailTo(
      nearSite(ctx, 3, 45, 3),
      7,
    ),
    7,
    r,
  );
  const center = nearSite(ctx, 4, 35, -38);
  const circle: LatLon[] = [];
  for (let k = 0; k < 12; k++) circle.push(destination(center, k * 30, 6000));
  const atonBuilder = new TrackBuilder(ctx.startMs, circle[0]!, 90);
  while (atonBuilder.timeMs < ctx.endMs) {
    for (let k = 1; k <= circle.length; k++)
      atonBuilder.sailTo(circle[k % circle.length]!, 5, NAV_STATUS_UNDERWAY);
  }
  const atonTrack = atonBuilder.build();
  const firstFix =
    (id: string, track: Track, intervalSeconds: number, note: string): LabelRule =>
    (logs) => {
      const log = logOf(logs, id);
      const first = log.fixTimesMs[0];
      if (first === undefined) throw new Error(`Scenario: ${id} was not heard.`);
      return [
        located(track, first, undefined, {
          kind: 'invalid_identity',
          mmsi: log.plan.identity.mmsi,
          expect: 'alert',
          toleranceSeconds: tolerance(ctx, 60, intervalSeconds),
          note,
        }),
      ];
    };
  return {
    plans: [
      { id: 'invalid-mmsi-a', role: 'invalid-identity', identity: cargo, track: cargoTrack },
      { id: 'invalid-mmsi-b', role: 'invalid-identity', identity: yacht, track: yachtTrack },
      { id: 'moving-aton', role: 'invalid-identity', identity: aton, track: atonTrack },
    ],
    rules: [
      firstFix(
        'invalid-mmsi-a',
        cargoTrack,
        10,
        'class A ship transmits MMSI 100000000: MID 100 is no ITU-R M.585 MID; start = first fix',
      ),
      firstFix(
        'invalid-mmsi-b',
        yachtTrack,
        30,
        'class B yacht transmits MMSI 123456789 (a common unset default): MID 123 is no ship MID; start = first fix',
      ),
      firstFix(
        'moving-aton',
        atonTrack,
        180,
        `aid-to-navigation MMSI ${atonMmsi} (99 MID xxxx) sends type 21 while circling at 5 kn (a fishing-gear beacon); start = first fix, it has moved ~460 m by the next`,
      ),
    ],
  };
}
