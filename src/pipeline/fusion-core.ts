import type { AisMessage } from '../ais/ais-message.js';
import type { Alert } from '../detect/alert.js';
import { AlertBook } from '../detect/alert-book.js';
import type { Detector, DetectorContext, DetectorFactory } from '../detect/detector.js';
import { type Timer, TimerQueue } from '../detect/timer-queue.js';
import { DedupeIndex } from '../fusion/dedupe-index.js';
import { EventTimeQueue } from '../fusion/event-time-queue.js';
import { MemberRegistry } from '../fusion/member-registry.js';
import { isPositionType, Report } from '../fusion/report.js';
import { VesselTrack } from '../fusion/vessel-track.js';
import type { ZoneIndex } from '../zones/zone-index.js';
import { type CoreConfig, DEFAULT_CORE_CONFIG } from './core-config.js';

/** Where the core's results go (replay files, Kafka, tests). */
export interface CoreOutput {
  /** Every new alert and every revision of one. */
  alert(alert: Alert): void;
  /** A track changed (new fix or static data); called often: rate-limit downstream. */
  track?(track: VesselTrack): void;
  /** A distinct report was fused (history sink). Duplicates arrive merged into it. */
  report?(report: Report, track: VesselTrack): void;
  /** A vessel was forgotten after `forgetVesselAfterSeconds` of silence: its final state. */
  evicted?(track: VesselTrack): void;
}

export interface CoreStats {
  /** Messages ingested (before dedupe). */
  messages: number;
  /** Distinct reports fused. */
  reports: number;
  /** Messages merged into an earlier report (same transmission, another feed or station). */
  duplicates: number;
  /** Reports that arrived after the watermark had passed them (processed at once). */
  late: number;
  /** Position reports older than the track's newest fix: fused, but the track does not move. */
  outOfOrderFixes: number;
  /** Position reports with an unusable position (0,0). */
  invalidPositions: number;
  /** Base-station reports (type 4): not vessels. */
  baseStations: number;
  /** Vessels forgotten after `forgetVesselAfterSeconds` of silence. */
  evictedVessels: number;
}

const EVICTION_INTERVAL_MS = 10 * 60_000;

/**
 * The pure core (DESIGN.md §1): dedupe → fuse → zones → detect, on event time. Adapters feed it
 * decoded messages with their member and receive time, advance the watermark, and receive
 * alerts and tracks through `CoreOutput`.
 */
