import type { FusedTrack } from '../fusion/fused-track.js';
import type { PictureAlert } from './picture-alert.js';
import { type GridEntry, PositionGrid } from './position-grid.js';
import { type Viewport, viewportBoxes } from './viewport.js';

/** A vessel in the picture: its latest fused track and the sequence number of its last change. */
export interface PictureVessel {
  readonly track: FusedTrack;
  /** `PictureModel.sequence` when this track arrived: a client that has it needs nothing newer. */
  readonly sequence: number;
}

/**
 * A vessel not heard for this long (event time: behind the picture's latest `lastSeen`) leaves the
 * picture: a day, so that a ship out of coverage overnight is still there in the morning, but the
 * picture of a long run does not grow with every MMSI ever heard.
 */
export const DEFAULT_FORGET_AFTER_MS = 24 * 3_600_000;

/**
 * The change log keeps at least this many latest changes (and as many as there are vessels): a
 * client whose last frame is older than the log reaches does a full pass of its viewport instead.
 */
const CHANGE_LOG_MIN = 65_536;

/** How far the picture time moves between two sweeps for vessels to forget. */
const FORGET_SWEEP_EVERY_MS = 60_000;

export interface PictureModelOptions {
  /** Vessels not heard for this long (event time) are dropped; default DEFAULT_FORGET_AFTER_MS. */
  readonly forgetAfterMs?: number | undefined;
}

/** A positioned vessel's grid entry (one per MMSI, moved on each fix). */
type VesselItem = GridEntry<PictureVessel>;

/**
 * One member's operations picture in memory (issue 15, DESIGN.md §7): the latest fused track per
 * MMSI, the latest revision of every alert by id, and a grid of positioned vessels for
 * viewport queries (position-grid.ts). Pure: the Kafka reader feeds it, the WebSocket and the JSON API read it.
 *
 * Every change takes the next `sequence` number, so a client's view (client-view.ts) finds what
 * changed since its last frame by comparing numbers, without a per-client queue.
 */
export class PictureModel {
  private readonly vessels = new Map<number, VesselItem>();
  private readonly unpositioned = new Map<number, PictureVessel>();
  private readonly grid = new PositionGrid<PictureVessel>();
  private readonly alertsById = new Map<string, PictureAlert>();
  private sequenceNumber = 0;
  /** MMSI of each change: `changeLog[i - changeLogStart]` is the change of sequence `changeLogBase + i + 1`. */
  private changeLog: number[] = [];
  private changeLogStart = 0;
  private changeLogBase = 0;
  private latestTimeMs = 0;
  private readonly forgetAfterMs: number;
  private sweptAtMs = 0;
  private forgottenCount = 0;

  constructor(options: PictureModelOptions = {}) {
    const forgetAfterMs = options.forgetAfterMs ?? DEFAULT_FORGET_AFTER_MS;
    if (!(forgetAfterMs > 0)) {
      throw new RangeError(`forgetAfterMs: ${forgetAfterMs} is not a positive number of ms.`);
    }
    this.forgetAfterMs = forgetAfterMs;
  }

  /** Vessels dropped so far for not being heard for forgetAfterMs. */
  get forgotten(): number {
    return this.forgottenCount;
  }

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
   * held (a re-read partition after a rebalance delivers old tracks again), or already too old to
   * keep (forgetAfterMs behind the picture time). A later picture time sweeps out the vessels not
   * heard for forgetAfterMs (forget).
   */
  applyTrack(track: FusedTrack): boolean {
    const held = this.vessel(track.mmsi);
    if (held !== undefined && held.track.lastSeen > track.lastSeen) return false;
    if (track.lastSeen < this.latestTimeMs - this.forgetAfterMs) return false;
    const vessel: PictureVessel = { track, sequence: this.logChange(track.mmsi) };
    if (track.lastSeen > this.latestTimeMs) {
      this.latestTimeMs = track.lastSeen;
      if (this.latestTimeMs - this.sweptAtMs >= FORGET_SWEEP_EVERY_MS) {
        this.sweptAtMs = this.latestTimeMs;
        this.forget(this.latestTimeMs - this.forgetAfterMs);
      }
    }
    const item = this.vessels.get(track.mmsi);
    if (track.lat === undefined || track.lon === undefined) {
      if (item !== undefined) this.grid.remove(item);
      this.vessels.delete(track.mmsi);
      this.unpositioned.set(track.mmsi, vessel);
      return true;
    }
    this.unpositioned.delete(track.mmsi);
    const moved: VesselItem = item ?? { lon: 0, lat: 0, cell: -1, value: vessel };
    moved.value = vessel;
    this.grid.place(moved, track.lon, track.lat);
    this.vessels.set(track.mmsi, moved);
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
    return this.vessels.get(mmsi)?.value ?? this.unpositioned.get(mmsi);
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

  /** Positioned vessels in the viewport (both halves of one across the antimeridian). */
  inViewport(viewport: Viewport): PictureVessel[] {
    const found: PictureVessel[] = [];
    for (const box of viewportBoxes(viewport)) {
      this.grid.search(box.west, box.south, box.east, box.north, (entry) =>
        found.push(entry.value),
      );
    }
    return found;
  }

  /**
   * Drops every vessel last seen before `beforeMs` (event time); returns how many. Clients see
   * them go in their next frame (client-view.ts: held, no longer in the viewport: removed). The
   * model calls it as the picture time moves (at most once per FORGET_SWEEP_EVERY_MS of it).
   */
  forget(beforeMs: number): number {
    let dropped = 0;
    for (const [mmsi, item] of this.vessels) {
      if (item.value.track.lastSeen >= beforeMs) continue;
      this.grid.remove(item);
      this.vessels.delete(mmsi);
      this.logChange(mmsi);
      dropped++;
    }
    for (const [mmsi, vessel] of this.unpositioned) {
      if (vessel.track.lastSeen >= beforeMs) continue;
      this.unpositioned.delete(mmsi);
      this.logChange(mmsi);
      dropped++;
    }
    this.forgottenCount += dropped;
    return dropped;
  }

  /**
   * Calls `visit` with the MMSI of every change after `sequence` (a vessel changed twice comes
   * twice), oldest first; false, without a call, when the log no longer reaches back that far.
   * What lets a client's frame cost its changes, not its whole viewport (client-view.ts).
   */
  changesSince(sequence: number, visit: (mmsi: number) => void): boolean {
    if (sequence < this.changeLogBase) return false;
    const log = this.changeLog;
    for (let i = this.changeLogStart + (sequence - this.changeLogBase); i < log.length; i++) {
      visit(log[i]!);
    }
    return true;
  }

  /** Takes the next sequence number for a change of the vessel; drops the log's oldest half when long. */
  private logChange(mmsi: number): number {
    this.changeLog.push(mmsi);
    const kept = this.changeLog.length - this.changeLogStart;
    if (kept > 2 * Math.max(CHANGE_LOG_MIN, this.vessels.size + this.unpositioned.size)) {
      const drop = kept >> 1;
      this.changeLogStart += drop;
      this.changeLogBase += drop;
      if (this.changeLogStart > this.changeLog.length >> 1) {
        this.changeLog = this.changeLog.slice(this.changeLogStart);
        this.changeLogStart = 0;
      }
    }
    return ++this.sequenceNumber;
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
    for (const item of this.vessels.values()) yield item.value;
    yield* this.unpositioned.values();
  }
}
