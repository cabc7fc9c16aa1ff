import { TrackFrameReader } from '../../src/picture/track-frame.js';
import { type ShipGroup, shipColor, shipGroup } from './ship-types.js';

/** A vessel not heard for this long (picture time) is drawn dimmed. */
export const STALE_AFTER_MS = 15 * 60_000;
const ALPHA_LIVE = 255;
const ALPHA_STALE = 80;

/**
 * The vessels the server sent for this page's viewport, in typed arrays the map's layers draw
 * from directly (deck.gl binary attributes): slot `i` of each array is one vessel, slots
 * `0 … count-1` are in use, without holes. A frame is read in place (TrackFrameReader): an update
 * writes its vessel's slot, a removal moves the last slot into the freed one. Nothing is rebuilt
 * per frame and nothing at all on a pan; each array carries a version number bumped when any of
 * its slots changed, so the layers upload only the arrays that did.
 */
export class VesselStore {
  count = 0;
  /** Per slot: MMSI. */
  mmsi = new Uint32Array(0);
  /** Per slot: longitude, latitude (degrees). */
  positions = new Float64Array(0);
  /** Per slot: the icon's rotation, degrees counter-clockwise from north (deck.gl's sense). */
  angles = new Float32Array(0);
  /** Per slot: RGBA; alpha dims a stale vessel and hides one the type filter leaves out. */
  colors = new Uint8Array(0);
  /** Per slot: last seen, epoch ms. */
  lastSeen = new Float64Array(0);
  /** Per slot: ship-type code (0: not available). */
  shipTypes = new Uint8Array(0);
  /** Bumped when a slot of the array changed (or the arrays grew, or `count` changed). */
  readonly versions = { positions: 0, angles: 0, colors: 0, count: 0 };
  pictureTimeMs = 0;
  frames = 0;
  private readonly slotOf = new Map<number, number>();
  private filter: ShipGroup | '' = '';

  constructor(capacity = 1024) {
    this.grow(capacity);
  }

  /**
   * Applies one binary frame (src/picture/track-frame.ts); returns whether it completes the
   * picture of the viewport (a large one comes in several frames).
   */
  apply(bytes: ArrayBuffer): boolean {
    const frame = new TrackFrameReader(new Uint8Array(bytes));
    const countBefore = this.count;
    if (this.count + frame.updateCount > this.mmsi.length) {
      this.grow(Math.max(2 * this.mmsi.length, this.count + frame.updateCount));
    }
    for (let i = 0; i < frame.updateCount; i++) {
      const mmsi = frame.mmsi(i);
      let slot = this.slotOf.get(mmsi);
      if (slot === undefined) {
        slot = this.count++;
        this.slotOf.set(mmsi, slot);
        this.mmsi[slot] = mmsi;
      }
      this.positions[2 * slot] = frame.lon(i);
      this.positions[2 * slot + 1] = frame.lat(i);
      this.angles[slot] = -frame.bearing(i);
      this.lastSeen[slot] = frame.lastSeen(i);
      const shipType = frame.shipTypeCode(i);
      this.shipTypes[slot] = shipType;
      const rgb = shipColor(shipType === 0 ? undefined : shipType);
      this.colors[4 * slot] = rgb[0]!;
      this.colors[4 * slot + 1] = rgb[1]!;
      this.colors[4 * slot + 2] = rgb[2]!;
    }
    for (let i = 0; i < frame.removedCount; i++) this.remove(frame.removed(i));
    const moved = frame.updateCount > 0 || frame.removedCount > 0;
    if (moved) {
      this.versions.positions++;
      this.versions.angles++;
    }
    if (this.count !== countBefore) this.versions.count++;
    if (frame.pictureTimeMs > this.pictureTimeMs) this.pictureTimeMs = frame.pictureTimeMs;
    // Alphas of every slot: new vessels need theirs, and a later picture time may stale others.
    if (this.refreshAlphas() || moved) this.versions.colors++;
    this.frames++;
    return frame.complete;
  }

  /** Forgets everything (a new connection starts from an empty view). */
  clear(): void {
    this.slotOf.clear();
    this.count = 0;
    this.versions.count++;
  }

