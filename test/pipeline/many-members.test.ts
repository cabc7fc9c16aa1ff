import { describe, expect, it } from 'vitest';
import { AisMessage } from '../../src/ais/ais-message.js';
import type { Alert } from '../../src/detect/alert.js';
import { DEFAULT_CORE_CONFIG } from '../../src/pipeline/core-config.js';
import { coreStateExternals } from '../../src/pipeline/core-state.js';
import { defaultDetectors } from '../../src/pipeline/default-detectors.js';
import { type CoreOutput, FusionCore } from '../../src/pipeline/fusion-core.js';
import { encodeState, restoreState } from '../../src/state/state-graph.js';
import { HOUR, MINUTE, T0 } from '../support/core-harness.js';

/** 45 members, `m00` … `m44`: more than a 32-bit mask held (issue 13). */
const MEMBERS = Array.from({ length: 45 }, (_, i) => `m${String(i).padStart(2, '0')}`);
const member = (i: number): string => MEMBERS[i % MEMBERS.length]!;
const METERS_PER_DEGREE = 111_195;
const END = T0 + 5 * HOUR;

/** One transmission: where, when, and every member whose feed heard it (a few seconds apart). */
interface Transmission {
  mmsi: number;
  time: number;
  lat: number;
  lon: number;
  sogKnots: number;
  heardBy: readonly string[];
}

/** A vessel heading north at `sogKnots` from `lat`, a fix every `everyMs`, from `from` to `to`. */
function leg(
  mmsi: number,
  from: number,
  to: number,
  everyMs: number,
  position: { lat: number; lon: number },
  sogKnots: number,
  heardBy: (n: number) => readonly string[],
): Transmission[] {
  const out: Transmission[] = [];
  const degreesPerMs = (sogKnots * 1852) / 3_600_000 / METERS_PER_DEGREE;
  for (let time = from, n = 0; time < to; time += everyMs, n++) {
    out.push({ mmsi, time, lat: position.lat, lon: position.lon, sogKnots, heardBy: heardBy(n) });
    position.lat += degreesPerMs * everyMs;
  }
  return out;
}

const BUSY = 257_100_001;
const LOITERER = 257_100_002;
const JUMPER = 257_100_003;
const MEET_A = 257_100_004;
const MEET_B = 257_100_005;

/**
 * Five vessels in open sea, every one heard until the end (no dark gap): one heard by all 45
 * members (three per transmission, in turn); one loitering for 4.5 h, each slow fix heard by
 * another of m00…m39, then leaving (heard by m44); one jumping 50 km in a minute (the jump heard
 * by m40, m41 and m42); and two meeting for 3 h, each heard by ten members of its own (the first
 * fix by m31), until one of them leaves (heard by m43).
 */
function scenario(): Transmission[] {
  const all: Transmission[] = [];
  all.push(
    ...leg(BUSY, T0, END, 6 * MINUTE, { lat: 10, lon: 60 }, 10, (n) => [
      member(n * 3),
      member(n * 3 + 1),
      member(n * 3 + 2),
    ]),
  );
  const loiterer = { lat: 11, lon: 60 };
  all.push(
    ...leg(LOITERER, T0, T0 + 4.5 * HOUR, 6 * MINUTE, loiterer, 0.5, (n) => [member((n * 7) % 40)]),
    ...leg(LOITERER, T0 + 4.5 * HOUR, END, 6 * MINUTE, loiterer, 12, () => ['m44']),
  );
  const jumper = { lat: 12, lon: 60 };
  all.push(...leg(JUMPER, T0, T0 + HOUR, 5 * MINUTE, jumper, 10, () => ['m05']));
  jumper.lat += 50_000 / METERS_PER_DEGREE;
  all.push(...leg(JUMPER, T0 + HOUR, T0 + HOUR + 1, 1, jumper, 10, () => ['m40', 'm41', 'm42']));
  all.push(...leg(JUMPER, T0 + HOUR + 5 * MINUTE, END, 5 * MINUTE, jumper, 10, () => ['m06']));
  const a = { lat: 13, lon: 60 };
  const b = { lat: 13.0005, lon: 60 };
  all.push(
    ...leg(MEET_A, T0, T0 + 3 * HOUR, 5 * MINUTE, a, 0.3, (n) =>
      n === 0 ? ['m31'] : [member(10 + (n % 10))],
    ),
    ...leg(MEET_B, T0, T0 + 3 * HOUR, 5 * MINUTE, b, 0.3, (n) => [member(20 + (n % 10))]),
    ...leg(MEET_B, T0 + 3 * HOUR, END, 5 * MINUTE, b, 10, () => ['m43']),
    ...leg(MEET_A, T0 + 3 * HOUR + 2 * MINUTE, END, 5 * MINUTE, a, 10, () => ['m30']),
  );
  return all.sort((x, y) => x.time - y.time || x.mmsi - y.mmsi);
}

interface Run {
  core: FusionCore;
  /** Latest revision of every alert. */
  alerts: Map<string, Alert>;
  /** Every revision emitted, as JSON. */
  revisions: string[];
}

