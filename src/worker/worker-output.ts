import type { MessageHandler } from '../ais/feed-decoder.js';
import { zoneSharedWith } from '../coalition/audience-filter.js';
import type { Coalition } from '../coalition/coalition.js';
import type { Alert } from '../detect/alert.js';
import { type MemberNames, MemberRegistry, type SourceSet } from '../fusion/member-registry.js';
import type { Report } from '../fusion/report.js';
import type { VesselTrack } from '../fusion/vessel-track.js';
import type { BatchProducer } from '../io/kafka/batch-producer.js';
import {
  type HistoryPicture,
  type HistorySink,
  wholePicture,
} from '../io/postgres/history-sink.js';
import { alertMessage, encodeAlert } from '../io/protobuf/alert-codec.js';
import { FusedTrackEncoder } from '../io/protobuf/fused-track-encoder.js';
import { encodeRejectedLine } from '../io/protobuf/rejected-line-codec.js';
import { defaultDetectors } from '../pipeline/default-detectors.js';
import { type CoreOutput, FusionCore } from '../pipeline/fusion-core.js';
import { MemberRoutes } from '../pipeline/member-routes.js';
import { PictureSet } from '../pipeline/picture-set.js';
import type { ProgressClock } from '../pipeline/progress-clock.js';
import type { ZoneIndex } from '../zones/zone-index.js';
import { type CoreCounts, countsSince, NO_COUNTS } from './core-counts.js';
import { type DeadLetter, PartitionDecoder } from './partition-decoder.js';
import { NO_MEMBER } from './topic-members.js';
import { TrackThrottle } from './track-throttle.js';
import type { WorkerConfig } from './worker-config.js';
import type { WorkerEvents } from './worker-events.js';
import type { WorkerState } from './worker-state.js';

export interface WorkerOutputOptions {
  readonly config: WorkerConfig;
  readonly zones: ZoneIndex | undefined;
  /** The coalition policy (DESIGN.md §6): one picture per distinct visibility, topics per member. */
  readonly coalition: Coalition | undefined;
  readonly producer: BatchProducer;
  readonly events: WorkerEvents;
  /**
   * Builds the history sink (none without Postgres). It is given the member names of the
   * current state: the sink is built once, the state it names members by may be replaced.
   */
  readonly history?: (members: MemberNames) => HistorySink;
}

/** A member's output topics and its track encoder. */
interface MemberTopics {
  readonly tracks: string;
  readonly alerts: string;
  encoder: FusedTrackEncoder;
}

/**
 * Where the worker's results go (DESIGN.md §2.3, §2.6, §6): alerts at once, keyed by id
 * (revisions reuse it), and to the history; tracks, thinned by each core's throttle, keyed by
 * MMSI; fused reports to the history; rejected lines to `ais.rejected`.
 *
 * Without a coalition there is one core, and its alerts and tracks go to `alerts` and
 * `tracks.fused`. With one, each picture's go to `alerts.<member>` and `tracks.fused.<member>`
 * of every member `MemberRoutes` gives them to (the decision `replay --coalition` takes for its
 * files), with the policy version; a vessel that leaves a member's `area` gets a tombstone (null
 * value) on its track topic, and so does an alert whose revision moves out of it, so a topic's
 * last message per key is the member's picture.
 *
 * It owns one `CoreOutput` per core index (`coreOutputs`), which follows the worker's current
 * state (`WorkerState`): the throttles, the track encoders and the member names are those of the
 * first state, then of the state restored from a checkpoint (`use`).
 */
export class WorkerOutput implements MemberNames {
  readonly history: HistorySink | undefined;
  /** The policy version every output carries; undefined without a coalition. */
  readonly policyVersion: string | undefined;
  private current: WorkerState;
  /** Per core index: the `CoreOutput` its core writes to. */
  private readonly outputs: PictureOutput[] = [];
  private readonly routes: MemberRoutes | undefined;
  /** Per member (coalition only): its topics and track encoder. */
  private readonly topics = new Map<string, MemberTopics>();
  /**
   * The stored picture (migrations/0004) each core's history is written as, by core index: the
   * whole picture without a coalition; with one, set by `useStoredPictures` before any input.
   */
  private storedPictures: readonly HistoryPicture[] = [];
  /** Encodes `tracks.fused` messages with the current state's member names (no coalition). */
  private trackEncoder: FusedTrackEncoder;
  /** The current state's counts when it became current (a restored state keeps its own). */
  private countsBase = NO_COUNTS;
  /** Detector counts of the state when it was taken into use (restored or new). */
  private detectorBase = new Map<string, number>();
  private published = 0;
  private letters = 0;

