import type { VesselTrack } from '../../fusion/vessel-track.js';
import { CodecError } from './codec-error.js';
import { tidewatchSchema } from './tidewatch-schema.js';
import {
  decodeMessage,
  finishToBuffer,
  int64Value,
  optionalNumber,
  optionalString,
  stringList,
} from './wire-values.js';

/**
 * `tidewatch.v1.FusedTrack` (DESIGN.md §2.5) as TypeScript: one vessel's fused state on topic
 * `tracks.fused`. Times are epoch ms; `undefined` is a field absent on the wire (unknown).
 */
export interface FusedTrackMessage {
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
  readonly shipName: string | undefined;
  readonly callSign: string | undefined;
  readonly imo: number | undefined;
  readonly shipType: number | undefined;
  readonly toBow: number | undefined;
  readonly toStern: number | undefined;
  readonly toPort: number | undefined;
  readonly toStarboard: number | undefined;
  readonly draught: number | undefined;
  readonly destination: string | undefined;
  /** Member ids whose feeds heard this vessel. */
  readonly sources: readonly string[];
  /** Distinct position reports fused (a message heard by three feeds counts once). */
  readonly reportCount: number;
  /** Ids of the zones the vessel is in. */
  readonly zones: readonly string[];
}

/**
 * The message for a core track. The track keeps provenance as a member bit mask and zones as
 * zone-index positions; the caller resolves them (`MemberRegistry.idsOf`, `ZoneIndex.zones`),
 * as `trackToJson` does.
 */
export function fusedTrackMessage(
  track: VesselTrack,
  sources: readonly string[],
  zones: readonly string[],
): FusedTrackMessage {
  if (!Number.isFinite(track.lastSeen)) {
    throw new CodecError(
      'PROTO_BAD_INPUT',
      `FusedTrack of MMSI ${track.mmsi}: lastSeen ${track.lastSeen} is not a time (a track with no report yet).`,
    );
  }
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

/** Encodes a fused track (protobufjs skips the `undefined` optional fields). */
export function encodeFusedTrack(message: FusedTrackMessage): Buffer {
  return finishToBuffer(tidewatchSchema().fusedTrack.encode(message));
}

/** Decodes a `tracks.fused` value. */
export function decodeFusedTrack(bytes: Uint8Array): FusedTrackMessage {
  const m = decodeMessage(tidewatchSchema().fusedTrack, bytes);
  return {
    mmsi: m.mmsi as number,
    lat: optionalNumber(m, 'lat'),
    lon: optionalNumber(m, 'lon'),
    sog: optionalNumber(m, 'sog'),
    cog: optionalNumber(m, 'cog'),
    heading: optionalNumber(m, 'heading'),
    navStatus: optionalNumber(m, 'navStatus'),
    lastSeen: int64Value(m.lastSeen),
    shipName: optionalString(m, 'shipName'),
    callSign: optionalString(m, 'callSign'),
    imo: optionalNumber(m, 'imo'),
    shipType: optionalNumber(m, 'shipType'),
    toBow: optionalNumber(m, 'toBow'),
    toStern: optionalNumber(m, 'toStern'),
    toPort: optionalNumber(m, 'toPort'),
    toStarboard: optionalNumber(m, 'toStarboard'),
    draught: optionalNumber(m, 'draught'),
    destination: optionalString(m, 'destination'),
    sources: stringList(m, 'sources'),
    reportCount: int64Value(m.reportCount),
    zones: stringList(m, 'zones'),
  };
}
