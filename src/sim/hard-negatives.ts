/**
 * Hard negatives: situations that look like an alert kind of DESIGN.md §3 but are not one, each
 * labelled `expect: 'none'` with the kind it must not raise. Geometry is drawn relative to the
 * station sites of `world.ts`, like the events.
 */

import { destination } from './geodesy.js';
import { SHIP_PROFILES, type VesselIdentity } from './identity.js';
import type { LabelRule } from './labels.js';
import { stationsInRange } from './receivers.js';
import {
  NAV_STATUS_FISHING,
  NAV_STATUS_MOORED,
  NAV_STATUS_UNDERWAY,
} from './reporting-interval.js';
import {
  finishTrack,
  fixedLabel,
  hoursIn,
  MINUTE_MS,
  nearSite,
  runMeters,
  type ScenarioContext,
  type ScenarioPart,
  silenceLabel,
} from './scenario-context.js';
import { TrackBuilder } from './track.js';
import { OUTAGE_SITE } from './world.js';

export function hardNegatives(ctx: ScenarioContext): ScenarioPart {
  const parts = [
    passingShips(ctx),
    shortMeeting(ctx),
    mooredTogether(ctx),
    slowInPort(ctx),
    silentInPort(ctx),
    outOfCoverage(ctx),
    receiverOutage(ctx),
    fastFerry(ctx),
    fixedAidToNavigation(ctx),
  ];
  const baseStation = ctx.world.stations[1] ?? ctx.world.stations[0]!;
  const baseStationRule: LabelRule = () => [
    {
      kind: 'invalid_identity',
      mmsi: baseStation.baseStationMmsi,
      start: new Date(ctx.startMs).toISOString(),
      end: new Date(ctx.endMs).toISOString(),
      expect: 'none',
      toleranceSeconds: 0,
      lat: baseStation.position.lat,
      lon: baseStation.position.lon,
      note: `base station ${String(baseStation.baseStationMmsi).padStart(9, '0')} (00 MID xxxx) sends type 4 reports: a valid MMSI that is not a ship's`,
    },
  ];
  return {
    plans: parts.flatMap((p) => p.plans),
    rules: [...parts.flatMap((p) => p.rules), baseStationRule],
  };
}

/** Two ships pass 200 m apart on opposite courses at 12 and 14 kn: close, but not slow. */
function passingShips(ctx: ScenarioContext): ScenarioPart {
  const r = ctx.random.fork('passing');
  const cpaMs = hoursIn(ctx, 2);
  const cpaA = nearSite(ctx, 2, 15, -43);
  const cpaB = destination(cpaA, 0, 200);
  const east = ctx.identities.ship(SHIP_PROFILES.cargo);
  const west = ctx.identities.ship(SHIP_PROFILES.tanker);
  const trackA = finishTrack(
    ctx,
    new TrackBuilder(ctx.startMs, destination(cpaA, 270, runMeters(12, 2)), 90).sailTo(
      destination(cpaA, 90, runMeters(12, 1)),
      12,
    ),
    12,
    r,
  );
  const trackB = finishTrack(
    ctx,
    new TrackBuilder(ctx.startMs, destination(cpaB, 90, runMeters(14, 2)), 270).sailTo(
      destination(cpaB, 270, runMeters(14, 1)),
      14,
    ),
    14,
    r,
  );
  return {
    plans: [
      { id: 'passing-a', role: 'passing', identity: east, track: trackA },
      { id: 'passing-b', role: 'passing', identity: west, track: trackB },
    ],
    rules: [
      fixedLabel(trackA, cpaMs - 10 * MINUTE_MS, cpaMs + 10 * MINUTE_MS, {
        kind: 'rendezvous',
        mmsi: east.mmsi,
        otherMmsi: west.mmsi,
        expect: 'none',
        toleranceSeconds: 3600,
        note: 'ships pass 200 m apart on opposite courses at 12 and 14 kn (closest approach at the middle of the window): not under 2 kn',
      }),
    ],
  };
}

