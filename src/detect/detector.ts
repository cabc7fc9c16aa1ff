import type { MemberRegistry } from '../fusion/member-registry.js';
import type { Report } from '../fusion/report.js';
import type { VesselTrack } from '../fusion/vessel-track.js';
import type { ZoneIndex } from '../zones/zone-index.js';
import type { AlertBook } from './alert-book.js';
import type { Timer } from './timer-queue.js';

/**
 * What a detector may use: the shared state of the core, read-only except through the alert
 * book and the timer queue. Detectors are functions of this state and event time: no clocks, no
 * I/O (DESIGN.md §1), so replay and live give the same alerts.
 */
export interface DetectorContext {
  readonly tracks: ReadonlyMap<number, VesselTrack>;
  readonly zones: ZoneIndex | undefined;
  readonly alerts: AlertBook;
  readonly members: MemberRegistry;
  /** Zones of the vessel before the fix being processed (valid during `onFix`). */
  readonly previousZones: readonly number[];
  /** Current event-time watermark, epoch ms. */
  readonly watermark: number;
  schedule(deadline: number, timer: Timer): void;
  /** True when the point lies in a zone of kind `port` (no zones: false). */
  inPort(lat: number, lon: number): boolean;
}

/** A rule over the fused picture (DESIGN.md §3). Every hook is optional. */
export interface Detector {
  readonly name: string;
  /**
   * Called for every distinct report, in event-time order, after fusion updated the track (for
   * a position report, after the fix was applied, zones included); `fixApplied` is false for
   * reports that carry no position or arrived after a newer fix.
   */
  onReport?(track: VesselTrack, report: Report, fixApplied: boolean): void;
  /** A vessel was forgotten (state eviction): drop its state. */
  onEvict?(track: VesselTrack): void;
  /**
   * Events the detector counts that are not alerts (e.g. silences not judged for want of
   * coverage), cumulative since the detector was made: exported as metrics by the worker.
   */
  counts?(): Readonly<Record<string, number>>;
}

/** Builds a detector with its slot (index into `VesselTrack.slots`) and the context. */
export type DetectorFactory = (slot: number, context: DetectorContext) => Detector;