  /** Shows only the ship-type group (`''`: every type); the others' alpha becomes 0. */
  setTypeFilter(group: ShipGroup | ''): void {
    this.filter = group;
    if (this.refreshAlphas()) this.versions.colors++;
  }

  /** The slot of a vessel held, or undefined. */
  slot(mmsi: number): number | undefined {
    return this.slotOf.get(mmsi);
  }

  /** Whether the slot's vessel is drawn (the type filter lets it through). */
  shown(slot: number): boolean {
    return slot < this.count && this.colors[4 * slot + 3] !== 0;
  }

  /** Slots of the vessels drawn (shown) in the box, degrees, west ≤ east. */
  within(west: number, south: number, east: number, north: number): number[] {
    const found: number[] = [];
    for (let slot = 0; slot < this.count; slot++) {
      const lon = this.positions[2 * slot]!;
      const lat = this.positions[2 * slot + 1]!;
      if (lon >= west && lon <= east && lat >= south && lat <= north && this.shown(slot)) {
        found.push(slot);
      }
    }
    return found;
  }

  /** The box around every vessel held, or undefined when none is. */
  bounds(): { west: number; south: number; east: number; north: number } | undefined {
    if (this.count === 0) return undefined;
    let west = 180;
    let south = 90;
    let east = -180;
    let north = -90;
    for (let slot = 0; slot < this.count; slot++) {
      const lon = this.positions[2 * slot]!;
      const lat = this.positions[2 * slot + 1]!;
      if (lon < west) west = lon;
      if (lon > east) east = lon;
      if (lat < south) south = lat;
      if (lat > north) north = lat;
    }
    return { west, south, east, north };
  }

  /** Sets each slot's alpha from staleness and the type filter; true when one changed. */
  private refreshAlphas(): boolean {
    let changed = false;
    const staleBefore = this.pictureTimeMs - STALE_AFTER_MS;
    for (let slot = 0; slot < this.count; slot++) {
      const alpha =
        this.filter !== '' && shipGroup(this.shipTypes[slot] || undefined) !== this.filter
          ? 0
          : this.lastSeen[slot]! < staleBefore
            ? ALPHA_STALE
            : ALPHA_LIVE;
      if (this.colors[4 * slot + 3] !== alpha) {
        this.colors[4 * slot + 3] = alpha;
        changed = true;
      }
    }
    return changed;
  }

  private remove(mmsi: number): void {
    const slot = this.slotOf.get(mmsi);
    if (slot === undefined) return;
    this.slotOf.delete(mmsi);
    const last = --this.count;
    if (slot === last) return;
    const moved = this.mmsi[last]!;
    this.slotOf.set(moved, slot);
    this.mmsi[slot] = moved;
    this.positions.copyWithin(2 * slot, 2 * last, 2 * last + 2);
    this.angles[slot] = this.angles[last]!;
    this.colors.copyWithin(4 * slot, 4 * last, 4 * last + 4);
    this.lastSeen[slot] = this.lastSeen[last]!;
    this.shipTypes[slot] = this.shipTypes[last]!;
  }

  private grow(capacity: number): void {
    const grown = <T extends Float64Array | Float32Array | Uint32Array | Uint8Array>(
      old: T,
      make: (n: number) => T,
      size: number,
    ): T => {
      const next = make(capacity * size);
      next.set(old.subarray(0, this.count * size));
      return next;
    };
    this.mmsi = grown(this.mmsi, (n) => new Uint32Array(n), 1);
    this.positions = grown(this.positions, (n) => new Float64Array(n), 2);
    this.angles = grown(this.angles, (n) => new Float32Array(n), 1);
    this.colors = grown(this.colors, (n) => new Uint8Array(n), 4);
    this.lastSeen = grown(this.lastSeen, (n) => new Float64Array(n), 1);
    this.shipTypes = grown(this.shipTypes, (n) => new Uint8Array(n), 1);
    this.versions.positions++;
    this.versions.angles++;
    this.versions.colors++;
  }
}
