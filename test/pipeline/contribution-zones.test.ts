import { describe, expect, it } from 'vitest';
import { AisMessage } from '../../src/ais/ais-message.js';
import { ContributionZones } from '../../src/pipeline/contribution-zones.js';
import { boxZones } from '../support/box-zones.js';

const zones = boxZones(
  { id: 'eez', name: 'EEZ', kind: 'eez', box: [0, 0, 10, 10] },
  { id: 'sea', name: 'Territorial sea', kind: 'territorial_sea', box: [1, 1, 2, 2] },
);

function message(mmsi: number, lat?: number, lon?: number): AisMessage {
  const m = new AisMessage();
  m.type = lat === undefined ? 5 : 1;
  m.mmsi = mmsi;
  m.lat = lat;
  m.lon = lon;
  return m;
}

function ids(judge: ContributionZones, m: AisMessage, contributor: number): string[] {
  const out: number[] = [];
  const count = judge.zonesOf(m, contributor, out);
  return out.slice(0, count).map((i) => zones.zones[i]!.id);
}

describe('ContributionZones: where a contribution is judged for inside rules', () => {
  it('judges a positioned report where it is', () => {
    const judge = new ContributionZones(zones, 2);
    expect(ids(judge, message(1, 1.5, 1.5), 0)).toEqual(['eez', 'sea']);
    expect(ids(judge, message(1, 5, 5), 0)).toEqual(['eez']);
    expect(ids(judge, message(1, 20, 20), 0)).toEqual([]);
  });

  it("judges static data at the same contributor's last position of that vessel", () => {
    const judge = new ContributionZones(zones, 2);
    ids(judge, message(1, 1.5, 1.5), 0);
    ids(judge, message(1, 5, 5), 1);
    ids(judge, message(2, 20, 20), 0);
    expect(ids(judge, message(1), 0)).toEqual(['eez', 'sea']);
    expect(ids(judge, message(1), 1)).toEqual(['eez']);
    expect(ids(judge, message(2), 0)).toEqual([]);
    // The vessel moves out of the territorial sea: its static data follows.
    ids(judge, message(1, 5, 5), 0);
    expect(ids(judge, message(1), 0)).toEqual(['eez']);
  });

  it('judges a report with no known position as inside every zone (the most restrictive)', () => {
    const judge = new ContributionZones(zones, 2);
    ids(judge, message(1, 5, 5), 1);
    expect(ids(judge, message(1), 0)).toEqual(['eez', 'sea']);
    // 0,0 is "no fix", not a position: judged at the last one.
    ids(judge, message(3, 1.5, 1.5), 0);
    expect(ids(judge, message(3, 0, 0), 0)).toEqual(['eez', 'sea']);
    expect(ids(judge, message(4, 0, 0), 0)).toEqual(['eez', 'sea']);
  });

  it('remembers positions past its initial room', () => {
    const judge = new ContributionZones(zones, 1);
    for (let mmsi = 1; mmsi <= 5000; mmsi++) ids(judge, message(mmsi, 1.5, (mmsi % 9) + 0.5), 0);
    expect(judge.remembered).toBe(5000);
    expect(ids(judge, message(1), 0)).toEqual(['eez', 'sea']);
    expect(ids(judge, message(5000), 0)).toEqual(['eez']);
  });
});
