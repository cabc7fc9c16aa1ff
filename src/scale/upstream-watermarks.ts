import type { Watermark } from '../worker/watermark-source.js';
import type { UpstreamMark } from './report-record.js';

interface UpstreamState {
  progressMs: number;
  endMs: number;
  idle: boolean;
}

const UNKNOWN: Watermark = { time: Number.NEGATIVE_INFINITY, allIdle: false };

/**
 * The event time one internal partition has reached, merged from the watermarks every upstream
 * (raw) partition forwards to it (docs/scale-out.md): the slowest active upstream's progress, as
 * the one-worker `PartitionWatermarks` takes the slowest active raw partition's. An upstream that
 * marks itself idle (caught up, quiet) holds nobody back; a slow one does. When every upstream is
 * idle the watermark is the furthest one's progress and `end` the furthest input, so the fusion
 * stage finishes what it holds, as `replay` does at the end of its files.
 *
 * Until it has heard from as many upstream partitions as the latest mark says there are, the
 * watermark is unknown (-Infinity): a decode instance that has not joined yet must not be
 * overtaken. A mark never moves an upstream's progress back (a raw partition's new owner
 * re-reads from its committed offset: what it resends is late, not a reason to wait again).
 */
export class UpstreamWatermarks {
  private readonly upstreams = new Map<string, UpstreamState>();
  private expected = 0;

  /** Records one forwarded mark. */
  note(mark: UpstreamMark): void {
    if (mark.upstreamPartitions > this.expected) this.expected = mark.upstreamPartitions;
    const state = this.upstreams.get(mark.upstream);
    if (state === undefined) {
      this.upstreams.set(mark.upstream, {
        progressMs: mark.progressMs,
        endMs: mark.endMs,
        idle: mark.idle,
      });
      return;
    }
    if (mark.progressMs > state.progressMs) state.progressMs = mark.progressMs;
    if (mark.endMs > state.endMs) state.endMs = mark.endMs;
    state.idle = mark.idle;
  }

  /** Upstream partitions heard from. */
  get known(): number {
    return this.upstreams.size;
  }

  /** The furthest progress any upstream has forwarded (-Infinity before the first). */
  get furthestMs(): number {
    let furthest = Number.NEGATIVE_INFINITY;
    for (const state of this.upstreams.values()) {
      if (state.progressMs > furthest) furthest = state.progressMs;
    }
    return furthest;
  }

  watermark(): Watermark {
    if (this.upstreams.size === 0 || this.upstreams.size < this.expected) return UNKNOWN;
    let slowest = Number.POSITIVE_INFINITY;
    let furthest = Number.NEGATIVE_INFINITY;
    let end = Number.NEGATIVE_INFINITY;
    let active = 0;
    for (const state of this.upstreams.values()) {
      if (state.progressMs > furthest) furthest = state.progressMs;
      if (state.endMs > end) end = state.endMs;
      if (state.idle) continue;
      active++;
      if (state.progressMs < slowest) slowest = state.progressMs;
    }
    if (active > 0) return { time: slowest, allIdle: false };
    return { time: furthest, allIdle: true, end };
  }
}

/**
 * The watermark over several internal partitions (a fusion instance's assignment): the slowest
 * partition's; all idle only when every partition is. No partition: unknown.
 */
export function mergeWatermarks(watermarks: Iterable<Watermark>): Watermark {
  let slowest = Number.POSITIVE_INFINITY;
  let furthest = Number.NEGATIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  let count = 0;
  let active = 0;
  for (const w of watermarks) {
    count++;
    if (w.time > furthest) furthest = w.time;
    if (w.allIdle) {
      if (w.end !== undefined && w.end > end) end = w.end;
      continue;
    }
    active++;
    if (w.time < slowest) slowest = w.time;
  }
  if (count === 0) return UNKNOWN;
  if (active > 0) return { time: slowest, allIdle: false };
  return { time: furthest, allIdle: true, end };
}
