import type { TrackFrame } from './client-view.js';

/**
 * The binary track frame of the picture's WebSocket (issue 15), little-endian, shared by the
 * server (encode) and the page (decode):
 *
 *   header, 24 bytes:  u8 kind = 1 | u8 layout version = 1 | u16 flags (bit 0: complete)
 *                      f64 picture time (epoch ms) | u32 update count | u32 removed count
 *   per update, 28 bytes:
 *                      u32 mmsi | f32 lat | f32 lon | u16 SOG × 10 | u16 COG × 10 | u16 heading
 *                      u8 ship type | u8 nav status | f64 last seen (epoch ms)
 *   per removal, 4 bytes: u32 mmsi
 *
 * Unknown values use the AIS "not available" codes (ITU-R M.1371): SOG 1023, COG 3600, heading
 * 511, nav status 15, ship type 0. f32 keeps lat/lon to about 1 m, finer than the map draws. A
 * track without a position is never sent (the map cannot place it; the panels ask the API).
 * "Complete" (TrackFrame.complete): with this frame the client holds its whole viewport; a large
 * first picture comes in several frames, the last one complete.
 */
export const TRACK_FRAME_KIND = 1;
export const TRACK_FRAME_VERSION = 1;
export const TRACK_FRAME_HEADER_BYTES = 24;
export const TRACK_FRAME_UPDATE_BYTES = 28;

const SOG_NOT_AVAILABLE = 1023;
const COG_NOT_AVAILABLE = 3600;
const HEADING_NOT_AVAILABLE = 511;
const NAV_STATUS_NOT_AVAILABLE = 15;
const FLAG_COMPLETE = 1;

/** A vessel as a frame carries it (undefined: not available). */
export interface FrameVessel {
  readonly mmsi: number;
  readonly lat: number;
  readonly lon: number;
  readonly sog: number | undefined;
  readonly cog: number | undefined;
  readonly heading: number | undefined;
  readonly shipType: number | undefined;
  readonly navStatus: number | undefined;
  readonly lastSeen: number;
}

export interface DecodedTrackFrame {
  readonly pictureTimeMs: number;
  readonly vessels: FrameVessel[];
  readonly removed: number[];
  readonly complete: boolean;
}

/** The frame's bytes; updates without a position are left out. */
export function encodeTrackFrame(frame: TrackFrame): Uint8Array {
  let positioned = 0;
  for (const t of frame.updates) if (t.lat !== undefined && t.lon !== undefined) positioned++;
  const bytes = new Uint8Array(
    TRACK_FRAME_HEADER_BYTES + positioned * TRACK_FRAME_UPDATE_BYTES + frame.removed.length * 4,
  );
  const view = new DataView(bytes.buffer);
  view.setUint8(0, TRACK_FRAME_KIND);
  view.setUint8(1, TRACK_FRAME_VERSION);
  view.setUint16(2, frame.complete ? FLAG_COMPLETE : 0, true);
  view.setFloat64(4, frame.pictureTimeMs, true);
  view.setUint32(12, positioned, true);
  view.setUint32(16, frame.removed.length, true);
  let at = TRACK_FRAME_HEADER_BYTES;
  for (const t of frame.updates) {
    if (t.lat === undefined || t.lon === undefined) continue;
    view.setUint32(at, t.mmsi, true);
    view.setFloat32(at + 4, t.lat, true);
    view.setFloat32(at + 8, t.lon, true);
    view.setUint16(at + 12, tenths(t.sog, SOG_NOT_AVAILABLE), true);
    view.setUint16(at + 14, tenths(t.cog, COG_NOT_AVAILABLE), true);
    view.setUint16(at + 16, t.heading ?? HEADING_NOT_AVAILABLE, true);
    view.setUint8(at + 18, t.shipType ?? 0);
    view.setUint8(at + 19, t.navStatus ?? NAV_STATUS_NOT_AVAILABLE);
    view.setFloat64(at + 20, t.lastSeen, true);
    at += TRACK_FRAME_UPDATE_BYTES;
  }
  for (const mmsi of frame.removed) {
    view.setUint32(at, mmsi, true);
    at += 4;
  }
  return bytes;
}

/**
 * A frame's fields read in place, by update index, without building an object per vessel: the
 * page fills its typed arrays straight from it (web/src/vessel-store.ts). The constructor checks
 * the header and the length; throws a RangeError naming what is wrong with bytes that are not a
 * frame. Getters return the raw codes where a typed array keeps them (see the layout above).
 */
export class TrackFrameReader {
  readonly pictureTimeMs: number;
  readonly updateCount: number;
  readonly removedCount: number;
  /** The client holds its whole viewport with this frame (see the layout above). */
  readonly complete: boolean;
  private readonly view: DataView;