/**
 * Feeds the scenario to a core with the default detectors; the members' feeds are first used
 * in reverse order (so registration order is not id order). After each transmission index in
 * `restartAfter`, the core goes on from a state snapshot (a worker restarted from a checkpoint).
 */
function run(transmissions: readonly Transmission[], restartAfter: readonly number[] = []): Run {
  const alerts = new Map<string, Alert>();
  const revisions: string[] = [];
  const output: CoreOutput = {
    alert: (alert) => {
      alerts.set(alert.id, structuredClone(alert));
      revisions.push(JSON.stringify(alert));
    },
  };
  const newCore = () =>
    new FusionCore(DEFAULT_CORE_CONFIG, undefined, output, defaultDetectors(DEFAULT_CORE_CONFIG));
  let core = newCore();
  for (const id of [...MEMBERS].reverse()) core.members.setOf(id);
  const m = new AisMessage();
  transmissions.forEach((t, n) => {
    t.heardBy.forEach((id, copy) => {
      m.clear();
      Object.assign(m, { type: 1, mmsi: t.mmsi, lat: t.lat, lon: t.lon, sog: t.sogKnots, cog: 0 });
      m.payloadHash = n + 1;
      m.payloadCheck = n + 1;
      m.receivedAt = t.time + copy * 1000;
      core.ingest(m, id, `${id}-rx`);
    });
    core.advance(t.time);
    if (restartAfter.includes(n)) {
      const bytes = encodeState(core, coreStateExternals(core, output).byObject);
      core = newCore();
      restoreState(bytes, core, coreStateExternals(core, output).byName);
    }
  });
  core.finish();
  return { core, alerts, revisions };
}

/** The plain model: every member that heard a vessel, sorted. */
function heardBy(transmissions: readonly Transmission[], mmsi: number, until = Infinity): string[] {
  const ids = new Set<string>();
  for (const t of transmissions) {
    if (t.mmsi === mmsi && t.time <= until) for (const id of t.heardBy) ids.add(id);
  }
  return [...ids].sort();
}

describe('the core with 45 members (issue 13: provenance beyond 32 members)', () => {
  const transmissions = scenario();
  const reference = run(transmissions);

  it('gives every track exactly the members that heard it, reports counted once', () => {
    const { core } = reference;
    expect(core.members.size).toBe(45);
    for (const mmsi of [BUSY, LOITERER, JUMPER, MEET_A, MEET_B]) {
      const track = core.tracks.get(mmsi)!;
      expect(core.members.idsOf(track.sourceSet), String(mmsi)).toEqual(
        heardBy(transmissions, mmsi),
      );
      expect(track.reportCount).toBe(transmissions.filter((t) => t.mmsi === mmsi).length);
    }
    expect(core.members.idsOf(core.tracks.get(BUSY)!.sourceSet)).toEqual(MEMBERS);
    expect(core.stats.duplicates).toBe(
      transmissions.reduce((sum, t) => sum + t.heardBy.length - 1, 0),
    );
  });

  it('gives every alert exactly the members whose reports are its evidence', () => {
    const alerts = [...reference.alerts.values()];
    const byKind = (kind: Alert['kind'], mmsi: number) =>
      alerts.filter((a) => a.kind === kind && a.mmsi === mmsi);
    expect(alerts.map((a) => `${a.kind} ${a.mmsi}`).sort()).toEqual([
      `loitering ${LOITERER}`,
      `position_jump ${JUMPER}`,
      `rendezvous ${MEET_A}`,
    ]);
    // Loitering: every slow fix of the episode, and the fast one that ended it.
    const [loitering] = byKind('loitering', LOITERER);
    expect(loitering!.end).toBe(T0 + 4.5 * HOUR);
    expect(loitering!.sources).toEqual(heardBy(transmissions, LOITERER, T0 + 4.5 * HOUR));
    expect(loitering!.sources).toEqual([...MEMBERS.slice(0, 40), 'm44']);
    // The jump: the members that heard the fix that jumped.
    expect(byKind('position_jump', JUMPER)[0]!.sources).toEqual(['m40', 'm41', 'm42']);
    // The meeting: both vessels' fixes while together, and the one that left (m43).
    const [meeting] = byKind('rendezvous', MEET_A);
    expect(meeting!.end).toBe(T0 + 3 * HOUR);
    expect(meeting!.sources).toEqual([...MEMBERS.slice(10, 30), 'm31', 'm43']);
  });

  it('keeps provenance through state snapshots: the same alerts and sources after restarts', () => {
    const restarts = [5, 40, 41, 120, transmissions.length - 30];
    const restarted = run(transmissions, restarts);
    expect(restarted.revisions).toEqual(reference.revisions);
    for (const [mmsi, track] of reference.core.tracks) {
      const other = restarted.core.tracks.get(mmsi)!;
      expect(restarted.core.members.idsOf(other.sourceSet)).toEqual(
        reference.core.members.idsOf(track.sourceSet),
      );
    }
  });
});
