import type { Voyage } from './report.js';
import type { VesselTrack } from './vessel-track.js';

/**
 * `tidewatch.v1.FusedTrack` (DESIGN.md §2.5) as TypeScript: one vessel's fused state on topic
 * `tracks.fused`. Times are epoch ms; `undefined` is a field absent on the wire (unknown).
 */
export interface FusedTrack extends Voyage {
  readonly mmsi: number;
  /** Degrees WGS84; absent before the vessel's first position fix. */
  readonly lat: number | undefined;
  readonly lon: number | undefined;
  readonly sog: number | undefined;
  readonly cog: number | undefined;
  readonly heading: number | undefined;
  readonly navStatus: number | undefined;
  /** Event time of the latest report of this vessel. */
  readonly lastSeen: number;
  // Static and voyage data (shipName, callSign, imo, shipType, dimensions, draught, destination).
  /** Member ids whose feeds heard this vessel. */
  readonly sources: readonly string[];
  /** Distinct position reports fused (a message heard by three feeds counts once). */
  readonly reportCount: number;
  /** Ids of the zones the vessel is in. */
  readonly zones: readonly string[];
}

/**
 * The fields of a core track as DESIGN.md §2.5 publishes them (NDJSON in `replay`, protobuf on
 * Kafka). The track keeps provenance as a member set and zones as zone-index positions; the
 * caller resolves them (`MemberRegistry.idsOf`, `ZoneIndex.zones`).
 */
export function fusedTrack(
  track: VesselTrack,
  sources: readonly string[],
  zones: readonly string[],
): FusedTrack {
  const fix = track.hasFix();
  return {
    mmsi: track.mmsi,
    lat: fix ? track.lat : undefined,
    lon: fix ? track.lon : undefined,
    sog: track.sog,
    cog: track.cog,
    heading: track.heading,
    navStatus: track.navStatus,
    lastSeen: track.lastSeen,
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
    sources,
    reportCount: track.reportCount,
    zones,
  };
}
