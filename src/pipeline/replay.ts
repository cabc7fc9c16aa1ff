import type { RejectReason } from '../ais/reject-reason.js';
import type { Alert } from '../detect/alert.js';
import type { DetectorFactory } from '../detect/detector.js';
import type { VesselTrack } from '../fusion/vessel-track.js';
import type { ZoneIndex } from '../zones/zone-index.js';
import type { CoreConfig } from './core-config.js';
import { FeedReader } from './feed-reader.js';
import { readFeedsLevel } from './feed-schedule.js';
import { FinalPicture } from './final-picture.js';
import { type CoreOutput, FusionCore } from './fusion-core.js';

export interface ReplayOptions {
  feeds: readonly { member: string; path: string }[];
  zones: ZoneIndex | undefined;
  config: CoreConfig;
  detectors: readonly DetectorFactory[];
  /** Every rejected line, with its member and reason (dead letters). */
  onReject?: (member: string, reason: RejectReason, line: string) => void;
  /** Called after every chunk read, with the bytes read so far over all feeds. */
  onProgress?: (bytesRead: number) => void;
  /**
   * Gets the core before the first line is read (a sink needs its member registry) and returns
   * a second output: the core's alerts, reports, tracks and evictions go there too.
   */
  connect?: (core: FusionCore) => ReplayTarget;
}

/** Where `connect` sends the core's output, beside what `replay` keeps for its result. */
export interface ReplayTarget {
  output: CoreOutput;
  /** Awaited after every chunk read: where a worker would flush its sinks (backpressure). */
  afterChunk?: () => Promise<void>;
}

export interface ReplayResult {
  core: FusionCore;
  feeds: FeedReader[];
  /** The final revision of every alert, by start time then id. */
  alerts: Alert[];
  /** Final fused state of every vessel, by MMSI. */
  tracks: VesselTrack[];
}

/**
 * Runs the core over recorded feeds, offline, in event time (DESIGN.md §2.1 `replay`). Feeds are
 * read a chunk at a time, always the one furthest behind in event time, so they stay level; the
 * watermark is the slowest unfinished feed's progress (the median of its latest times) less the
 * allowed lateness. At the end, timers run up to the furthest feed's progress, so a stray row
 * stamped in the future does not make every vessel silent.
 */
export async function replay(options: ReplayOptions): Promise<ReplayResult> {
  const final = new FinalPicture();
  let target: ReplayTarget | undefined;
  const output: CoreOutput = {
    alert: (alert) => {
      final.alert(alert);
      target?.output.alert(alert);
    },
    evicted: (track) => {
      final.evicted(track);
      target?.output.evicted?.(track);
    },
  };
  if (options.connect !== undefined) {
    // Only with a target: without these the core skips two calls per report.
    output.report = (report, track) => target?.output.report?.(report, track);
    output.track = (track) => target?.output.track?.(track);
  }
  const core = new FusionCore(options.config, options.zones, output, options.detectors);
  target = options.connect?.(core);
  const afterChunk = target?.afterChunk;
  const onReject = options.onReject ?? (() => {});
  const feeds = options.feeds.map(
    (feed) =>
      new FeedReader(
        feed.member,
        feed.path,
        (m, member, station) => core.ingest(m, member, station),
        onReject,
      ),
  );
  const latenessMs = options.config.allowedLatenessSeconds * 1000;
  await readFeedsLevel(feeds, async (bytesRead) => {
    let watermark = Number.POSITIVE_INFINITY;
    for (const feed of feeds) {
      if (!feed.done && feed.progressTime < watermark) watermark = feed.progressTime;
    }
    if (Number.isFinite(watermark)) core.advance(watermark - latenessMs);
    options.onProgress?.(bytesRead);
    if (afterChunk !== undefined) await afterChunk();
  });
  let end = Number.NEGATIVE_INFINITY;
  for (const feed of feeds) if (feed.progressTime > end) end = feed.progressTime;
  core.finish(end);
  return { core, feeds, alerts: final.alerts(), tracks: final.tracks(core) };
}
