import type { VesselTrack } from '../fusion/vessel-track.js';

/**
 * At most one fused-track message per vessel per `intervalMs` of event time (issue 4: an
 * operations centre does not want a message per duplicate or per report of a vessel reporting
 * every 2 s). The first change of a vessel goes out at once; changes within the interval are
 * folded into one message sent when the interval has passed (`due`), carrying the latest state.
 * Event time, not wall time, so a replayed backlog is thinned the same way as live traffic.
 */
export class TrackThrottle {
  /** Event time of each vessel's last published message. */
  private readonly publishedAt = new Map<number, number>();
  /** Vessels changed since their last message, and the track to send. */
  private readonly pending = new Map<number, VesselTrack>();

  constructor(private readonly intervalMs: number) {
    if (!(intervalMs >= 0)) throw new RangeError(`intervalMs must be ≥ 0: ${intervalMs}`);
  }

  /** A track changed: true when it should be published now, else it waits for `due`. */
  offer(track: VesselTrack): boolean {
    const last = this.publishedAt.get(track.mmsi);
    if (last === undefined || track.lastSeen - last >= this.intervalMs) {
      this.publishedAt.set(track.mmsi, track.lastSeen);
      this.pending.delete(track.mmsi);
      return true;
    }
    this.pending.set(track.mmsi, track);
    return false;
  }

  /** Hands out the waiting tracks whose interval has passed by event time `now`. */
  due(now: number, publish: (track: VesselTrack) => void): void {
    for (const [mmsi, track] of this.pending) {
      if (now - this.publishedAt.get(mmsi)! < this.intervalMs) continue;
      this.pending.delete(mmsi);
      this.publishedAt.set(mmsi, now);
      publish(track);
    }
  }

  /**
   * Hands out every waiting track now, whatever its interval: the input has paused (every
   * partition idle), so nothing newer will come to fold into it, and the vessel's last message
   * must carry its latest state.
   */
  flush(publish: (track: VesselTrack) => void): void {
    for (const [mmsi, track] of this.pending) {
      this.pending.delete(mmsi);
      this.publishedAt.set(mmsi, track.lastSeen);
      publish(track);
    }
  }

  /** A vessel the core forgot: nothing of it waits any more. */
  forget(mmsi: number): void {
    this.publishedAt.delete(mmsi);
    this.pending.delete(mmsi);
  }

  /** Vessels with a change not yet published. */
  get pendingCount(): number {
    return this.pending.size;
  }
}
