import type { ZoneIndex } from '../zones/zone-index.js';
import type { MemberRegistry } from './member-registry.js';
import type { VesselTrack } from './vessel-track.js';

/** A fused track as NDJSON (DESIGN.md §2.5): ISO times, absent fields left out. */
export function trackToJson(
  track: VesselTrack,
  members: MemberRegistry,
  zones: ZoneIndex | undefined,
): Record<string, unknown> {
  const json: Record<string, unknown> = { mmsi: track.mmsi };
  if (track.hasFix()) {
    json.lat = track.lat;
    json.lon = track.lon;
  }
  const optional = {
    sog: track.sog,
    cog: track.cog,
    heading: track.heading,
    navStatus: track.navStatus,
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) json[key] = value;
  json.lastSeen = new Date(track.lastSeen).toISOString();
  const statics = {
    shipName: track.shipName,
    callSign: track.callSign,
    imo: track.imo,
    shipType: track.shipType,
    toBow: track.toBow,
    toStern: track.toStern,
    toPort: track.toPort,
    toStarboard: track.toStarboard,
    draught: track.draught,
    destination: track.destination,
  };
  for (const [key, value] of Object.entries(statics)) if (value !== undefined) json[key] = value;
  json.sources = members.idsOf(track.sourceMask);
  json.reportCount = track.reportCount;
  json.zones = zones === undefined ? [] : track.zones.map((index) => zones.zones[index]!.id);
  return json;
}
