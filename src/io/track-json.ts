import { fusedTrack } from '../fusion/fused-track.js';
import type { MemberRegistry } from '../fusion/member-registry.js';
import type { VesselTrack } from '../fusion/vessel-track.js';
import type { ZoneIndex } from '../zones/zone-index.js';

/** A fused track as NDJSON (DESIGN.md §2.5): ISO times, absent fields left out. */
export function trackToJson(
  track: VesselTrack,
  members: MemberRegistry,
  zones: ZoneIndex | undefined,
): Record<string, unknown> {
  const zoneIds = trackZoneIds(track, zones);
  const json: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(
    fusedTrack(track, members.idsOf(track.sourceSet), zoneIds),
  )) {
    if (value !== undefined) json[key] = value;
  }
  json.lastSeen = new Date(track.lastSeen).toISOString();
  return json;
}

/** Ids of the zones a track is in (the track keeps zone-index positions). */
export function trackZoneIds(track: VesselTrack, zones: ZoneIndex | undefined): string[] {
  return zones === undefined ? [] : track.zones.map((index) => zones.zones[index]!.id);
}