/** Two vessels lie 200 m apart under 2 kn for 1 h only, then part. */
function shortMeeting(ctx: ScenarioContext): ScenarioPart {
  const r = ctx.random.fork('short-meeting');
  const t0 = hoursIn(ctx, 1.5);
  const t1 = hoursIn(ctx, 2.5);
  const meetA = nearSite(ctx, 2, -25, 27);
  const meetB = destination(meetA, 90, 200);
  const fisher = ctx.identities.ship(SHIP_PROFILES.fishing);
  const cargo = ctx.identities.ship(SHIP_PROFILES.cargo);
  const trackA = finishTrack(
    ctx,
    new TrackBuilder(ctx.startMs, destination(meetA, 270, runMeters(8, 1.5)), 90)
      .sailToBy(meetA, t0)
      .sail(45, 0.5, t1 - t0),
    8,
    r,
    NAV_STATUS_FISHING,
  );
  const trackB = finishTrack(
    ctx,
    new TrackBuilder(ctx.startMs, destination(meetB, 180, runMeters(10, 1.5)), 0)
      .sailToBy(meetB, t0)
      .sail(45, 0.5, t1 - t0),
    10,
    r,
  );
  return {
    plans: [
      { id: 'short-meeting-a', role: 'short-meeting', identity: fisher, track: trackA },
      { id: 'short-meeting-b', role: 'short-meeting', identity: cargo, track: trackB },
    ],
    rules: [
      fixedLabel(trackA, t0, t1, {
        kind: 'rendezvous',
        mmsi: fisher.mmsi,
        otherMmsi: cargo.mmsi,
        expect: 'none',
        toleranceSeconds: 3600,
        note: 'vessels lie 200 m apart at 0.5 kn for 1 h only (a rendezvous needs 2 h), outside ports',
      }),
    ],
  };
}

/** Two ships moored 40 m apart in a port all scenario: together, slow, but in port. */
function mooredTogether(ctx: ScenarioContext): ScenarioPart {
  const berth = nearSite(ctx, 1, 0, -27);
  const a = ctx.identities.ship(SHIP_PROFILES.cargo);
  const b = ctx.identities.ship(SHIP_PROFILES.tanker);
  const trackA = new TrackBuilder(ctx.startMs, berth, 90)
    .stayUntil(ctx.endMs, NAV_STATUS_MOORED)
    .build();
  const trackB = new TrackBuilder(ctx.startMs, destination(berth, 90, 40), 90)
    .stayUntil(ctx.endMs, NAV_STATUS_MOORED)
    .build();
  return {
    plans: [
      { id: 'moored-a', role: 'moored-together', identity: a, track: trackA },
      { id: 'moored-b', role: 'moored-together', identity: b, track: trackB },
    ],
    rules: [
      fixedLabel(trackA, ctx.startMs, ctx.endMs, {
        kind: 'rendezvous',
        mmsi: a.mmsi,
        otherMmsi: b.mmsi,
        expect: 'none',
        toleranceSeconds: 0,
        note: 'ships moored 40 m apart inside port zone port-1 all scenario: port zones are excluded',
      }),
      fixedLabel(trackA, ctx.startMs, ctx.endMs, {
        kind: 'loitering',
        mmsi: a.mmsi,
        expect: 'none',
        toleranceSeconds: 0,
        note: 'ship moored inside port zone port-1 all scenario: port zones are excluded',
      }),
    ],
  };
}

/** A tug potters about port-1 at 0.8–1.2 kn all scenario: slow, but in port. */
function slowInPort(ctx: ScenarioContext): ScenarioPart {
  const r = ctx.random.fork('slow-in-port');
  const tug = ctx.identities.ship(SHIP_PROFILES.tug);
  const ends = [nearSite(ctx, 1, -2.5, -28.5), nearSite(ctx, 1, 2, -26)] as const;
  const builder = new TrackBuilder(ctx.startMs, ends[0], 60);
  for (let k = 1; builder.timeMs < ctx.endMs; k++)
    builder.sailTo(ends[k % 2]!, r.uniform(0.8, 1.2));
  const track = builder.build();
  return {
    plans: [{ id: 'slow-in-port', role: 'slow-in-port', identity: tug, track }],
    rules: [
      fixedLabel(track, ctx.startMs, ctx.endMs, {
        kind: 'loitering',
        mmsi: tug.mmsi,
        expect: 'none',
        toleranceSeconds: 0,
        note: 'tug moves at 0.8-1.2 kn inside port zone port-1 all scenario: port zones are excluded',
      }),
    ],
  };
}

/** A ship moored in port-2 switches its transponder off for 3 h. */
function silentInPort(ctx: ScenarioContext): ScenarioPart {
  const offMs = hoursIn(ctx, 1.5);
  const onMs = hoursIn(ctx, 4.5);
  const ship = ctx.identities.ship(SHIP_PROFILES.passenger);
  const track = new TrackBuilder(ctx.startMs, nearSite(ctx, 4, 0, -28), 200)
    .stayUntil(ctx.endMs, NAV_STATUS_MOORED)
    .build();
  const rule = silenceLabel('silent-in-port', track, offMs, onMs, {
    kind: 'dark_gap',
    mmsi: ship.mmsi,
    expect: 'none',
    toleranceSeconds: 600,
    note: 'moored ship switches its transponder off for 3 h inside port zone port-2, in live coverage: silences in port are excluded',
  });
  return {
    plans: [
      {
        id: 'silent-in-port',
        role: 'silent-in-port',
        identity: ship,
        track,
        silences: [{ startMs: offMs, endMs: onMs }],
      },
    ],
    rules: [rule],
  };
}

/**
 * A ship sails north out of every station's range, stays out for about 3 h and comes back: its
 * transponder never stops, nobody can hear it.
 */