  constructor(private readonly options: WorkerOutputOptions) {
    this.current = this.newState();
    const { coalition, config, zones } = options;
    const pictures = this.current.pictures;
    this.trackEncoder = new FusedTrackEncoder(this.members, zones);
    if (coalition !== undefined && pictures !== undefined) {
      this.routes = new MemberRoutes(coalition, pictures.pictures, zones);
      this.policyVersion = pictures.version;
      const { fused, alerts } = config.kafka.topics;
      for (const { id } of coalition.members) {
        this.topics.set(id, {
          tracks: `${fused}.${id}`,
          alerts: `${alerts}.${id}`,
          encoder: this.memberEncoder(id),
        });
      }
    }
    this.history = options.history?.(this);
    if (coalition === undefined) this.storedPictures = [wholePicture(this)];
  }

  /**
   * The stored picture id of each picture class (`applyCoalitionPolicy(...).pictureIds`, by the
   * index of `state.pictures.pictures`): its rows are written under it, its vessels and alerts
   * with the policy version, and its positions only if some audience receives tracks.
   */
  useStoredPictures(ids: readonly number[]): void {
    const pictures = this.current.pictures;
    if (pictures === undefined) throw new Error('stored pictures without a coalition');
    if (ids.length !== pictures.pictures.classes.length) {
      throw new Error(
        `${ids.length} stored pictures for ${pictures.pictures.classes.length} pictures`,
      );
    }
    this.storedPictures = pictures.pictures.classes.map((picture, i) => ({
      id: ids[i]!,
      members: this,
      tracks: picture.outputs.includes('tracks'),
      policyVersion: pictures.version,
    }));
  }

  /** The worker's state now (a restored one replaces the first at the first assignment). */
  get state(): WorkerState {
    return this.current;
  }

  /** The `CoreOutput` of each core, by core index (what a state snapshot names, not holds). */
  get coreOutputs(): readonly CoreOutput[] {
    return this.outputs;
  }

  /** The output topics of a coalition member (undefined: no coalition, or not a member). */
  memberTopics(member: string): { tracks: string; alerts: string } | undefined {
    return this.topics.get(member);
  }

  /**
   * A fresh state: empty cores writing here (one per picture of the coalition, or one), sharing
   * one member registry; a throttle per core; no decoders.
   */
  newState(): WorkerState {
    const { coalition, config, zones } = this.options;
    const members = new MemberRegistry();
    const detectors = defaultDetectors(config.core);
    let pictures: PictureSet | undefined;
    let cores: readonly FusionCore[];
    if (coalition === undefined) {
      cores = [new FusionCore(config.core, zones, this.outputFor(0), detectors, members)];
    } else {
      pictures = new PictureSet({
        coalition,
        zones,
        config: config.core,
        detectors,
        members,
        output: (picture) => this.outputFor(picture.index),
      });
      cores = pictures.cores;
    }
    const intervalMs = config.output.trackIntervalSeconds * 1000;
    const shownTracks = new Map<string, Set<number>>();
    const shownAlerts = new Map<string, Set<string>>();
    for (const member of coalition?.members ?? []) {
      if (member.area === undefined) continue;
      shownTracks.set(member.id, new Set());
      shownAlerts.set(member.id, new Set());
    }
    return {
      cores,
      pictures,
      throttles: cores.map(() => new TrackThrottle(intervalMs)),
      shownTracks,
      shownAlerts,
      decoders: new Map(),
    };
  }

  /** `state` (restored from a checkpoint) replaces the current state. */
  use(state: WorkerState): void {
    this.current = state;
    this.trackEncoder = new FusedTrackEncoder(this.members, this.options.zones);
    for (const [member, topics] of this.topics) topics.encoder = this.memberEncoder(member);
    this.countsBase = sumCounts(state);
    this.detectorBase = detectorCounts(state);
  }

