import type { TrackFrame } from './client-view.js';

/**
 * The binary track frame of the picture's WebSocket (issue 15), little-endian, shared by the
 * server (encode) and the page (decode):
 *
 *   header, 24 bytes:  u8 kind = 1 | u8 layout version = 1 | u16 zero
 *                      f64 picture time (epoch ms) | u32 update count | u32 removed count
 *   per update, 28 bytes:
 *                      u32 mmsi | f32 lat | f32 lon | u16 SOG × 10 | u16 COG × 10 | u16 heading
 *                      u8 ship type | u8 nav status | f64 last seen (epoch ms)
 *   per removal, 4 bytes: u32 mmsi
 *
 * Unknown values use the AIS "not available" codes (ITU-R M.1371): SOG 1023, COG 3600, heading
 * 511, nav status 15, ship type 0. f32 keeps lat/lon to about 1 m, finer than the map draws. A
 * track without a position is never sent (the map cannot place it; the panels ask the API).
 */
export const TRACK_FRAME_KIND = 1;
export const TRACK_FRAME_VERSION = 1;
export const TRACK_FRAME_HEADER_BYTES = 24;
export const TRACK_FRAME_UPDATE_BYTES = 28;

const SOG_NOT_AVAILABLE = 1023;
const COG_NOT_AVAILABLE = 3600;
const HEADING_NOT_AVAILABLE = 511;
const NAV_STATUS_NOT_AVAILABLE = 15;

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

/** Decodes a frame; throws a RangeError naming what is wrong with bytes that are not one. */
export function decodeTrackFrame(bytes: Uint8Array): DecodedTrackFrame {
  if (bytes.byteLength < TRACK_FRAME_HEADER_BYTES) {
    throw new RangeError(`Track frame: ${bytes.byteLength} bytes is shorter than its header.`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kind = view.getUint8(0);
  const version = view.getUint8(1);
  if (kind !== TRACK_FRAME_KIND || version !== TRACK_FRAME_VERSION) {
    throw new RangeError(`Track frame: kind ${kind} version ${version} is not 1/1.`);
  }
  const updateCount = view.getUint32(12, true);
  const removedCount = view.getUint32(16, true);
  const expected =
    TRACK_FRAME_HEADER_BYTES + updateCount * TRACK_FRAME_UPDATE_BYTES + removedCount * 4;
  if (bytes.byteLength !== expected) {
    throw new RangeError(
      `Track frame: ${bytes.byteLength} bytes for ${updateCount} updates and ${removedCount} removals (expected ${expected}).`,
    );
  }
  const vessels: FrameVessel[] = new Array(updateCount);
  let at = TRACK_FRAME_HEADER_BYTES;
  for (let i = 0; i < updateCount; i++) {
    const sog = view.getUint16(at + 12, true);
    const cog = view.getUint16(at + 14, true);
    const heading = view.getUint16(at + 16, true);
    const shipType = view.getUint8(at + 18);
    const navStatus = view.getUint8(at + 19);
    vessels[i] = {
      mmsi: view.getUint32(at, true),
      lat: view.getFloat32(at + 4, true),
      lon: view.getFloat32(at + 8, true),
      sog: sog === SOG_NOT_AVAILABLE ? undefined : sog / 10,
      cog: cog === COG_NOT_AVAILABLE ? undefined : cog / 10,
      heading: heading === HEADING_NOT_AVAILABLE ? undefined : heading,
      shipType: shipType === 0 ? undefined : shipType,
      navStatus: navStatus === NAV_STATUS_NOT_AVAILABLE ? undefined : navStatus,
      lastSeen: view.getFloat64(at + 20, true),
    };
    at += TRACK_FRAME_UPDATE_BYTES;
  }
  const removed: number[] = new Array(removedCount);
  for (let i = 0; i < removedCount; i++) {
    removed[i] = view.getUint32(at, true);
    at += 4;
  }
  return { pictureTimeMs: view.getFloat64(4, true), vessels, removed };
}

function tenths(value: number | undefined, notAvailable: number): number {
  if (value === undefined) return notAvailable;
  return Math.min(notAvailable - 1, Math.max(0, Math.round(value * 10)));
}
