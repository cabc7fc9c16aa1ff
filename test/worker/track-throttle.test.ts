import { describe, expect, it } from 'vitest';
import { VesselTrack } from '../../src/fusion/vessel-track.js';
import { TrackThrottle } from '../../src/worker/track-throttle.js';

function at(track: VesselTrack, time: number): VesselTrack {
  track.lastSeen = time;
  return track;
}

describe('TrackThrottle', () => {
  it('sends the first change at once and folds the rest of the interval into one message', () => {
    const throttle = new TrackThrottle(10_000);
    const a = new VesselTrack(1, 0);
    expect(throttle.offer(at(a, 0))).toBe(true);
    expect(throttle.offer(at(a, 2000))).toBe(false);
    expect(throttle.offer(at(a, 4000))).toBe(false);
    const sent: number[] = [];
    throttle.due(9999, (track) => sent.push(track.lastSeen));
    expect(sent).toEqual([]);
    throttle.due(10_000, (track) => sent.push(track.lastSeen));
    expect(sent).toEqual([4000]);
    expect(throttle.pendingCount).toBe(0);
    // The interval restarts from that message.
    expect(throttle.offer(at(a, 15_000))).toBe(false);
    expect(throttle.offer(at(a, 20_000))).toBe(true);
  });

  it('throttles each vessel on its own', () => {
    const throttle = new TrackThrottle(10_000);
    expect(throttle.offer(at(new VesselTrack(1, 0), 0))).toBe(true);
    expect(throttle.offer(at(new VesselTrack(2, 0), 1000))).toBe(true);
  });

  it('forgets an evicted vessel, pending change included', () => {
    const throttle = new TrackThrottle(10_000);
    const a = new VesselTrack(1, 0);
    throttle.offer(at(a, 0));
    throttle.offer(at(a, 1000));
    throttle.forget(1);
    const sent: VesselTrack[] = [];
    throttle.due(100_000, (track) => sent.push(track));
    expect(sent).toEqual([]);
    expect(throttle.offer(at(a, 2000))).toBe(true);
  });

  it('with a zero interval, sends every change', () => {
    const throttle = new TrackThrottle(0);
    const a = new VesselTrack(1, 0);
    expect(throttle.offer(at(a, 0))).toBe(true);
    expect(throttle.offer(at(a, 0))).toBe(true);
  });

  it('flushes the waiting changes at once, and the interval restarts from their time', () => {
    const throttle = new TrackThrottle(10_000);
    const a = new VesselTrack(1, 0);
    const b = new VesselTrack(2, 0);
    throttle.offer(at(a, 0));
    throttle.offer(at(b, 0));
    throttle.offer(at(a, 4000));
    const sent: number[] = [];
    throttle.flush((track) => sent.push(track.mmsi));
    expect(sent).toEqual([1]);
    expect(throttle.pendingCount).toBe(0);
    expect(throttle.offer(at(a, 13_000))).toBe(false);
    expect(throttle.offer(at(a, 14_000))).toBe(true);
  });
});
