import { describe, expect, it } from 'vitest';
import { VesselTrack } from '../../../src/fusion/vessel-track.js';
import {
  decodeFusedTrack,
  encodeFusedTrack,
  fusedTrackMessage,
} from '../../../src/io/protobuf/fused-track-codec.js';
import { tidewatchSchema } from '../../../src/io/protobuf/tidewatch-schema.js';
import { sampleTrack } from './codec-fixtures.js';

describe('fused track codec', () => {
  it('round-trips a track with a fix and static data', () => {
    const { track, members } = sampleTrack();
    const message = fusedTrackMessage(track, members.idsOf(track.sourceSet), ['eez-no', 'port-1']);
    const decoded = decodeFusedTrack(encodeFusedTrack(message));
    expect(decoded).toEqual(message);
    expect(decoded).toMatchObject({
      mmsi: 257_000_123,
      lat: 60.391_2,
      lastSeen: Date.UTC(2024, 0, 1, 12, 0, 7, 250),
      sources: ['coastguard', 'navy'],
      reportCount: 4321,
      zones: ['eez-no', 'port-1'],
      shipName: 'NORDIC STAR',
      draught: 8.4,
    });
  });

  it('leaves out position and kinematics before the first fix, keeps zero values', () => {
    const track = new VesselTrack(0, 0);
    track.lastSeen = 0;
    track.navStatus = 0;
    track.sog = 0;
    const decoded = decodeFusedTrack(encodeFusedTrack(fusedTrackMessage(track, [], [])));
    expect(decoded.lat).toBeUndefined();
    expect(decoded.lon).toBeUndefined();
    expect(decoded.cog).toBeUndefined();
    expect(decoded.shipName).toBeUndefined();
    expect(decoded.navStatus).toBe(0);
    expect(decoded.sog).toBe(0);
    expect(decoded.lastSeen).toBe(0);
    expect(decoded.reportCount).toBe(0);
  });

  it('maps every field of tidewatch.v1.FusedTrack', () => {
    const { track, members } = sampleTrack();
    const message = fusedTrackMessage(track, members.idsOf(track.sourceSet), []);
    const fields = tidewatchSchema()
      .fusedTrack.fieldsArray.map((field) => field.name)
      .sort();
    expect(Object.keys(message).sort()).toEqual(fields);
    expect(Object.keys(decodeFusedTrack(encodeFusedTrack(message))).sort()).toEqual(fields);
  });

  it('refuses a track that has no report yet', () => {
    expect(() => fusedTrackMessage(new VesselTrack(1, 0), [], [])).toThrow(/lastSeen NaN/);
  });
});
