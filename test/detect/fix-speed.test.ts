import { describe, expect, it } from 'vitest';
import { fixSpeedKnots, isSlowFix } from '../../src/detect/fix-speed.js';
import { VesselTrack } from '../../src/fusion/vessel-track.js';
import { T0 } from '../support/core-harness.js';

const VESSEL = 538_001_234;
const METERS_PER_DEGREE = 111_195;

/** A vessel whose latest fix is `meters` north of the previous one, `seconds` later. */
function fixes(sog: number | undefined, seconds: number, meters: number): VesselTrack {
  const track = new VesselTrack(VESSEL, 0);
  track.previousLat = 10;
  track.previousLon = 20;
  track.previousFixTime = T0;
  track.lat = 10 + meters / METERS_PER_DEGREE;
  track.lon = 20;
  track.fixTime = T0 + seconds * 1000;
  track.sog = sog;
  return track;
}

describe('fixSpeedKnots', () => {
  it('is the SOG when the report has one, whatever the positions say', () => {
    expect(fixSpeedKnots(fixes(0.4, 60, 5000))).toBe(0.4);
  });

  it('is implied by the previous fix when SOG is missing and the fixes are 30 s or more apart', () => {
    expect(fixSpeedKnots(fixes(undefined, 3600, 1852))).toBeCloseTo(1, 2);
    expect(fixSpeedKnots(fixes(undefined, 10, 5))).toBeUndefined();
  });

  it('is unknown for a first fix without SOG', () => {
    const track = new VesselTrack(VESSEL, 0);
    track.lat = 10;
    track.lon = 20;
    track.fixTime = T0;
    expect(fixSpeedKnots(track)).toBeUndefined();
  });
});

describe('isSlowFix', () => {
  it('compares the fix speed with the limit, strictly', () => {
    expect(isSlowFix(fixes(0.4, 60, 5000), 2, false)).toBe(true);
    expect(isSlowFix(fixes(2, 60, 0), 2, true)).toBe(false);
  });

  it('keeps the previous judgement when the speed is unknown', () => {
    expect(isSlowFix(fixes(undefined, 10, 5), 2, true)).toBe(true);
    expect(isSlowFix(fixes(undefined, 10, 5), 2, false)).toBe(false);
  });
});
