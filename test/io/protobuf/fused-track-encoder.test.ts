import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MemberNames } from '../../../src/fusion/member-registry.js';
import { VesselTrack } from '../../../src/fusion/vessel-track.js';
import {
  decodeFusedTrack,
  encodeFusedTrack,
  fusedTrackMessage,
} from '../../../src/io/protobuf/fused-track-codec.js';
import { FusedTrackEncoder } from '../../../src/io/protobuf/fused-track-encoder.js';
import { trackZoneIds } from '../../../src/io/track-json.js';
import { DEFAULT_CORE_CONFIG } from '../../../src/pipeline/core-config.js';
import { defaultDetectors } from '../../../src/pipeline/default-detectors.js';
import { replay } from '../../../src/pipeline/replay.js';
import { simulate } from '../../../src/sim/simulate.js';
import { parseZoneCollection } from '../../../src/zones/parse-zones.js';
import { ZoneIndex } from '../../../src/zones/zone-index.js';
import { sampleTrack } from './codec-fixtures.js';

/** What protobufjs writes for the same track (the reference). */
function reference(track: VesselTrack, members: MemberNames, zones?: ZoneIndex): Buffer {
  return encodeFusedTrack(
    fusedTrackMessage(track, members.idsOf(track.sourceSet), trackZoneIds(track, zones)),
  );
}

describe('FusedTrackEncoder', () => {
  it('writes the bytes protobufjs writes, for every track update of a simulated run with zones', async () => {
    const sim = simulate({ seed: 3, hours: 6, vessels: 20 });
    const zones = new ZoneIndex(parseZoneCollection(sim.zones, 'simulated zones').zones);
    const dir = mkdtempSync(join(tmpdir(), 'tidewatch-track-encoder-'));
    try {
      const feeds = sim.feeds.map((feed) => {
        const path = join(dir, `${feed.member}.nmea`);
        writeFileSync(path, `${feed.lines.join('\n')}\n`);
        return { member: feed.member, path };
      });
      let compared = 0;
      let zoned = 0;
      let named = 0;
      const mismatches: number[] = [];
      await replay({
        feeds,
        zones,
        config: DEFAULT_CORE_CONFIG,
        detectors: defaultDetectors(DEFAULT_CORE_CONFIG),
        connect: (core) => {
          const encoder = new FusedTrackEncoder(core.members, zones);
          return {
            output: {
              alert: () => {},
              track: (track) => {
                compared++;
                if (track.zones.length > 0) zoned++;
                if (track.shipName !== undefined) named++;
                const ours = encoder.encode(track);
                if (!ours.equals(reference(track, core.members, zones))) {
                  mismatches.push(track.mmsi);
                }
              },
            },
          };
        },
      });
      expect(mismatches.slice(0, 5)).toEqual([]);
      expect(compared).toBeGreaterThan(10_000);
      expect(zoned).toBeGreaterThan(100);
      expect(named).toBeGreaterThan(1000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('matches on edge values: every field, long and non-ASCII text, large numbers, no fix', () => {
    const { track, members } = sampleTrack();
    track.shipName = 'ÅLESUND – ØST 号'.repeat(12); // over 127 bytes: a two-byte length
    track.destination = '';
    track.imo = 999_999_999;
    track.reportCount = 2 ** 40 + 3;
    track.lastSeen = 2 ** 45;
    track.heading = 0;
    const encoder = new FusedTrackEncoder(members, undefined);
    expect(encoder.encode(track).equals(reference(track, members))).toBe(true);
    expect(decodeFusedTrack(encoder.encode(track)).shipName).toBe(track.shipName);

    const big = new VesselTrack(0xffff_ffff, 0);
    big.lastSeen = 1;
    expect(encoder.encode(big).equals(reference(big, members))).toBe(true);

    // Zeros: the plain proto3 fields are left out, present optional ones written.
    const bare = new VesselTrack(0, 0);
    bare.lastSeen = 0;
    bare.heading = 0;
    bare.sog = 0;
    expect(encoder.encode(bare).equals(reference(bare, members))).toBe(true);
  });

  it('for a coalition member: the policy version, and no private zone of another member set', () => {
    const { track, members } = sampleTrack();
    const zones = new ZoneIndex(
      parseZoneCollection(
        {
          type: 'FeatureCollection',
          features: ['eez-a', 'watch-b', 'port-c'].map((id) => ({
            type: 'Feature',
            properties: { id, name: id, kind: 'custom' },
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [0, 0],
                  [1, 0],
                  [1, 1],
                  [0, 1],
                  [0, 0],
                ],
              ],
            },
          })),
        },
        'test zones',
      ).zones,
    );
    track.zones = [0, 1, 2];
    const encoder = new FusedTrackEncoder(members, zones, {
      policyVersion: 'feedc0de12345678',
      hideZone: (id) => id === 'watch-b',
    });
    const ours = encoder.encode(track);
    const expected = encodeFusedTrack(
      fusedTrackMessage(
        track,
        members.idsOf(track.sourceSet),
        ['eez-a', 'port-c'],
        'feedc0de12345678',
      ),
    );
    expect(ours.equals(expected)).toBe(true);
    expect(decodeFusedTrack(ours)).toMatchObject({
      zones: ['eez-a', 'port-c'],
      policyVersion: 'feedc0de12345678',
    });
    expect(decodeFusedTrack(new FusedTrackEncoder(members, zones).encode(track))).toMatchObject({
      zones: ['eez-a', 'watch-b', 'port-c'],
      policyVersion: undefined,
    });
  });

  it('refuses a track that has no report yet', () => {
    const { members } = sampleTrack();
    expect(() => new FusedTrackEncoder(members, undefined).encode(new VesselTrack(1, 0))).toThrow(
      /lastSeen NaN/,
    );
  });
});
