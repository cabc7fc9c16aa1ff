import { booleanPointInPolygon, polygon } from '@turf/turf';
import RBush from 'rbush';
import type { AisMessage } from '../src/ais/ais-message.js';

/** A vessel as the obvious implementation keeps it: a plain object, also its rbush item. */
interface NaiveTrack {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  mmsi: number;
  lat: number;
  lon: number;
  sog: number | undefined;
  cog: number | undefined;
  heading: number | undefined;
  navStatus: number | undefined;
  fixTime: number;
  lastSeen: number;
  reportCount: number;
  sources: Set<string>;
  stations: Set<string>;
  zones: string[];
  indexed: boolean;
  shipName?: string | undefined;
  callSign?: string | undefined;
  shipType?: number | undefined;
  destination?: string | undefined;
}

/** A transmission seen recently, for dedupe across feeds. */
interface Seen {
  time: number;
  sources: Set<string>;
}

/**
 * The core hot path written the obvious way (issue 5's baseline): dedupe by a string key in a
 * Map, fusion into a plain object per MMSI, an rbush remove + insert for every position report,
 * and turf's `booleanPointInPolygon` on every zone for every fix, comparing the zone lists for
 * entries and exits. Reports are fused in arrival order (no event-time queue) and no other rule
 * runs, so it does less than FusionCore: the ratio against it is conservative.
 */
export class NaiveCore {
  readonly tracks = new Map<number, NaiveTrack>();
  /** Dedupe: `mmsi:hash:check` → first sighting, in insertion (≈ event-time) order. */
  private readonly seen = new Map<string, Seen>();
  private readonly tree = new RBush<NaiveTrack>();
  private readonly zones: ReturnType<typeof polygon<{ id: string }>>[];
  /**
   * Priming (untimed): the first fixes skip the zone tests and wait for one bulk load of the
   * rbush (`endPriming`), so a big fleet is set up in seconds.
   */
  private priming = false;
  messages = 0;
  reports = 0;
  duplicates = 0;
  crossings = 0;

  constructor(
    zones: readonly { id: string; coordinates: number[][][] }[],
    private readonly dedupeWindowMs: number,
  ) {
    this.zones = zones.map((zone) => polygon(zone.coordinates, { id: zone.id }));
  }

  ingest(m: AisMessage, member: string, station: string | undefined): void {
    this.messages++;
    const time = m.receivedAt!;
    const key = `${m.mmsi}:${m.payloadHash}:${m.payloadCheck}`;
    const earlier = this.seen.get(key);
    if (earlier !== undefined && Math.abs(earlier.time - time) <= this.dedupeWindowMs) {
      this.duplicates++;
      earlier.sources.add(member);
      this.tracks.get(m.mmsi)?.sources.add(member);
      return;
    }
    this.seen.set(key, { time, sources: new Set([member]) });
    this.reports++;

    let track = this.tracks.get(m.mmsi);
    if (track === undefined) {
      track = {
        minX: 0,
        minY: 0,
        maxX: 0,
        maxY: 0,
        mmsi: m.mmsi,
        lat: Number.NaN,
        lon: Number.NaN,
        sog: undefined,
        cog: undefined,
        heading: undefined,
        navStatus: undefined,
        fixTime: Number.NEGATIVE_INFINITY,
        lastSeen: time,
        reportCount: 0,
        sources: new Set(),
        stations: new Set(),
        zones: [],
        indexed: false,
      };
      this.tracks.set(m.mmsi, track);
    }
    track.sources.add(member);
    track.stations.add(station ?? member);
    if (time > track.lastSeen) track.lastSeen = time;
    if (m.shipName !== undefined) track.shipName = m.shipName;
    if (m.callSign !== undefined) track.callSign = m.callSign;
    if (m.shipType !== undefined) track.shipType = m.shipType;
    if (m.destination !== undefined) track.destination = m.destination;
    if (m.lat === undefined || m.lon === undefined || time < track.fixTime) return;
    track.reportCount++;
    track.fixTime = time;
    track.lat = m.lat;
    track.lon = m.lon;
    track.sog = m.sog;
    track.cog = m.cog;
    track.heading = m.heading;
    track.navStatus = m.navStatus;

    if (track.indexed) this.tree.remove(track);
    track.minX = track.maxX = m.lon;
    track.minY = track.maxY = m.lat;
    if (this.priming) return;
    this.tree.insert(track);
    track.indexed = true;

    const point = [m.lon, m.lat];
    const inside = this.zones
      .filter((zone) => booleanPointInPolygon(point, zone))
      .map((zone) => zone.properties.id);
    for (const id of inside) if (!track.zones.includes(id)) this.crossings++;
    for (const id of track.zones) if (!inside.includes(id)) this.crossings++;
    track.zones = inside;
  }

  startPriming(): void {
    this.priming = true;
  }

  endPriming(): void {
    this.priming = false;
    const fixed = [...this.tracks.values()].filter((t) => !t.indexed && !Number.isNaN(t.lat));
    this.tree.load(fixed);
    for (const track of fixed) track.indexed = true;
  }

  /** Forgets transmissions older than the dedupe window before `watermark`. */
  advance(watermark: number): void {
    const limit = watermark - this.dedupeWindowMs;
    for (const [key, seen] of this.seen) {
      if (seen.time >= limit) break;
      this.seen.delete(key);
    }
  }
}