export class FusionCore {
  readonly tracks = new Map<number, VesselTrack>();
  readonly stats: CoreStats = {
    messages: 0,
    reports: 0,
    duplicates: 0,
    late: 0,
    outOfOrderFixes: 0,
    invalidPositions: 0,
    baseStations: 0,
    evictedVessels: 0,
  };
  readonly alerts: AlertBook;
  private readonly dedupe: DedupeIndex;
  private readonly queue = new EventTimeQueue();
  private readonly timers = new TimerQueue();
  private readonly detectors: Detector[];
  private readonly holdbackMs: number;
  private readonly zoneScratch: number[] = [];
  /** Event time up to which reports have been processed and timers fired. */
  private processedUntil = Number.NEGATIVE_INFINITY;
  private newestTime = Number.NEGATIVE_INFINITY;
  private previousZones: readonly number[] = [];
  private nextEvictionAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly config: CoreConfig = DEFAULT_CORE_CONFIG,
    readonly zones: ZoneIndex | undefined,
    private readonly output: CoreOutput,
    detectorFactories: readonly DetectorFactory[] = [],
    /**
     * Where its member sets are interned. Cores side by side (a coalition's pictures) may share
     * one, so that a set id means the same members in every picture (one history sink, one
     * track encoder for them all).
     */
    readonly members: MemberRegistry = new MemberRegistry(),
  ) {
    this.holdbackMs = config.dedupeWindowSeconds * 1000;
    this.dedupe = new DedupeIndex(this.holdbackMs);
    this.alerts = new AlertBook(this.members, (alert) => output.alert(alert));
    const core = this;
    const context: DetectorContext = {
      tracks: this.tracks,
      zones,
      alerts: this.alerts,
      members: this.members,
      get previousZones() {
        return core.previousZones;
      },
      get watermark() {
        return core.processedUntil;
      },
      schedule: (deadline: number, timer: Timer) => this.timers.schedule(deadline, timer),
      inPort: (lat: number, lon: number) => zones?.inKind(lon, lat, 'port') ?? false,
    };
    this.detectors = detectorFactories.map((factory, slot) => factory(slot, context));
  }

  /** Newest event time ingested so far (epoch ms), -Infinity before the first. */
  get newestEventTime(): number {
    return this.newestTime;
  }

  /**
   * Event time up to which every queued report has been fused and every timer fired: a report
   * ingested with a time at or before it has reached `CoreOutput` (the worker stores a Kafka
   * offset only once this has passed the batch's reports).
   */
  get releasedUntil(): number {
    return this.processedUntil;
  }

  /** Reports waiting in the event-time queue for the watermark. */
  get queuedReports(): number {
    return this.queue.size;
  }

  /**
   * Adds one decoded message heard by `member` through `station`. `m.receivedAt` is its event
   * time and must be set (adapters reject messages without one as `no_timestamp`).
   */
  ingest(m: AisMessage, member: string, station: string | undefined): void {
    const time = m.receivedAt;
    if (time === undefined) throw new Error(`message of MMSI ${m.mmsi} has no receive time`);
    this.stats.messages++;
    if (m.type === 4) {
      this.stats.baseStations++;
      return;
    }
    if (time > this.newestTime) this.newestTime = time;
    const report = new Report(m, time, this.members.setOf(member), station ?? member);
    const earlier = this.dedupe.match(report);
    if (earlier !== undefined) {
      this.stats.duplicates++;
      const before = earlier.time;
      earlier.mergeDuplicate(report, this.members);
      if (earlier.queuedKey < 0) {
        // Already fused: the new feed still counts as a source of the vessel.
        const track = this.tracks.get(earlier.mmsi);
        if (track !== undefined)
          track.sourceSet = this.members.union(track.sourceSet, report.sourceSet);
      } else if (earlier.time < before && !this.queue.moved(earlier)) {
        this.stats.late++;
        this.process(earlier);
      }
      return;
    }
    if (!this.queue.add(report)) {
      this.stats.late++;
      this.process(report);
    }
  }

  /**
   * Moves the event-time watermark: the caller promises no more data older than `watermark`
   * (late data is still fused, but after its time has been judged). Reports are fused in
   * event-time order once they are older than the watermark by the dedupe window, and timers
   * fire in between, in order.
   */
  advance(watermark: number): void {
    const until = watermark - this.holdbackMs;
    if (until <= this.processedUntil) return;
    // Timers run only up to what the queue released, so a timer never overtakes a report of
    // the same bucket: the result does not depend on how often the watermark moves.
    const released = this.queue.release(until, this.processInOrder) - 1;
    if (released <= this.processedUntil) return;
    this.timers.runUntil(released);
    this.processedUntil = released;
    this.dedupe.expire(released);
    if (released >= this.nextEvictionAt) this.evictSilentVessels(released);
  }

  /**
   * Forgets vessels silent for `forgetVesselAfterSeconds` (state memory stays proportional to
   * live vessels). Runs every 10 minutes of event time: one pass over the tracks.
   */
  private evictSilentVessels(now: number): void {
    this.nextEvictionAt = now + EVICTION_INTERVAL_MS;
    const limit = now - this.config.forgetVesselAfterSeconds * 1000;
    for (const [mmsi, track] of this.tracks) {
      if (!(track.lastSeen < limit)) continue;
      for (const detector of this.detectors) detector.onEvict?.(track);
      this.tracks.delete(mmsi);
      this.output.evicted?.(track);
      this.stats.evictedVessels++;
    }
  }

  /**
   * Adds the detectors' own counts (`Detector.counts`) to `into`, keyed `<detector> <event>`.
   */
  addDetectorCounts(into: Map<string, number>): void {
    for (const detector of this.detectors) {
      const counts = detector.counts?.();
      if (counts === undefined) continue;
      for (const [event, count] of Object.entries(counts)) {
        const key = `${detector.name} ${event}`;
        into.set(key, (into.get(key) ?? 0) + count);
      }
    }
  }

  /** Timers waiting to fire (detectors keep at most one per vessel or pair). */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /**
   * End of input: fuses everything still queued and fires the timers up to `until` (default:
   * the newest event time ingested). With `fuseUntil`, only reports up to that time are fused
   * (the streaming worker, idle: a report stamped far in the future stays queued instead of
   * firing every timer up to its time).
   */
  finish(until = this.newestTime, fuseUntil = Number.POSITIVE_INFINITY): void {
    if (fuseUntil === Number.POSITIVE_INFINITY) this.queue.drain(this.processInOrder);
    else this.queue.release(this.queue.bucketEndAfter(fuseUntil), this.processInOrder);
    const end = Math.max(until, this.processedUntil);
    this.timers.runUntil(end);
    this.processedUntil = end;
  }

  private readonly processInOrder = (report: Report): void => {
    this.timers.runUntil(report.time);
    if (report.time > this.processedUntil) this.processedUntil = report.time;
    this.process(report);
  };

  private process(report: Report): void {
    this.stats.reports++;
    let track = this.tracks.get(report.mmsi);
    if (track === undefined) {
      track = new VesselTrack(report.mmsi, this.detectors.length);
      track.firstSeen = report.time;
      this.tracks.set(report.mmsi, track);
    }
    // reportCount is distinct position reports (DESIGN.md §2.5): static messages do not count.
    if (isPositionType(report.type) || report.type === 21) track.reportCount++;
    track.sourceSet = this.members.union(track.sourceSet, report.sourceSet);
    track.lastType = report.type;
    if (!(report.time <= track.lastSeen)) track.lastSeen = report.time;
    applyStatic(track, report);

    let fixApplied = false;
    if (isPositionType(report.type) && report.lat !== undefined && report.lon !== undefined) {
      if (report.lat === 0 && report.lon === 0) this.stats.invalidPositions++;
      else if (report.time < track.fixTime) this.stats.outOfOrderFixes++;
      else {
        this.applyFix(track, report, report.lat, report.lon);
        fixApplied = true;
      }
    }
    for (const detector of this.detectors) detector.onReport?.(track, report, fixApplied);
    this.output.report?.(report, track);
    this.output.track?.(track);
  }

  private applyFix(track: VesselTrack, report: Report, lat: number, lon: number): void {
    track.previousLat = track.lat;
    track.previousLon = track.lon;
    track.previousFixTime = track.fixTime;
    track.lat = lat;
    track.lon = lon;
    track.fixTime = report.time;
    track.fixSourceSet = report.sourceSet;
    track.sog = report.sog;
    track.cog = report.cog;
    track.heading = report.heading;
    if (report.navStatus !== undefined) track.navStatus = report.navStatus;
    this.previousZones = track.zones;
    const zones = this.zones;
    if (zones !== undefined) {
      const scratch = this.zoneScratch;
      const count = zones.zonesAt(lon, lat, scratch);
      if (!sameZones(track.zones, scratch, count)) track.zones = scratch.slice(0, count);
    }
  }
}

function sameZones(current: readonly number[], scratch: readonly number[], count: number): boolean {
  if (current.length !== count) return false;
  for (let i = 0; i < count; i++) if (current[i] !== scratch[i]) return false;
  return true;
}

/** Static and voyage fields: a report sets what it carries, leaves the rest. */
function applyStatic(track: VesselTrack, report: Report): void {
  const r = report.voyage;
  if (r === undefined) return;
  if (r.shipName !== undefined) track.shipName = r.shipName;
  if (r.callSign !== undefined) track.callSign = r.callSign;
  if (r.imo !== undefined) track.imo = r.imo;
  if (r.shipType !== undefined) track.shipType = r.shipType;
  if (r.toBow !== undefined) track.toBow = r.toBow;
  if (r.toStern !== undefined) track.toStern = r.toStern;
  if (r.toPort !== undefined) track.toPort = r.toPort;
  if (r.toStarboard !== undefined) track.toStarboard = r.toStarboard;
  if (r.draught !== undefined) track.draught = r.draught;
  if (r.destination !== undefined) track.destination = r.destination;
}
