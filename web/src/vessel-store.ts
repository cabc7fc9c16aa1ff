import { decodeTrackFrame, type FrameVessel } from '../../src/picture/track-frame.js';

/**
 * The vessels the server sent for this page's viewport: applied frame by frame (updates replace,
 * removals delete), with the picture time of the latest frame for staleness.
 */
export class VesselStore {
  private readonly vessels = new Map<number, FrameVessel>();
  private list: FrameVessel[] = [];
  private changed = false;
  pictureTimeMs = 0;
  frames = 0;

  apply(bytes: ArrayBuffer): void {
    const frame = decodeTrackFrame(new Uint8Array(bytes));
    for (const vessel of frame.vessels) this.vessels.set(vessel.mmsi, vessel);
    for (const mmsi of frame.removed) this.vessels.delete(mmsi);
    if (frame.pictureTimeMs > this.pictureTimeMs) this.pictureTimeMs = frame.pictureTimeMs;
    this.frames++;
    this.changed = true;
  }

  /** Forgets everything (a new connection starts from an empty view). */
  clear(): void {
    this.vessels.clear();
    this.changed = true;
  }

  get(mmsi: number): FrameVessel | undefined {
    return this.vessels.get(mmsi);
  }

  /** Every vessel held, as a new array after a change (deck.gl re-reads data it sees change). */
  all(): FrameVessel[] {
    if (this.changed) {
      this.list = [...this.vessels.values()];
      this.changed = false;
    }
    return this.list;
  }
}
