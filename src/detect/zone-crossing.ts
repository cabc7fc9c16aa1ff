import type { Report } from '../fusion/report.js';
import type { VesselTrack } from '../fusion/vessel-track.js';
import type { Zone } from '../zones/zone.js';
import type { AlertRule } from './alert.js';
import type { AlertBook } from './alert-book.js';
import type { Detector, DetectorContext, DetectorFactory } from './detector.js';
import {
  DEFAULT_JUMP_THRESHOLDS,
  isJump,
  type JumpThresholds,
  movesLikeVessel,
} from './kinematics.js';

/**
 * `zone_entry` and `zone_exit` (DESIGN.md §3, after EMSA's ABM area entry): a vessel's fused
 * position crosses into / out of a zone. Instantaneous alerts: start = end = the time of the
 * first fix inside / outside, at that fix, with `zoneId` the zone's id.
 *
 * The vessel's slot holds its confirmed zones: the `track.zones` array of the last fix that
 * counted (the core replaces that array when the zones change and never edits it in place, so
 * keeping the reference costs nothing and an unchanged reference means no crossing).
 * - The first fix gives the initial zones: no alert.
 * - A fix that is a position jump from the previous one (a glitch, or the other vessel of a
 *   shared MMSI) does not count: a glitch into a restricted area is one `position_jump`, not an
 *   entry and an exit. The next plausible fix counts, compared with the confirmed zones. SAR
 *   aircraft (type 9) are fast, not implausible: their every fix counts.
 * - While an `identity_conflict` is open the positions are two vessels': none counts.
 *
 * A zone shared only with some members (`members`) gets its crossings like any other; the list
 * goes into the detail (`zoneMembers`) so releasability can filter on it downstream.
 */
export function zoneCrossingDetector(
  config: { readonly positionJump: JumpThresholds } = { positionJump: DEFAULT_JUMP_THRESHOLDS },
): DetectorFactory {
  const thresholds = { ...config.positionJump };
  const rule: AlertRule = {
    name: 'zone_crossing',
    version: 1,
    thresholds: {
      // Fixes that would be a position jump do not cross zones.
      jumpMinImpliedSpeedKnots: thresholds.minImpliedSpeedKnots,
      jumpMinDistanceMeters: thresholds.minDistanceMeters,
    },
  };

  return (slot: number, context: DetectorContext): Detector => {
    const zones = context.zones?.zones ?? [];
    if (zones.length === 0) return { name: 'zone_crossing' };
    return {
      name: 'zone_crossing',
      onReport(track, report, fixApplied) {
        if (!fixApplied) return;
        const confirmed = track.slots[slot] as readonly number[] | undefined;
        const now = track.zones;
        if (confirmed === now) return;
        if (confirmed === undefined) {
          track.slots[slot] = now;
          return;
        }
        if (movesLikeVessel(report.type) && isImplausible(track, thresholds)) return;
        if (track.identityConflictOpen) return;
        track.slots[slot] = now;
        crossings(confirmed, now, zones, track, report, context.alerts, rule);
      },
    };
  };
}

function isImplausible(track: VesselTrack, thresholds: JumpThresholds): boolean {
  return isJump(
    track.previousLat,
    track.previousLon,
    track.previousFixTime,
    track.lat,
    track.lon,
    track.fixTime,
    thresholds,
  );
}

/** Raises an exit for each zone in `before` only and an entry for each in `after` only. */
function crossings(
  before: readonly number[],
  after: readonly number[],
  zones: readonly Zone[],
  track: VesselTrack,
  report: Report,
  alerts: AlertBook,
  rule: AlertRule,
): void {
  // Both lists are ascending zone indexes: one merge pass. Exits first, then entries, each in
  // index order, so the order of alerts does not depend on anything but the data.
  let i = 0;
  let j = 0;
  while (i < before.length || j < after.length) {
    const b = i < before.length ? before[i]! : Number.POSITIVE_INFINITY;
    const a = j < after.length ? after[j]! : Number.POSITIVE_INFINITY;
    if (b === a) {
      i++;
      j++;
    } else if (b < a) {
      raise('zone_exit', b, zones, track, report, alerts, rule);
      i++;
    } else {
      raise('zone_entry', a, zones, track, report, alerts, rule);
      j++;
    }
  }
}

function raise(
  kind: 'zone_entry' | 'zone_exit',
  zoneIndex: number,
  zones: readonly Zone[],
  track: VesselTrack,
  report: Report,
  alerts: AlertBook,
  rule: AlertRule,
): void {
  const zone = zones[zoneIndex];
  if (zone === undefined)
    throw new RangeError(`Track ${track.mmsi} is in unknown zone ${zoneIndex}.`);
  const detail: Record<string, number | string | boolean> = {
    zoneName: zone.name,
    zoneKind: zone.kind,
    previousLat: track.previousLat,
    previousLon: track.previousLon,
    previousFixAt: new Date(track.previousFixTime).toISOString(),
  };
  if (zone.members !== undefined) detail.zoneMembers = zone.members.join(',');
  alerts.raise({
    kind,
    mmsi: track.mmsi,
    zoneId: zone.id,
    start: track.fixTime,
    end: track.fixTime,
    lat: track.lat,
    lon: track.lon,
    sourceSet: report.sourceSet,
    rule,
    detail,
  });
}
