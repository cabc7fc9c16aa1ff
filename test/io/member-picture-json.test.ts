import { describe, expect, it } from 'vitest';
import { parseCoalition } from '../../src/coalition/parse-coalition.js';
import { MemberRegistry } from '../../src/fusion/member-registry.js';
import { VesselTrack } from '../../src/fusion/vessel-track.js';
import { memberAlertJson, memberTrackJson } from '../../src/io/member-picture-json.js';
import { boxZones } from '../support/box-zones.js';

describe('a track and an alert as a member receives them', () => {
  const zones = boxZones(
    { id: 'eez', name: 'EEZ', kind: 'eez', box: [0, 0, 10, 10] },
    { id: 'ops', name: 'Exercise area', kind: 'restricted', members: ['ca'], box: [1, 1, 2, 2] },
  );
  const coalition = parseCoalition(
    { members: { ca: { name: 'Canada' }, no: { name: 'Norway' } } },
    { source: 'two', zones: zones.zones },
  );

  it("leaves another member set's private zone out of the track's zones, and carries the version", () => {
    const track = new VesselTrack(257000000, 0);
    track.lat = 1.5;
    track.lon = 1.5;
    track.fixTime = 1;
    track.lastSeen = 1;
    track.zones = [0, 1];
    const members = new MemberRegistry();
    expect(memberTrackJson(track, members, zones, coalition, 'ca', 'v1')).toMatchObject({
      zones: ['eez', 'ops'],
      policyVersion: 'v1',
    });
    expect(memberTrackJson(track, members, zones, coalition, 'no', 'v1')).toMatchObject({
      zones: ['eez'],
      policyVersion: 'v1',
    });
  });

  it('adds the policy version to the alert as replay writes it', () => {
    const json = memberAlertJson(
      {
        id: 'a1',
        kind: 'loitering',
        mmsi: 257000000,
        otherMmsi: undefined,
        zoneId: undefined,
        start: 0,
        end: undefined,
        lat: 1,
        lon: 2,
        sources: ['ca'],
        revision: 1,
        rule: { name: 'loitering', version: 1, thresholds: {} },
        detail: {},
      },
      'v2',
    );
    expect(json).toMatchObject({
      id: 'a1',
      kind: 'loitering',
      sources: ['ca'],
      policyVersion: 'v2',
    });
  });
});
