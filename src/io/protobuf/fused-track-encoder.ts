import type { MemberNames, SourceSet } from '../../fusion/member-registry.js';
import type { VesselTrack } from '../../fusion/vessel-track.js';
import type { ZoneIndex } from '../../zones/zone-index.js';
import { withRoom } from '../grown-buffer.js';
import { CodecError } from './codec-error.js';

/**
 * `tidewatch.v1.FusedTrack` written straight from a core track, for the worker's hot path (one
 * message per vessel per `output.trackIntervalSeconds`: about one per two reports fused). The
 * same bytes as `encodeFusedTrack(fusedTrackMessage(...))` with protobufjs (fields in number
 * order; `optional` fields written when present, the three plain proto3 fields — mmsi,
 * last_seen, report_count — when not zero), without
 * the intermediate object and protobufjs's writer: the member list of each provenance set and
 * each zone id are encoded once, and a message is written into one reused buffer.
 */
export class FusedTrackEncoder {
  private buffer: Buffer = Buffer.allocUnsafe(512);
  private at = 0;
  /** Field 19 (sources), all its entries, per member set. */
  private readonly sourcesBySet = new Map<SourceSet, Buffer>();
  /** Field 21 (zones), one entry, per zone-index position. */
  private readonly zoneEntries: (Buffer | undefined)[] = [];

  /** Field 22 (policy_version), whole, or empty without one. */
  private readonly policyEntry: Buffer;
  /** Per zone-index position: 1 when the zone is left out (another member set's private zone). */
  private readonly hiddenZones: Uint8Array | undefined;

  /**
   * With `audience` (a coalition member's topic, DESIGN.md §6): every message carries its
   * `policyVersion`, and the zones `hideZone` answers true for (private zones of member sets the
   * member is not in: the id alone would tell it where another set watches) are left out.
   */
  constructor(
    private readonly members: MemberNames,
    private readonly zones: ZoneIndex | undefined,
    audience?: { policyVersion: string; hideZone: (zoneId: string) => boolean },
  ) {
    this.policyEntry =
      audience === undefined ? Buffer.alloc(0) : stringEntry(0x01_b2, audience.policyVersion);
    this.hiddenZones =
      audience === undefined || zones === undefined
        ? undefined
        : Uint8Array.from(zones.zones, (zone) => (audience.hideZone(zone.id) ? 1 : 0));
  }

  encode(track: VesselTrack): Buffer {
    if (!Number.isFinite(track.lastSeen)) {
      throw new CodecError(
        'PROTO_BAD_INPUT',
        `FusedTrack of MMSI ${track.mmsi}: lastSeen ${track.lastSeen} is not a time (a track with no report yet).`,
      );
    }
    if (track.lastSeen < 0) {
      throw new CodecError(
        'PROTO_BAD_INPUT',
        `FusedTrack of MMSI ${track.mmsi}: lastSeen ${track.lastSeen} is before 1970.`,
      );
    }
    this.at = 0;
    if (track.mmsi >>> 0 !== 0) this.varintField(0x08, track.mmsi >>> 0);
    if (track.hasFix()) {
      this.doubleField(0x11, track.lat);
      this.doubleField(0x19, track.lon);
    }
    if (track.sog !== undefined) this.doubleField(0x21, track.sog);
    if (track.cog !== undefined) this.doubleField(0x29, track.cog);
    if (track.heading !== undefined) this.varintField(0x30, track.heading >>> 0);
    if (track.navStatus !== undefined) this.varintField(0x38, track.navStatus >>> 0);
    const lastSeen = Math.trunc(track.lastSeen);
    if (lastSeen !== 0) this.varintField(0x40, lastSeen);
    if (track.shipName !== undefined) this.stringField(0x4a, track.shipName);
    if (track.callSign !== undefined) this.stringField(0x52, track.callSign);
    if (track.imo !== undefined) this.varintField(0x58, track.imo >>> 0);
    if (track.shipType !== undefined) this.varintField(0x60, track.shipType >>> 0);
    if (track.toBow !== undefined) this.varintField(0x68, track.toBow >>> 0);
    if (track.toStern !== undefined) this.varintField(0x70, track.toStern >>> 0);
    if (track.toPort !== undefined) this.varintField(0x78, track.toPort >>> 0);
    if (track.toStarboard !== undefined) this.varintField(0x01_80, track.toStarboard >>> 0);
    if (track.draught !== undefined) this.doubleField(0x01_89, track.draught);
    if (track.destination !== undefined) this.stringField(0x01_92, track.destination);
    this.bytes(this.sources(track.sourceSet));
    if (track.reportCount !== 0) this.varintField(0x01_a0, track.reportCount);
    if (this.zones !== undefined) {
      const hidden = this.hiddenZones;
      for (const index of track.zones) {
        if (hidden === undefined || hidden[index] === 0) this.bytes(this.zoneEntry(index));
      }
    }
    this.bytes(this.policyEntry);
    const out = Buffer.allocUnsafe(this.at);
    const buffer = this.buffer;
    for (let i = 0; i < this.at; i++) out[i] = buffer[i]!;
    return out;
  }