  /**
   * A decoder of one partition's raw feed: its messages go into the current state's cores. A
   * topic that names no member, or (with a coalition) a member the file does not know, is
   * nobody's feed: its lines are dead letters, never fused, never a stop (issue 13).
   */
  newDecoder(
    topic: string,
    partition: number,
    member: string,
    clock: ProgressClock,
    onMessage: MessageHandler = this.ingest,
  ): PartitionDecoder {
    const coalition = this.options.coalition;
    const unknown =
      coalition !== undefined && !coalition.members.some((known) => known.id === member);
    return new PartitionDecoder(
      member,
      topic,
      partition,
      clock,
      onMessage,
      this.deadLetter,
      member === NO_MEMBER ? 'no_member' : unknown ? 'unknown_member' : undefined,
    );
  }

  /**
   * A decoded message heard by `member` through `station` goes into the current state's cores (a
   * raw partition's decoder, or the fusion stage's records of a scaled deployment).
   */
  readonly ingest: MessageHandler = (m, member, station) => {
    const state = this.current;
    if (state.pictures === undefined) state.cores[0]!.ingest(m, member, station);
    else state.pictures.ingest(m, member, station);
  };

  /** Core counts since this process started, over every core (a restored state's from its own). */
  coreCounts(): CoreCounts {
    const now = sumCounts(this.current);
    const base = this.countsBase;
    return {
      reports: now.reports - base.reports,
      duplicates: now.duplicates - base.duplicates,
      late: now.late - base.late,
      evictedVessels: now.evictedVessels - base.evictedVessels,
    };
  }

  /**
   * Detectors' own counts (`Detector.counts`) since this process started, summed over every
   * core, one entry per detector and event.
   */
  detectorEvents(): { detector: string; event: string; count: number }[] {
    const events: { detector: string; event: string; count: number }[] = [];
    for (const [key, count] of detectorCounts(this.current)) {
      const [detector, event] = key.split(' ') as [string, string];
      events.push({ detector, event, count: count - (this.detectorBase.get(key) ?? 0) });
    }
    return events;
  }

  /** `MemberNames` of the current state (for the history sink): one registry for every core. */
  idsOf(set: SourceSet): readonly string[] {
    return this.members.idsOf(set);
  }

  /**
   * The stored picture core `picture`'s history is written as: every history write of a
   * picture — reports, alerts — takes it from here.
   */
  private storedPicture(picture: number): HistoryPicture {
    const as = this.storedPictures[picture];
    if (as === undefined) throw new Error(`picture ${picture} has no stored picture id`);
    return as;
  }

  /** An alert of core `picture`: to its topic(s) at once, and to the history. */
  alert(picture: number, alert: Alert): void {
    const { config, producer } = this.options;
    const routes = this.routes;
    if (routes === undefined) {
      producer.produce(config.kafka.topics.alerts, encodeAlert(alertMessage(alert)), alert.id);
    } else {
      let bytes: Buffer | undefined;
      for (const route of routes.alertRoutes(picture, alert.kind)) {
        const topic = this.topics.get(route.member)!.alerts;
        // Only a member with an area can stop being reached (a revision moves the position).
        const shown = this.current.shownAlerts.get(route.member);
        if (routes.alertReaches(route.audience, alert)) {
          bytes ??= encodeAlert(alertMessage(alert, this.policyVersion));
          producer.produce(topic, bytes, alert.id);
          // Kept after it closes too: a closed alert can still be revised (a dark gap learning
          // where the vessel reappeared). One id per alert an area member received.
          shown?.add(alert.id);
        } else if (shown?.delete(alert.id)) {
          // Moved out of the member's area: withdrawn, so its topic's last word is replay's.
          producer.produce(topic, null, alert.id);
        }
      }
    }
    this.history?.addAlert(this.storedPicture(picture), alert);
    this.options.events.alert?.(alert);
  }

  track(picture: number, track: VesselTrack): void {
    if (this.current.throttles[picture]!.offer(track)) this.publishTrack(picture, track);
  }

  report(picture: number, report: Report, track: VesselTrack): void {
    this.history?.addReport(this.storedPicture(picture), report, track);
  }

