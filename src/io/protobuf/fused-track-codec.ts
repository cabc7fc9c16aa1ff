import { type FusedTrack, fusedTrack } from '../../fusion/fused-track.js';
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
 * `tidewatch.v1.FusedTrack` on the wire: the fused-track fields (src/fusion/fused-track.ts) and
 * the coalition policy it was computed under (DESIGN.md §6; undefined without a coalition).
 */
export type FusedTrackMessage = FusedTrack & { readonly policyVersion?: string | undefined };

/**
 * The message for a core track. The track keeps provenance as a member set and zones as
 * zone-index positions; the caller resolves them (`MemberRegistry.idsOf`, `ZoneIndex.zones`),
 * as `trackToJson` does.
 */
export function fusedTrackMessage(
  track: VesselTrack,
  sources: readonly string[],
  zones: readonly string[],
  policyVersion?: string,
): FusedTrackMessage {
  if (!Number.isFinite(track.lastSeen)) {
    throw new CodecError(
      'PROTO_BAD_INPUT',
      `FusedTrack of MMSI ${track.mmsi}: lastSeen ${track.lastSeen} is not a time (a track with no report yet).`,
    );
  }
  return { ...fusedTrack(track, sources, zones), policyVersion };
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
    policyVersion: optionalString(m, 'policyVersion'),
  };
}
