import { type Alert, alertId } from '../../../src/detect/alert.js';
import { MemberRegistry } from '../../../src/fusion/member-registry.js';
import { VesselTrack } from '../../../src/fusion/vessel-track.js';

/** An open rendezvous alert with every optional field the kind has, as the core builds it. */
export function sampleAlert(): Alert {
  const start = Date.UTC(2024, 4, 2, 11, 30, 0, 125);
  return {
    id: alertId('rendezvous', 244_123_456, 636_012_345, undefined, start),
    kind: 'rendezvous',
    mmsi: 244_123_456,
    otherMmsi: 636_012_345,
    zoneId: undefined,
    start,
    end: undefined,
    lat: 51.987_654_321,
    lon: -3.123_456_789,
    sources: ['alpha', 'bravo'],
    revision: 2,
    rule: {
      name: 'rendezvous',
      version: 1,
      thresholds: { maxDistanceMeters: 500, maxSogKnots: 2, minDurationSeconds: 7200 },
    },
    detail: { distanceMeters: 312.5, durationSeconds: 7260, inPort: false, note: 'ship-to-ship' },
  };
}

/** A zone exit: closed (end set), zone id, no other vessel, zeros where zeros are legal. */
export function closedZoneAlert(): Alert {
  return {
    id: alertId('zone_exit', 1, undefined, 'eez-1', 0),
    kind: 'zone_exit',
    mmsi: 1,
    otherMmsi: undefined,
    zoneId: 'eez-1',
    start: 0,
    end: 0,
    lat: 0,
    lon: 0,
    sources: [],
    revision: 0,
    rule: { name: 'zone-crossing', version: 3, thresholds: {} },
    detail: {},
  };
}

/** A track with a fix and all static data, heard by two members. */
export function sampleTrack(): { track: VesselTrack; members: MemberRegistry } {
  const members = new MemberRegistry();
  const track = new VesselTrack(257_000_123, 2);
  track.lat = 60.391_2;
  track.lon = 5.322_1;
  track.sog = 12.3;
  track.cog = 271.4;
  track.heading = 270;
  track.navStatus = 0;
  track.fixTime = Date.UTC(2024, 0, 1, 12, 0, 0);
  track.lastSeen = Date.UTC(2024, 0, 1, 12, 0, 7, 250);
  track.firstSeen = Date.UTC(2024, 0, 1, 8, 0, 0);
  track.sourceSet = members.union(members.setOf('navy'), members.setOf('coastguard'));
  track.reportCount = 4321;
  track.shipName = 'NORDIC STAR';
  track.callSign = 'LAXY7';
  track.imo = 9_123_456;
  track.shipType = 70;
  track.toBow = 120;
  track.toStern = 30;
  track.toPort = 12;
  track.toStarboard = 13;
  track.draught = 8.4;
  track.destination = 'BERGEN';
  return { track, members };
}