  evicted(picture: number, track: VesselTrack): void {
    this.current.throttles[picture]!.forget(track.mmsi);
    for (const route of this.routes?.trackRoutes(picture) ?? []) {
      this.current.shownTracks.get(route.member)?.delete(track.mmsi);
    }
  }

  /** Publishes the tracks the throttles held back whose interval has passed by their core's time. */
  publishDue(): void {
    const { cores, throttles } = this.current;
    throttles.forEach((throttle, picture) => {
      throttle.due(cores[picture]!.releasedUntil, (track) => this.publishTrack(picture, track));
    });
  }

  /** Publishes every track the throttles hold back (every partition is idle). */
  publishWaiting(): void {
    this.current.throttles.forEach((throttle, picture) => {
      throttle.flush((track) => this.publishTrack(picture, track));
    });
  }

  /** A line that was not decoded: counted, and on `ais.rejected` unless that topic is off (''). */
  readonly deadLetter = (letter: DeadLetter): void => {
    this.letters++;
    this.options.events.rejected?.(letter.member, letter.reason);
    const topic = this.options.config.kafka.topics.rejected;
    if (topic === '') return;
    this.options.producer.produce(topic, encodeRejectedLine(letter), letter.member);
  };

  get tracksPublished(): number {
    return this.published;
  }

  get deadLetters(): number {
    return this.letters;
  }

  /** The member registry every core of the current state shares. */
  private get members(): MemberRegistry {
    return this.current.cores[0]!.members;
  }

  private memberEncoder(member: string): FusedTrackEncoder {
    const coalition = this.options.coalition!;
    return new FusedTrackEncoder(this.members, this.options.zones, {
      policyVersion: this.policyVersion ?? '',
      hideZone: (zoneId) => !zoneSharedWith(coalition, zoneId, member),
    });
  }

  private publishTrack(picture: number, track: VesselTrack): void {
    const { config, producer } = this.options;
    const key = String(track.mmsi);
    const routes = this.routes;
    if (routes === undefined) {
      producer.produce(config.kafka.topics.fused, this.trackEncoder.encode(track), key);
    } else {
      for (const route of routes.trackRoutes(picture)) {
        const topics = this.topics.get(route.member)!;
        const shown = this.current.shownTracks.get(route.member);
        if (routes.trackReaches(route.audience, track)) {
          producer.produce(topics.tracks, topics.encoder.encode(track), key);
          shown?.add(track.mmsi);
        } else if (shown?.delete(track.mmsi)) {
          // Out of the member's area now: a tombstone, so its last message is not a stale fix.
          producer.produce(topics.tracks, null, key);
        }
      }
    }
    this.published++;
    this.options.events.tracksPublished?.(1);
  }

  /** A new `CoreOutput` for core index `picture` (made once: every state's core writes to it). */
  private outputFor(picture: number): PictureOutput {
    this.outputs[picture] ??= new PictureOutput(this, picture);
    return this.outputs[picture];
  }
}

/** What one core writes to: the worker output, told which core it is. */
class PictureOutput implements CoreOutput {
  constructor(
    private readonly to: WorkerOutput,
    readonly picture: number,
  ) {}

  alert(alert: Alert): void {
    this.to.alert(this.picture, alert);
  }

  track(track: VesselTrack): void {
    this.to.track(this.picture, track);
  }

  report(report: Report, track: VesselTrack): void {
    this.to.report(this.picture, report, track);
  }

  evicted(track: VesselTrack): void {
    this.to.evicted(this.picture, track);
  }
}

/** The counts of every core of `state`, summed. */
function sumCounts(state: WorkerState): CoreCounts {
  let counts = NO_COUNTS;
  for (const core of state.cores) {
    const c = countsSince(core.stats, NO_COUNTS);
    counts = {
      reports: counts.reports + c.reports,
      duplicates: counts.duplicates + c.duplicates,
      late: counts.late + c.late,
      evictedVessels: counts.evictedVessels + c.evictedVessels,
    };
  }
  return counts;
}

/** Every core's detector counts, summed by `<detector> <event>`. */
function detectorCounts(state: WorkerState): Map<string, number> {
  const counts = new Map<string, number>();
  for (const core of state.cores) core.addDetectorCounts(counts);
  return counts;
}
