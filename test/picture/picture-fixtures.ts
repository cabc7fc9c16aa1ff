import type { FusedTrack } from '../../src/fusion/fused-track.js';
import type { PictureAlert } from '../../src/picture/picture-alert.js';

/** A fused track with the fields a test names, the rest unknown. */
export function track(fields: Partial<FusedTrack> & { mmsi: number }): FusedTrack {
  return {
    lat: undefined,
    lon: undefined,
    sog: undefined,
    cog: undefined,
    heading: undefined,
    navStatus: undefined,
    lastSeen: Date.UTC(2026, 0, 1),
    shipName: undefined,
    callSign: undefined,
    imo: undefined,
    shipType: undefined,
    toBow: undefined,
    toStern: undefined,
    toPort: undefined,
    toStarboard: undefined,
    draught: undefined,
    destination: undefined,
    sources: ['ca'],
    reportCount: 1,
    zones: [],
    ...fields,
  };
}

export function alert(fields: Partial<PictureAlert> & { id: string }): PictureAlert {
  return {
    kind: 'zone_entry',
    mmsi: 244_000_001,
    start: Date.UTC(2026, 0, 1),
    lat: 50,
    lon: 3,
    sources: ['ca'],
    revision: 1,
    detail: {},
    ...fields,
  };
}
