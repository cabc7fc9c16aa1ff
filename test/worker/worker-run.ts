import { alertToJson } from '../../src/detect/alert.js';
import type { VesselTrack } from '../../src/fusion/vessel-track.js';
import { trackToJson } from '../../src/io/track-json.js';
import { DEFAULT_CORE_CONFIG } from '../../src/pipeline/core-config.js';
import { defaultDetectors } from '../../src/pipeline/default-detectors.js';
import { type CoreOutput, FusionCore } from '../../src/pipeline/fusion-core.js';
import { ProgressClock } from '../../src/pipeline/progress-clock.js';
import { PartitionDecoder } from '../../src/worker/partition-decoder.js';
import { TrackThrottle } from '../../src/worker/track-throttle.js';
import { restoreWorkerState, type WorkerState } from '../../src/worker/worker-state.js';
import type { ZoneIndex } from '../../src/zones/zone-index.js';

/** One raw-feed partition's Kafka messages (values only: offsets are their indexes). */
export interface RawPartition {
  readonly member: string;
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly Uint8Array[];
}

export interface WorkerRunOptions {
  readonly zones: ZoneIndex;
  readonly partitions: readonly RawPartition[];
  /** Kafka messages a batch takes from one partition. */
  readonly messagesPerBatch: number;
  readonly trackIntervalMs: number;
}

/**
 * The worker's state machine without Kafka or Postgres (src/worker/worker.ts `ingest` and
 * `advance`): batches of raw messages go through each partition's decoder into the core, the
 * watermark (the slowest partition's progress less the allowed lateness) moves the core, and
 * changed tracks go through the track throttle. The batches come in a fixed order, a function of
 * the partitions' offsets only, so a run restored from a checkpoint reads what the run that
 * took it would have read next. Every output is recorded as JSON, in order.
 */
export class WorkerRun {
  state: WorkerState;
  /** Next offset of each partition. */
  readonly offsets: number[];
  readonly alerts: string[] = [];
  readonly publishedTracks: string[] = [];
  readonly rejected: string[] = [];
  batches = 0;
  private readonly clocks = new Map<string, ProgressClock>();
  readonly output: CoreOutput = {
    alert: (alert) => this.alerts.push(JSON.stringify(alertToJson(alert))),
    track: (track) => {
      if (this.state.throttles[0]!.offer(track)) this.publish(track);
    },
    evicted: (track) => this.state.throttles[0]!.forget(track.mmsi),
  };

  constructor(
    private readonly options: WorkerRunOptions,
    offsets: readonly number[] = options.partitions.map(() => 0),
  ) {
    this.offsets = [...offsets];
    // Every partition holds the watermark from the start (the worker's are assigned first).
    for (const part of options.partitions) this.clocks.set(key(part), new ProgressClock());
    this.state = this.newState();
  }

  /** Reads the next batch; false when every partition has been read. */
  step(): boolean {
    const next = this.nextPartition();
    if (next < 0) return false;
    const part = this.options.partitions[next]!;
    const decoder = this.decoderFor(part);
    const end = Math.min(part.messages.length, this.offsets[next]! + this.options.messagesPerBatch);
    for (let offset = this.offsets[next]!; offset < end; offset++) {
      decoder.decode(part.messages[offset]!, offset, undefined);
    }
    this.offsets[next] = end;
    this.batches++;
    const core = this.state.cores[0]!;
    let watermark = Number.POSITIVE_INFINITY;
    for (const clock of this.clocks.values()) watermark = Math.min(watermark, clock.progressTime);
    if (Number.isFinite(watermark)) {
      core.advance(watermark - DEFAULT_CORE_CONFIG.allowedLatenessSeconds * 1000);
    }
    this.state.throttles[0]!.due(core.releasedUntil, this.publish);
    return true;
  }

  /** Everything read: fuses what the core holds, as `replay` does at the end of its files. */
  finish(): void {
    let end = Number.NEGATIVE_INFINITY;
    for (const clock of this.clocks.values()) end = Math.max(end, clock.progressTime);
    this.state.cores[0]!.finish(end);
    this.state.throttles[0]!.due(Number.POSITIVE_INFINITY, this.publish);
  }

  /** Takes `bytes` (a compressed worker state) as the worker does at its first assignment. */
  async restore(bytes: Uint8Array): Promise<void> {
    const fresh = this.newState();
    // A decoder for each partition of the checkpoint, as the worker's `restore` makes them: the
    // restore writes the checkpoint's progress into their clocks, the ones the watermark reads.
    for (const part of this.options.partitions) {
      fresh.decoders.set(key(part), this.newDecoder(part));
    }
    await restoreWorkerState(bytes, fresh, [this.output]);
    this.state = fresh;
  }

  /** Final state of every vessel, by MMSI. */
  finalTracks(): Record<string, unknown>[] {
    const core = this.state.cores[0]!;
    return [...core.tracks.values()]
      .sort((a, b) => a.mmsi - b.mmsi)
      .map((track) => trackToJson(track, core.members, this.options.zones));
  }

  /** The partition least far through its messages (the first on a tie), -1 when all are read. */
  private nextPartition(): number {
    let best = -1;
    let bestShare = Number.POSITIVE_INFINITY;
    this.options.partitions.forEach((part, i) => {
      const share = this.offsets[i]! / part.messages.length;
      if (share < 1 && share < bestShare) {
        best = i;
        bestShare = share;
      }
    });
    return best;
  }

  private newState(): WorkerState {
    const core = new FusionCore(
      DEFAULT_CORE_CONFIG,
      this.options.zones,
      this.output,
      defaultDetectors(DEFAULT_CORE_CONFIG),
    );
    return {
      cores: [core],
      pictures: undefined,
      throttles: [new TrackThrottle(this.options.trackIntervalMs)],
      shownTracks: new Map(),
      shownAlerts: new Map(),
      decoders: new Map(),
    };
  }

  private decoderFor(part: RawPartition): PartitionDecoder {
    let decoder = this.state.decoders.get(key(part));
    if (decoder === undefined) {
      decoder = this.newDecoder(part);
      this.state.decoders.set(key(part), decoder);
    }
    return decoder;
  }

  private newDecoder(part: RawPartition): PartitionDecoder {
    return new PartitionDecoder(
      part.member,
      part.topic,
      part.partition,
      this.clocks.get(key(part))!,
      (m, member, station) => this.state.cores[0]!.ingest(m, member, station),
      (letter) => this.rejected.push(JSON.stringify(letter)),
    );
  }

  private readonly publish = (track: VesselTrack): void => {
    this.publishedTracks.push(
      JSON.stringify(trackToJson(track, this.state.cores[0]!.members, this.options.zones)),
    );
  };
}

function key(part: RawPartition): string {
  return `${part.topic}[${part.partition}]`;
}
