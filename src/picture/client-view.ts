import type { FusedTrack } from '../fusion/fused-track.js';
import type { PictureModel } from './picture-model.js';
import { type Viewport, viewportContains, WORLD } from './viewport.js';

/** What one frame tells a client: tracks new or changed in its viewport, MMSIs that left it. */
export interface TrackFrame {
  /** The picture's event time (PictureModel.pictureTimeMs), epoch ms. */
  readonly pictureTimeMs: number;
  readonly updates: readonly FusedTrack[];
  /** Vessels the client holds that are no longer in its viewport (or in the picture). */
  readonly removed: readonly number[];
  /**
   * Whether the client now holds its whole viewport: false while a large picture is still coming
   * in frames of at most maxTracksPerFrame (the page fits its map to the first complete one).
   */
  readonly complete: boolean;
}

/** Default most tracks in one frame (28 bytes each, track-frame.ts: about 560 KB). */
export const DEFAULT_MAX_TRACKS_PER_FRAME = 20_000;

/**
 * One client's side of the picture (issue 15): its viewport and, per vessel it holds, the
 * sequence number of the track it was sent. A frame is the difference between that and the
 * model now, so frames never queue up: a client that skips frames (slow socket) gets everything it
 * missed in the next one, and the memory per client is this map (the vessels in its viewport),
 * whatever the update rate.
 */
export class ClientView {
  private viewportBox: Viewport = WORLD;
  /** Per vessel held: the sequence number sent, and the last frame that met it in the viewport. */
  private readonly held = new Map<number, { sequence: number; frame: number }>();
  private frameNumber = 0;
  /** Model sequence the last frame was computed at; -1: a frame is due (new viewport). */
  private frameSequence = -1;
  private readonly maxTracksPerFrame: number;

  constructor(maxTracksPerFrame = DEFAULT_MAX_TRACKS_PER_FRAME) {
    if (!Number.isInteger(maxTracksPerFrame) || maxTracksPerFrame <= 0) {
      throw new RangeError(`maxTracksPerFrame: ${maxTracksPerFrame} is not a positive integer.`);
    }
    this.maxTracksPerFrame = maxTracksPerFrame;
  }

  get viewport(): Viewport {
    return this.viewportBox;
  }

  /** Vessels this client holds (were sent and not removed). */
  get heldCount(): number {
    return this.held.size;
  }

  setViewport(viewport: Viewport): void {
    this.viewportBox = viewport;
    this.frameSequence = -1;
  }

  /**
   * The next frame, or undefined when nothing changed for this client since its last one. At most
   * `maxTracksPerFrame` updates: the rest follow in the next frames.
   */
  nextFrame(model: PictureModel): TrackFrame | undefined {
    if (model.sequence === this.frameSequence) return undefined;
    if (this.frameSequence >= 0 && model.sequence - this.frameSequence <= this.maxTracksPerFrame) {
      const frame = this.changedFrame(model);
      if (frame !== undefined || this.frameSequence === model.sequence) return frame;
    }
    return this.wholeFrame(model);
  }

  /**
   * The frame from the model's changes since the last frame (when the log reaches back that far;
   * undefined otherwise, or when the changes concern nothing held or in view). Costs the number
   * of changes, whatever the size of the viewport.
   */
  private changedFrame(model: PictureModel): TrackFrame | undefined {
    const updates: FusedTrack[] = [];
    const removed: number[] = [];
    const frame = this.frameNumber;
    const reached = model.changesSince(this.frameSequence, (mmsi) => {
      const vessel = model.vessel(mmsi);
      const held = this.held.get(mmsi);
      const track = vessel?.track;
      const inView =
        track?.lat !== undefined &&
        track.lon !== undefined &&
        viewportContains(this.viewportBox, track.lon, track.lat);
      if (inView) {
        if (held === undefined) this.held.set(mmsi, { sequence: vessel!.sequence, frame });
        else if (held.sequence === vessel!.sequence) return;
        else held.sequence = vessel!.sequence;
        updates.push(track);
      } else if (held !== undefined) {
        this.held.delete(mmsi);
        removed.push(mmsi);
      }
    });
    if (!reached) return undefined;
    this.frameSequence = model.sequence;
    if (updates.length === 0 && removed.length === 0) return undefined;
    return { pictureTimeMs: model.pictureTimeMs, updates, removed, complete: true };
  }

  /** The frame from a pass over the whole viewport (a new viewport, or a picture in parts). */
  private wholeFrame(model: PictureModel): TrackFrame | undefined {
    const sequence = model.sequence;
    const frame = ++this.frameNumber;
    const inView = model.inViewport(this.viewportBox);
    const updates: FusedTrack[] = [];
    let complete = true;
    for (let i = 0; i < inView.length; i++) {
      const vessel = inView[i]!;
      const mmsi = vessel.track.mmsi;
      const held = this.held.get(mmsi);
      if (held !== undefined && held.sequence === vessel.sequence) {
        held.frame = frame;
        continue;
      }
      if (updates.length >= this.maxTracksPerFrame) {
        complete = false;
        break;
      }
      updates.push(vessel.track);
      if (held === undefined) this.held.set(mmsi, { sequence: vessel.sequence, frame });
      else {
        held.sequence = vessel.sequence;
        held.frame = frame;
      }
    }
    // Whatever this frame did not meet in the viewport has left it (or the picture). Only a
    // complete pass has met everything: a frame cut at maxTracksPerFrame removes nothing.
    const removed: number[] = [];
    if (complete) {
      for (const [mmsi, held] of this.held) if (held.frame !== frame) removed.push(mmsi);
      for (const mmsi of removed) this.held.delete(mmsi);
    }
    this.frameSequence = complete ? sequence : -1;
    if (updates.length === 0 && removed.length === 0) return undefined;
    return { pictureTimeMs: model.pictureTimeMs, updates, removed, complete };
  }
}
