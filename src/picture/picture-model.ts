import RBush from 'rbush';
import type { FusedTrack } from '../fusion/fused-track.js';
import type { PictureAlert } from './picture-alert.js';
import type { Viewport } from './viewport.js';

/** A vessel in the picture: its latest fused track and the sequence number of its last change. */
export interface PictureVessel {
  readonly track: FusedTrack;
  /** `PictureModel.sequence` when this track arrived: a client that has it needs nothing newer. */
  readonly sequence: number;
}

/** rbush item of a positioned vessel (one per MMSI, moved on each fix). */
interface VesselItem {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  vessel: PictureVessel;
}

/**
 * One member's operations picture in memory (issue 15, DESIGN.md §7): the latest fused track per
 * MMSI, the latest revision of every alert by id, and an rbush of positioned vessels for
 * viewport queries. Pure: the Kafka reader feeds it, the WebSocket and the JSON API read it.
 *
 * Every change takes the next `sequence` number, so a client's view (client-view.ts) finds what
 * changed since its last frame by comparing numbers, without a per-client queue.
 */
export class PictureModel {
  private readonly vessels = new Map<number, VesselItem>();
  private readonly unpositioned = new Map<number, PictureVessel>();
  private readonly tree = new RBush<VesselItem>();
  private readonly alertsById = new Map<string, PictureAlert>();
  private sequenceNumber = 0;
  private latestTimeMs = 0;

  /** Number of the latest change; 0 for an empty picture. */
  get sequence(): number {
    return this.sequenceNumber;
  }

  /**
   * The picture's "now": the latest `lastSeen` of any track, epoch ms. The page judges staleness
   * against it, not against the wall clock, so a replay or a sped-up demo reads the same.
   */
  get pictureTimeMs(): number {
    return this.latestTimeMs;
  }

  get vesselCount(): number {
    return this.vessels.size + this.unpositioned.size;
  }

  get alertCount(): number {
    return this.alertsById.size;
  }

  /**
   * Takes a track from `tracks.fused`; false (and nothing changes) when it is older than the one
   * held (a re-read partition after a rebalance delivers old tracks again).
   */
  applyTrack(track: FusedTrack): boolean {
    const held = this.vessel(track.mmsi);
    if (held !== undefined && held.track.lastSeen > track.lastSeen) return false;
    const vessel: PictureVessel = { track, sequence: ++this.sequenceNumber };
    if (track.lastSeen > this.latestTimeMs) this.latestTimeMs = track.lastSeen;
    const item = this.vessels.get(track.mmsi);
    if (item !== undefined) this.tree.remove(item);
    if (track.lat === undefined || track.lon === undefined) {
      this.vessels.delete(track.mmsi);
      this.unpositioned.set(track.mmsi, vessel);
      return true;
    }
    this.unpositioned.delete(track.mmsi);
    const moved: VesselItem = item ?? { minX: 0, minY: 0, maxX: 0, maxY: 0, vessel };
    moved.minX = moved.maxX = track.lon;
    moved.minY = moved.maxY = track.lat;
    moved.vessel = vessel;
    this.vessels.set(track.mmsi, moved);
    this.tree.insert(moved);
    return true;
  }

  /**
   * Takes an alert revision from `alerts`; false when the revision held is the same or newer.
   * Revisions reuse the id (DESIGN.md §2.3), so the newest replaces the older one.
   */
  applyAlert(alert: PictureAlert): boolean {
    const held = this.alertsById.get(alert.id);
    if (held !== undefined && held.revision >= alert.revision) return false;
    this.alertsById.set(alert.id, alert);
    return true;
  }

  vessel(mmsi: number): PictureVessel | undefined {
    return this.vessels.get(mmsi)?.vessel ?? this.unpositioned.get(mmsi);
  }

  alert(id: string): PictureAlert | undefined {
    return this.alertsById.get(id);
  }

  /** Every alert's latest revision, in arrival order of their first revision. */
  alerts(): IterableIterator<PictureAlert> {
    return this.alertsById.values();
  }

  /** Alerts naming the vessel (as `mmsi` or `otherMmsi`). */
  alertsOf(mmsi: number): PictureAlert[] {
    const found: PictureAlert[] = [];
    for (const alert of this.alertsById.values()) {
      if (alert.mmsi === mmsi || alert.otherMmsi === mmsi) found.push(alert);
    }
    return found;
  }

  /** Positioned vessels in the viewport. */
  inViewport(viewport: Viewport): PictureVessel[] {
    const items = this.tree.search({
      minX: viewport.west,
      minY: viewport.south,
      maxX: viewport.east,
      maxY: viewport.north,
    });
    const found: PictureVessel[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) found[i] = items[i]!.vessel;
    return found;
  }

  /**
   * Vessels whose MMSI starts with `query` (digits), or whose name or call sign contains it
   * (case-insensitive), at most `limit`, MMSI matches first.
   */
  search(query: string, limit: number): PictureVessel[] {
    const text = query.trim().toUpperCase();
    if (text === '') return [];
    const found: PictureVessel[] = [];
    const byText: PictureVessel[] = [];
    const digits = /^\d+$/.test(text);
    for (const vessel of this.allVessels()) {
      const t = vessel.track;
      if (digits && String(t.mmsi).startsWith(text)) {
        found.push(vessel);
        if (found.length >= limit) return found;
      } else if (
        t.shipName?.toUpperCase().includes(text) === true ||
        t.callSign?.toUpperCase().includes(text) === true
      ) {
        byText.push(vessel);
      }
    }
    for (const vessel of byText) {
      if (found.length >= limit) break;
      found.push(vessel);
    }
    return found;
  }

  private *allVessels(): IterableIterator<PictureVessel> {
    for (const item of this.vessels.values()) yield item.vessel;
    yield* this.unpositioned.values();
  }
}
