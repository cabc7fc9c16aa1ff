import type { AlertKind } from '../detect/alert.js';
import type { LatLon } from '../geo/geodesy.js';
import type { VesselLog } from './vessel-plan.js';
import type { SimZone } from './zones.js';

/**
 * One labelled event of a simulated scenario. `expect: 'alert'` is an event a detector must
 * report; `expect: 'none'` a hard negative: a situation that looks like `kind` but is not
 * (DESIGN.md §3), where an alert of `kind` for `mmsi` overlapping [start − tolerance,
 * (end ?? start) + tolerance] is a false positive.
 */
export interface Label {
  kind: AlertKind;
  mmsi: number;
  /** The other vessel of a pairwise kind (rendezvous). */
  otherMmsi?: number;
  /** The zone of `zone_entry` / `zone_exit`. */
  zoneId?: string;
  /** When the event truly begins (ISO 8601), as the alert's `start` should give it. */
  start: string;
  /** When it ends, for events with a duration. */
  end?: string;
  expect: 'alert' | 'none';
  /** A detector's `start` (and `end`) match this label within this many seconds. */
  toleranceSeconds: number;
  /** The vessel's true position at `start`. */
  lat: number;
  lon: number;
  /** What happens, in words, with the numbers that make it (or not make it) an event. */
  note: string;
}

/** Label text form of a time: ISO 8601 to the second, as `tidewatch decode` prints times. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString();
}

/** Resolves a label once the scenario has run and the receptions are known. */
export type LabelRule = (logs: ReadonlyMap<string, VesselLog>) => Label[];

/**
 * The longest run without a decoded position report that overlaps [fromMs, toMs]: from the last
 * fix before it to the first fix after it. What a receiver network saw of a silence.
 */
export function silenceAround(
  log: VesselLog,
  fromMs: number,
  toMs: number,
): { startMs: number; endMs: number } {
  const fixes = log.fixTimesMs;
  let best = { startMs: fromMs, endMs: fromMs };
  for (let i = 1; i < fixes.length; i++) {
    const a = fixes[i - 1]!;
    const b = fixes[i]!;
    if (b < fromMs || a > toMs) continue;
    if (b - a > best.endMs - best.startMs) best = { startMs: a, endMs: b };
  }
  if (best.endMs === best.startMs) {
    throw new Error(`Vessel plan ${log.plan.id}: no silence around ${isoSeconds(fromMs)}.`);
  }
  return best;
}

/** Zones that give entries and exits: every zone but the EEZ, which holds the whole scenario. */
function crossingZones(zones: readonly SimZone[]): SimZone[] {
  return zones.filter((zone) => zone.kind !== 'eez');
}

function zoneMask(zones: readonly SimZone[], p: LatLon): number {
  let mask = 0;
  for (let z = 0; z < zones.length; z++) if (zones[z]!.contains(p)) mask |= 1 << z;
  return mask;
}

/**
 * Zone entries and exits of one unit, from the positions the coalition decoded (DESIGN.md §3:
 * the fused position crosses into or out of a zone; the first fix gives the initial zones). The
 * time is the true crossing, found by bisection on the track between the fixes either side (or
 * the first fix on the new side, when GNSS noise alone put a fix across the boundary); the
 * tolerance covers the wait for that fix. A first fix inside a zone gives a `zone_entry` hard
 * negative.
 */
export function zoneCrossingLabels(log: VesselLog, allZones: readonly SimZone[]): Label[] {
  const zones = crossingZones(allZones);
  const fixes = log.fixTimesMs;
  const positions = log.fixPositions;
  const track = log.plan.track;
  const mmsi = log.plan.identity.mmsi;
  const labels: Label[] = [];
  if (fixes.length === 0) return labels;
  let prevMs = fixes[0]!;
  let prev = zoneMask(zones, positions[0]!);
  for (let z = 0; z < zones.length; z++) {
    if ((prev & (1 << z)) === 0) continue;
    const p = positions[0]!;
    labels.push({
      kind: 'zone_entry',
      mmsi,
      zoneId: zones[z]!.id,
      start: isoSeconds(prevMs),
      expect: 'none',
      toleranceSeconds: 60,
      lat: p.lat,
      lon: p.lon,
      note: `first fix of ${log.plan.role} vessel is already inside ${zones[z]!.kind} zone ${zones[z]!.id}: its initial zone, not an entry`,
    });
  }
  for (let i = 1; i < fixes.length; i++) {
    const t = fixes[i]!;
    const mask = zoneMask(zones, positions[i]!);
    const changed = mask ^ prev;
    for (let z = 0; z < zones.length && changed !== 0; z++) {
      const bit = 1 << z;
      if ((changed & bit) === 0) continue;
      const zone = zones[z]!;
      const entering = (mask & bit) !== 0;
      let crossMs = t;
      if (
        zone.contains(track.positionAt(prevMs)) !== entering &&
        zone.contains(track.positionAt(t)) === entering
      ) {
        // Bisection to 100 ms: the true track crosses between the two fixes.
        let lo = prevMs;
        while (crossMs - lo > 100) {
          const mid = Math.floor((lo + crossMs) / 2);
          if (zone.contains(track.positionAt(mid)) === entering) crossMs = mid;
          else lo = mid;
        }
      }
      const p = track.positionAt(crossMs);
      labels.push({
        kind: entering ? 'zone_entry' : 'zone_exit',
        mmsi,
        zoneId: zone.id,
        start: isoSeconds(crossMs),
        expect: 'alert',
        toleranceSeconds: 60 + Math.ceil((t - crossMs) / 1000),
        lat: p.lat,
        lon: p.lon,
        note: `${log.plan.role} vessel ${entering ? 'enters' : 'leaves'} ${zone.kind} zone ${zone.id}; first fix on the new side at ${isoSeconds(t)}`,
      });
    }
    prev = mask;
    prevMs = t;
  }
  return labels;
}