  constructor(bytes: Uint8Array) {
    if (bytes.byteLength < TRACK_FRAME_HEADER_BYTES) {
      throw new RangeError(`Track frame: ${bytes.byteLength} bytes is shorter than its header.`);
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const kind = view.getUint8(0);
    const version = view.getUint8(1);
    if (kind !== TRACK_FRAME_KIND || version !== TRACK_FRAME_VERSION) {
      throw new RangeError(`Track frame: kind ${kind} version ${version} is not 1/1.`);
    }
    this.updateCount = view.getUint32(12, true);
    this.removedCount = view.getUint32(16, true);
    const expected =
      TRACK_FRAME_HEADER_BYTES +
      this.updateCount * TRACK_FRAME_UPDATE_BYTES +
      this.removedCount * 4;
    if (bytes.byteLength !== expected) {
      throw new RangeError(
        `Track frame: ${bytes.byteLength} bytes for ${this.updateCount} updates and ${this.removedCount} removals (expected ${expected}).`,
      );
    }
    this.view = view;
    this.pictureTimeMs = view.getFloat64(4, true);
    this.complete = (view.getUint16(2, true) & FLAG_COMPLETE) !== 0;
  }

  mmsi(i: number): number {
    return this.view.getUint32(at(i), true);
  }
  lat(i: number): number {
    return this.view.getFloat32(at(i) + 4, true);
  }
  lon(i: number): number {
    return this.view.getFloat32(at(i) + 8, true);
  }
  /** SOG in tenths of a knot; 1023: not available. */
  sogTenths(i: number): number {
    return this.view.getUint16(at(i) + 12, true);
  }
  /** COG in tenths of a degree; 3600: not available. */
  cogTenths(i: number): number {
    return this.view.getUint16(at(i) + 14, true);
  }
  /** Heading in degrees; 511: not available. */
  headingCode(i: number): number {
    return this.view.getUint16(at(i) + 16, true);
  }
  /** Ship type code; 0: not available. */
  shipTypeCode(i: number): number {
    return this.view.getUint8(at(i) + 18);
  }
  /** Navigational status; 15: not available. */
  navStatusCode(i: number): number {
    return this.view.getUint8(at(i) + 19);
  }
  lastSeen(i: number): number {
    return this.view.getFloat64(at(i) + 20, true);
  }
  /**
   * Where the vessel points, degrees clockwise from north: its heading, else its course, else 0
   * (north) — what the map rotates its icon by.
   */
  bearing(i: number): number {
    const heading = this.headingCode(i);
    if (heading !== HEADING_NOT_AVAILABLE) return heading;
    const cog = this.cogTenths(i);
    return cog === COG_NOT_AVAILABLE ? 0 : cog / 10;
  }
  /** The MMSI of the `i`th removal. */
  removed(i: number): number {
    return this.view.getUint32(
      TRACK_FRAME_HEADER_BYTES + this.updateCount * TRACK_FRAME_UPDATE_BYTES + i * 4,
      true,
    );
  }
}

function at(i: number): number {
  return TRACK_FRAME_HEADER_BYTES + i * TRACK_FRAME_UPDATE_BYTES;
}

/** Decodes a frame into objects (tests and tools; the page reads it with TrackFrameReader). */
export function decodeTrackFrame(bytes: Uint8Array): DecodedTrackFrame {
  const frame = new TrackFrameReader(bytes);
  const vessels: FrameVessel[] = new Array(frame.updateCount);
  for (let i = 0; i < frame.updateCount; i++) {
    const sog = frame.sogTenths(i);
    const cog = frame.cogTenths(i);
    const heading = frame.headingCode(i);
    const shipType = frame.shipTypeCode(i);
    const navStatus = frame.navStatusCode(i);
    vessels[i] = {
      mmsi: frame.mmsi(i),
      lat: frame.lat(i),
      lon: frame.lon(i),
      sog: sog === SOG_NOT_AVAILABLE ? undefined : sog / 10,
      cog: cog === COG_NOT_AVAILABLE ? undefined : cog / 10,
      heading: heading === HEADING_NOT_AVAILABLE ? undefined : heading,
      shipType: shipType === 0 ? undefined : shipType,
      navStatus: navStatus === NAV_STATUS_NOT_AVAILABLE ? undefined : navStatus,
      lastSeen: frame.lastSeen(i),
    };
  }
  const removed: number[] = new Array(frame.removedCount);
  for (let i = 0; i < frame.removedCount; i++) removed[i] = frame.removed(i);
  return { pictureTimeMs: frame.pictureTimeMs, vessels, removed, complete: frame.complete };
}

function tenths(value: number | undefined, notAvailable: number): number {
  if (value === undefined) return notAvailable;
  return Math.min(notAvailable - 1, Math.max(0, Math.round(value * 10)));
}