function outOfCoverage(ctx: ScenarioContext): ScenarioPart {
  const r = ctx.random.fork('out-of-coverage');
  const start = nearSite(ctx, 2, 15, 47);
  const ship = ctx.identities.ship(SHIP_PROFILES.cargo);
  const track = finishTrack(
    ctx,
    new TrackBuilder(ctx.startMs, start, 0)
      .sailTo(destination(start, 0, runMeters(12, 2.6)), 12)
      .sailTo(start, 12),
    12,
    r,
  );
  const rule = silenceLabel('out-of-coverage', track, hoursIn(ctx, 1.5), hoursIn(ctx, 3.5), {
    kind: 'dark_gap',
    mmsi: ship.mmsi,
    expect: 'none',
    toleranceSeconds: 600,
    note: `ship sails north beyond the 40 NM range of ${stationsInRange(ctx.world.stations, start).join(', ')} and back at 12 kn, transmitting throughout: last position at the edge of coverage, dead-reckoned position outside it`,
  });
  return {
    plans: [{ id: 'out-of-coverage', role: 'out-of-coverage', identity: ship, track }],
    rules: [rule],
  };
}

/**
 * A fishing vessel works back and forth where only the outage station hears it: while that
 * receiver is down, nobody does.
 */
function receiverOutage(ctx: ScenarioContext): ScenarioPart {
  const station = ctx.world.stations[OUTAGE_SITE]!;
  const outage = station.outage!;
  const ship = ctx.identities.ship(SHIP_PROFILES.fishing);
  const ends = [nearSite(ctx, OUTAGE_SITE, -14, 22), nearSite(ctx, OUTAGE_SITE, 14, 22)] as const;
  const builder = new TrackBuilder(ctx.startMs, ends[0], 90);
  for (let k = 1; builder.timeMs < ctx.endMs; k++)
    builder.sailTo(ends[k % 2]!, 6, NAV_STATUS_FISHING);
  const track = builder.build();
  const rule = silenceLabel('receiver-outage', track, outage.startMs, outage.endMs, {
    kind: 'dark_gap',
    mmsi: ship.mmsi,
    expect: 'none',
    toleranceSeconds: 600,
    note: `fishing vessel at 6 kn in range of ${station.id} only, which is down from ${new Date(outage.startMs).toISOString()} to ${new Date(outage.endMs).toISOString()}; the transponder never stops`,
  });
  return {
    plans: [{ id: 'receiver-outage', role: 'receiver-outage', identity: ship, track }],
    rules: [rule],
  };
}

/** A high-speed ferry shuttles at 36 kn: fast, with 2-second reports, but no jump (< 50 kn). */
function fastFerry(ctx: ScenarioContext): ScenarioPart {
  const ferry = ctx.identities.ship(SHIP_PROFILES.highSpeed);
  const ends = [nearSite(ctx, 1, 45, -7), nearSite(ctx, 3, 65, -7)] as const;
  const builder = new TrackBuilder(ctx.startMs, ends[0], 90);
  for (let k = 1; builder.timeMs < ctx.endMs; k++) builder.sailTo(ends[k % 2]!, 36);
  const track = builder.build();
  return {
    plans: [{ id: 'fast-ferry', role: 'fast-ferry', identity: ferry, track }],
    rules: [
      fixedLabel(track, ctx.startMs, ctx.endMs, {
        kind: 'position_jump',
        mmsi: ferry.mmsi,
        expect: 'none',
        toleranceSeconds: 0,
        note: 'high-speed craft at 36 kn, reporting every 2 s: consecutive fixes imply 36 kn, under the 50 kn threshold',
      }),
    ],
  };
}

/** A safe-water buoy with its own AIS (99 MID xxxx) that stays where it is. */
function fixedAidToNavigation(ctx: ScenarioContext): ScenarioPart {
  const mid = Math.floor(ctx.world.stations[0]!.baseStationMmsi / 10_000);
  const mmsi = ctx.identities.reserve(990_000_000 + mid * 10_000 + 1001);
  const buoy: VesselIdentity = { mmsi, unit: 'aton', name: 'BRAVO SAFE WATER', aidType: 29 };
  const track = new TrackBuilder(ctx.startMs, nearSite(ctx, 3, 0, 20), 0)
    .stayUntil(ctx.endMs, NAV_STATUS_UNDERWAY)
    .build();
  return {
    plans: [{ id: 'fixed-aton', role: 'aid-to-navigation', identity: buoy, track }],
    rules: [
      fixedLabel(track, ctx.startMs, ctx.endMs, {
        kind: 'invalid_identity',
        mmsi,
        expect: 'none',
        toleranceSeconds: 0,
        note: 'aid-to-navigation MMSI (99 MID xxxx) sending type 21 from a fixed position: a valid identity',
      }),
    ],
  };
}
