import type { Alert } from '../detect/alert.js';
import type { MemberNames, SourceSet } from '../fusion/member-registry.js';
import type { Report } from '../fusion/report.js';
import type { VesselTrack } from '../fusion/vessel-track.js';
import type { BatchProducer } from '../io/kafka/batch-producer.js';
import { WHOLE_PICTURE_ID } from '../io/postgres/coalition-policy-store.js';
import type { HistoryPicture, HistorySink } from '../io/postgres/history-sink.js';
import { alertMessage, encodeAlert } from '../io/protobuf/alert-codec.js';
import { FusedTrackEncoder } from '../io/protobuf/fused-track-encoder.js';
import { encodeRejectedLine } from '../io/protobuf/rejected-line-codec.js';
import { defaultDetectors } from '../pipeline/default-detectors.js';
import { type CoreOutput, FusionCore } from '../pipeline/fusion-core.js';
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
  readonly producer: BatchProducer;
  readonly events: WorkerEvents;
  /**
   * Builds the history sink (none without Postgres). It is given the member names of the
   * current core: the sink is built once, the core it names members by may be replaced.
   */
  readonly history?: (members: MemberNames) => HistorySink;
}

/**
 * Where the worker's results go (DESIGN.md §2.3, §2.6): alerts to `alerts` at once, keyed by id
 * (revisions reuse it), and to the history; tracks, thinned by the throttle, to `tracks.fused`
 * keyed by MMSI; fused reports to the history; rejected lines to `ais.rejected`.
 *
 * It is the `CoreOutput` of every core the worker builds, and so it follows the worker's current
 * state (`WorkerState`): the throttle, the track encoder and the member names are those of the
 * first state, then of the state restored from a checkpoint (`use`).
 */
export class WorkerOutput implements CoreOutput, MemberNames {
  readonly history: HistorySink | undefined;
  /** The worker writes one picture, the whole one, until it runs a coalition's PictureSet. */
  private readonly historyPicture: HistoryPicture = { id: WHOLE_PICTURE_ID, members: this };
  private current: WorkerState;
  /** Encodes `tracks.fused` messages with the current core's member names. */
  private trackEncoder: FusedTrackEncoder;
  /** The current core's counts when it became current (a restored core keeps its own). */
  private countsBase = NO_COUNTS;
  private published = 0;
  private letters = 0;

  constructor(private readonly options: WorkerOutputOptions) {
    this.current = this.newState();
    this.trackEncoder = new FusedTrackEncoder(this.current.core.members, options.zones);
    this.history = options.history?.(this);
  }

  /** The worker's state now (a restored one replaces the first at the first assignment). */
  get state(): WorkerState {
    return this.current;
  }

  /** A fresh state: an empty core writing here, a throttle, no decoders. */
  newState(): WorkerState {
    const { config, zones } = this.options;
    const core = new FusionCore(config.core, zones, this, defaultDetectors(config.core));
    const throttle = new TrackThrottle(config.output.trackIntervalSeconds * 1000);
    return { core, throttle, decoders: new Map() };
  }

  /** `state` (restored from a checkpoint) replaces the current state. */
  use(state: WorkerState): void {
    this.current = state;
    this.trackEncoder = new FusedTrackEncoder(state.core.members, this.options.zones);
    this.countsBase = countsSince(state.core.stats, NO_COUNTS);
  }

  /** A decoder of one partition's raw feed: its messages go into the current core. */
  newDecoder(
    topic: string,
    partition: number,
    member: string,
    clock: ProgressClock,
  ): PartitionDecoder {
    return new PartitionDecoder(
      member,
      topic,
      partition,
      clock,
      (m, from, station) => this.current.core.ingest(m, from, station),
      this.deadLetter,
      // A topic that names no member is nobody's feed: its lines are dead letters (issue 13).
      member === NO_MEMBER ? 'no_member' : undefined,
    );
  }

  /** Core counts since this process started (a restored core's counts start from its own). */
  coreCounts(): CoreCounts {
    return countsSince(this.current.core.stats, this.countsBase);
  }

  /** `MemberNames` of the current core (for the history sink). */
  idsOf(set: SourceSet): readonly string[] {
    return this.current.core.members.idsOf(set);
  }

  alert(alert: Alert): void {
    this.options.producer.produce(
      this.options.config.kafka.topics.alerts,
      encodeAlert(alertMessage(alert)),
      alert.id,
    );
    this.history?.addAlert(this.historyPicture, alert);
    this.options.events.alert?.(alert);
  }

  track(track: VesselTrack): void {
    if (this.current.throttle.offer(track)) this.publishTrack(track);
  }

  report(report: Report, track: VesselTrack): void {
    this.history?.addReport(this.historyPicture, report, track);
  }

  evicted(track: VesselTrack): void {
    this.current.throttle.forget(track.mmsi);
  }

  /** Publishes the tracks the throttle held back whose interval has passed by `releasedUntil`. */
  publishDue(releasedUntil: number): void {
    this.current.throttle.due(releasedUntil, this.publishTrack);
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

  private readonly publishTrack = (track: VesselTrack): void => {
    this.options.producer.produce(
      this.options.config.kafka.topics.fused,
      this.trackEncoder.encode(track),
      String(track.mmsi),
    );
    this.published++;
    this.options.events.tracksPublished?.(1);
  };
}
