import type { RejectReason } from '../ais/reject-reason.js';
import { hasBit, nextBit } from '../coalition/bitset.js';
import type { Coalition } from '../coalition/coalition.js';
import type { PictureClass } from '../coalition/picture-classes.js';
import type { Alert } from '../detect/alert.js';
import type { DetectorFactory } from '../detect/detector.js';
import type { VesselTrack } from '../fusion/vessel-track.js';
import type { ZoneIndex } from '../zones/zone-index.js';
import type { CoreConfig } from './core-config.js';
import { FeedReader } from './feed-reader.js';
import { readFeedsLevel } from './feed-schedule.js';
import { FinalPicture } from './final-picture.js';
import type { CoreOutput, FusionCore } from './fusion-core.js';
import { type ContributionRejectReason, PictureSet } from './picture-set.js';
import { ProgressClock } from './progress-clock.js';
import { rejectFeedLines } from './rejected-feed.js';

export interface CoalitionReplayOptions {
  feeds: readonly { member: string; path: string }[];
  coalition: Coalition;
  zones: ZoneIndex | undefined;
  config: CoreConfig;
  detectors: readonly DetectorFactory[];
  /** Every rejected line, with its member and reason (dead letters). */
  onReject?: (
    member: string,
    reason: RejectReason | ContributionRejectReason,
    line: string,
  ) => void;
  /** Called after every chunk read, with the bytes read so far over all feeds. */
  onProgress?: (bytesRead: number) => void;
  /**
   * Also sends each picture's fused reports and alert revisions there (a history sink per
   * picture, as the worker will); `core` is the picture's core once it exists.
   */
  observe?: (picture: PictureClass, core: () => FusionCore) => Pick<CoreOutput, 'report' | 'alert'>;
}

/** One distinct picture after the replay: what `replay` would return for its visible input. */
export interface PictureResult {
  readonly picture: PictureClass;
  readonly core: FusionCore;
  /** The final revision of every alert, by start time then id. */
  readonly alerts: Alert[];
  /** Final fused state of every vessel, by MMSI. */
  readonly tracks: VesselTrack[];
}

export interface CoalitionReplayResult {
  readonly set: PictureSet;
  /** The feeds of coalition members, decoded. */
  readonly feeds: FeedReader[];
  /** Feeds of members the coalition does not know: every line rejected as `unknown_member`. */
  readonly unknownFeeds: { member: string; path: string; lines: number }[];
  /** By picture class index. */
  readonly pictures: PictureResult[];
}

/**
 * `replay --coalition` (DESIGN.md §6, issue 13): the recorded feeds decoded once, each
 * contribution fed to the pictures that may see it (picture-set.ts), each picture run as `replay`
 * runs its one core. Every picture keeps its own event-time clocks, fed only by the contributions
 * it sees, so its watermark and its end of input are those a plain `replay` of its visible input
 * would have: a picture depends only on the stream released to it, as the federation step will
 * need (DESIGN.md §6, "looking ahead").
 *
 * A picture's watermark waits for every feed whose contributor it sees somewhere, until that
 * feed ends; a feed it never sees does not hold it back. A contributor it sees only in places
 * where that contributor's receivers rarely hear anything holds its watermark back the longer
 * (its reports wait in the event-time queue): the price of not letting one picture's timing
 * depend on contributions it may not see.
 */
export async function replayCoalition(
  options: CoalitionReplayOptions,
): Promise<CoalitionReplayResult> {
  const finals: FinalPicture[] = [];
  const set: PictureSet = new PictureSet({
    contributors: new Set(options.feeds.map((feed) => feed.member)),
    coalition: options.coalition,
    zones: options.zones,
    config: options.config,
    detectors: options.detectors,
    output: (picture): CoreOutput => {
      const final = new FinalPicture();
      finals.push(final);
      const observer = options.observe?.(picture, () => set.cores[picture.index]!);
      if (observer === undefined) {
        return { alert: (alert) => final.alert(alert), evicted: (track) => final.evicted(track) };
      }
      return {
        alert: (alert) => {
          final.alert(alert);
          observer.alert(alert);
        },
        evicted: (track) => final.evicted(track),
        report: observer.report,
      };
    },
  });
  const onReject = options.onReject ?? (() => {});
  const known = options.feeds.filter((feed) => set.table.contributorIndex(feed.member) >= 0);
  const unknownFeeds = [];
  for (const feed of options.feeds) {
    if (set.table.contributorIndex(feed.member) >= 0) continue;
    const lines = await rejectFeedLines(feed.path, (line) =>
      onReject(feed.member, 'unknown_member', line),
    );
    unknownFeeds.push({ ...feed, lines });
  }

  const pictureCount = set.cores.length;
  const words = set.table.wordsPerMask;
  // clocks[picture][feed]: undefined when the feed's contributor is never visible to the picture.
  const everywhere = set.table.newMask();
  const noZone = new Int32Array(1);
  const clocks: (ProgressClock | undefined)[][] = [];
  for (let p = 0; p < pictureCount; p++) {
    clocks.push(
      known.map((feed) => {
        set.table.picturesFor(set.table.contributorIndex(feed.member), noZone, 0, everywhere);
        return hasBit(everywhere, p) ? new ProgressClock() : undefined;
      }),
    );
  }
  const feeds = known.map(
    (feed, f) =>
      new FeedReader(
        feed.member,
        feed.path,
        (m, member, station) => {
          const mask = set.ingest(m, member, station);
          if (mask === undefined) return;
          const time = m.receivedAt!;
          for (let p = nextBit(mask, 0, words); p >= 0; p = nextBit(mask, p + 1, words)) {
            clocks[p]![f]!.note(time);
          }
        },
        onReject,
      ),
  );

  const latenessMs = options.config.allowedLatenessSeconds * 1000;
  await readFeedsLevel(feeds, (bytesRead) => {
    for (let p = 0; p < pictureCount; p++) {
      let watermark = Number.POSITIVE_INFINITY;
      clocks[p]!.forEach((clock, f) => {
        if (clock !== undefined && !feeds[f]!.done && clock.progressTime < watermark) {
          watermark = clock.progressTime;
        }
      });
      if (Number.isFinite(watermark)) set.cores[p]!.advance(watermark - latenessMs);
    }
    options.onProgress?.(bytesRead);
  });
  const pictures = set.pictures.classes.map((picture, p) => {
    let end = Number.NEGATIVE_INFINITY;
    for (const clock of clocks[p]!) {
      if (clock !== undefined && clock.progressTime > end) end = clock.progressTime;
    }
    const core = set.cores[p]!;
    core.finish(end);
    const final = finals[p]!;
    return { picture, core, alerts: final.alerts(), tracks: final.tracks(core) };
  });
  return { set, feeds, unknownFeeds, pictures };
}