  private sources(set: SourceSet): Buffer {
    let entries = this.sourcesBySet.get(set);
    if (entries === undefined) {
      entries = Buffer.concat(this.members.idsOf(set).map((id) => stringEntry(0x01_9a, id)));
      this.sourcesBySet.set(set, entries);
    }
    return entries;
  }

  private zoneEntry(index: number): Buffer {
    let entry = this.zoneEntries[index];
    if (entry === undefined) {
      entry = stringEntry(0x01_aa, this.zones!.zones[index]!.id);
      this.zoneEntries[index] = entry;
    }
    return entry;
  }

  /** A tag (its varint bytes as a little-endian number: `0x01_80` is field 16, wire type 0). */
  private tag(tag: number): void {
    this.room(2);
    if (tag > 0xff) {
      this.buffer[this.at++] = tag & 0xff;
      this.buffer[this.at++] = tag >>> 8;
    } else {
      this.buffer[this.at++] = tag;
    }
  }

  /** A varint field; `value` a whole number from 0 to 2^53. */
  private varintField(tag: number, value: number): void {
    this.tag(tag);
    this.room(10);
    this.at = writeVarint(this.buffer, this.at, value);
  }

  private doubleField(tag: number, value: number): void {
    this.tag(tag);
    this.room(8);
    SCRATCH[0] = value;
    const buffer = this.buffer;
    for (let i = 0; i < 8; i++) buffer[this.at + i] = SCRATCH_BYTES[i]!;
    this.at += 8;
  }

  private stringField(tag: number, value: string): void {
    this.tag(tag);
    const n = value.length;
    // AIS text is ASCII: bytes written in place (a length under 128 takes one byte); anything
    // else through Buffer's UTF-8 encoder.
    if (n < 0x80) {
      this.room(1 + n);
      const buffer = this.buffer;
      const start = this.at + 1;
      let i = 0;
      for (; i < n; i++) {
        const code = value.charCodeAt(i);
        if (code >= 0x80) break;
        buffer[start + i] = code;
      }
      if (i === n) {
        buffer[this.at] = n;
        this.at = start + n;
        return;
      }
    }
    const length = Buffer.byteLength(value, 'utf8');
    this.room(5 + length);
    this.at = writeVarint(this.buffer, this.at, length);
    this.at += this.buffer.write(value, this.at, 'utf8');
  }

  private bytes(bytes: Buffer): void {
    const n = bytes.length;
    this.room(n);
    const buffer = this.buffer;
    for (let i = 0; i < n; i++) buffer[this.at + i] = bytes[i]!;
    this.at += n;
  }

  private room(bytes: number): void {
    this.buffer = withRoom(this.buffer, this.at, this.at + bytes);
  }
}

/** A double's bytes in the machine's order (little-endian on every platform Node.js runs on). */
const SCRATCH = new Float64Array(1);
const SCRATCH_BYTES = new Uint8Array(SCRATCH.buffer);

/** One entry of a repeated string field: tag (two bytes, fields 16+), length, UTF-8 bytes. */
function stringEntry(tag: number, value: string): Buffer {
  const text = Buffer.from(value, 'utf8');
  const entry = Buffer.allocUnsafe(2 + 5 + text.length);
  entry[0] = tag & 0xff;
  entry[1] = tag >>> 8;
  const at = writeVarint(entry, 2, text.length);
  text.copy(entry, at);
  return entry.subarray(0, at + text.length);
}

/** Writes a varint (a whole number from 0 to 2^53) at `at`; returns the position after it. */
function writeVarint(buffer: Buffer, at: number, value: number): number {
  let v = value;
  let i = at;
  while (v >= 0x80) {
    buffer[i++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  buffer[i++] = v;
  return i;
}
