import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { CoreOutput, FusionCore } from '../pipeline/fusion-core.js';
import type { PictureSet } from '../pipeline/picture-set.js';
import { StateExternals } from '../state/state-externals.js';
import { encodeState, restoreState } from '../state/state-graph.js';
import type { ZoneIndex } from '../zones/zone-index.js';
import type { PartitionDecoder } from './partition-decoder.js';
import type { TrackThrottle } from './track-throttle.js';

/**
 * Bump when what the worker puts in its state changes — a field of a state class added, renamed
 * or removed — and regenerate the stored checkpoint the tests restore (`npm run
 * update:checkpoint-fixture`; test/worker/worker-state.test.ts fails until both are done).
 * Older checkpoints are then not used: the fingerprint differs, and the state's own header
 * refuses them (`older_version`). 6: provenance is a set interned in the core's MemberRegistry,
 * whose set table the state holds (issue 13), no longer a 32-bit member mask; a partition decoder
 * knows whether its topic names no member (`rejectEveryLine`, 7). 8: a core per coalition picture
 * (`cores`, `pictures`), a throttle per picture, what each member with an area was shown. 9: the dark-gap
 * coverage model keeps reception evidence per cell and each vessel's cursor its last fix and
 * reporting interval (issue 14).
 */
export const WORKER_STATE_VERSION = 9;

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/**
 * Everything the worker's results depend on besides its input: the cores (tracks, open alerts,
 * detector state and timers, the dedupe window, queued reports), the partition decoders
 * (half-assembled multi-sentence messages, pending tag blocks) and the track throttles.
 */
export interface WorkerState {
  /** One core per distinct picture of the coalition (picture-set.ts); one core without one. */
  readonly cores: readonly FusionCore[];
  /** The coalition's pictures, which route each contribution to its cores; undefined without. */
  readonly pictures: PictureSet | undefined;
  /** Per core: at most one track message per vessel per interval. */
  readonly throttles: readonly TrackThrottle[];
  /**
   * Per member with an `area`: the vessels whose latest message on its track topic is a track
   * (not the tombstone sent when the vessel left the area).
   */
  readonly shownTracks: Map<string, Set<number>>;
  /**
   * Per member with an `area`: the open alerts it was sent a revision of (a later revision
   * positioned outside the area withdraws it with a tombstone).
   */
  readonly shownAlerts: Map<string, Set<string>>;
  readonly decoders: Map<string, PartitionDecoder>;
}

/**
 * What a state can only be restored under: the same Tidewatch version, worker state version,
 * core configuration, zones and coalition policy version (policy-version.ts; '' without a
 * coalition). A worker started with anything else rebuilds its state from its input instead: a
 * changed policy starts from fresh state, so no picture keeps what its audiences may no longer see.
 */
export function stateFingerprint(
  core: FusionCore,
  zones: ZoneIndex | undefined,
  policyVersion = '',
): string {
  const described = {
    version,
    state: WORKER_STATE_VERSION,
    core: core.config,
    zones: zones?.zones.map((zone) => [zone.id, zone.kind, JSON.stringify(zone.polygons)]),
    policy: policyVersion,
  };
  return createHash('sha256').update(JSON.stringify(described)).digest('hex');
}

/**
 * What a snapshot of the state refers to instead of holding: the configuration (every section),
 * the zones, the coalition and each core's output (by core index). A state restored from it must
 * be built with the same ones (`stateFingerprint`); the outputs are the restoring side's.
 */
export function workerStateExternals(
  state: WorkerState,
  outputs: readonly CoreOutput[],
): StateExternals {
  const first = state.cores[0]!;
  const externals = new StateExternals()
    .add('core.config', first.config, { deep: true })
    .add('core.zones', first.zones)
    .add('coalition', state.pictures?.coalition, { deep: true });
  outputs.forEach((output, i) => {
    externals.add(`core.output.${i}`, output);
  });
  return externals;
}

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * The state as bytes, now: synchronous, so nothing changes it meanwhile (the worker loop waits
 * this long). Compress them with `compressState`, off the loop.
 */
export function encodeWorkerState(state: WorkerState, outputs: readonly CoreOutput[]): Buffer {
  const externals = workerStateExternals(state, outputs);
  return encodeState(state, externals.byObject, WORKER_STATE_VERSION);
}

/** gzip level 1 on libuv's thread pool (the worker loop goes on meanwhile). */
export function compressState(bytes: Uint8Array): Promise<Buffer> {
  return gzipAsync(bytes, { level: 1 });
}

/**
 * Restores compressed `bytes` into `fresh`: new cores built with the same configuration, zones and
 * coalition, new throttles, and a decoder for each partition of the checkpoint. A state of another
 * `WORKER_STATE_VERSION` is refused (`StateError`, `older_version` or `newer_version`).
 */
export async function restoreWorkerState(
  bytes: Uint8Array,
  fresh: WorkerState,
  outputs: readonly CoreOutput[],
): Promise<void> {
  const raw = await gunzipAsync(bytes);
  const externals = workerStateExternals(fresh, outputs);
  restoreState(raw, fresh, externals.byName, WORKER_STATE_VERSION);
}

/** Event time every core has released up to (the slowest core's `releasedUntil`). */
export function stateReleasedUntil(state: WorkerState): number {
  let until = Number.POSITIVE_INFINITY;
  for (const core of state.cores) if (core.releasedUntil < until) until = core.releasedUntil;
  return until;
}

/** The state's size for the checkpoint cost: tracks and reports held, over every core. */
export function stateUnits(state: WorkerState): { vessels: number; queuedReports: number } {
  let vessels = 0;
  let queuedReports = 0;
  for (const core of state.cores) {
    vessels += core.tracks.size;
    queuedReports += core.queuedReports;
  }
  return { vessels, queuedReports };
}

/**
 * Event time up to which every report given to the state has reached its cores' outputs (a
 * batch is done when this passes it, BatchLedger): the slowest core's `releasedUntil`, where a
 * core with nothing queued counts as done with everything. A coalition's core sees only the
 * contributions visible to its picture: one that never saw a batch's newest report would
 * otherwise hold that batch until its own time passed it, which at the end of the input it
 * never does.
 */
export function stateDeliveredUntil(state: WorkerState): number {
  let until = Number.POSITIVE_INFINITY;
  for (const core of state.cores) {
    if (core.queuedReports > 0 && core.releasedUntil < until) until = core.releasedUntil;
  }
  return until;
}

/** Whether the state has taken any input (a message ingested, a partition decoder made). */
export function stateTouched(state: WorkerState): boolean {
  return state.decoders.size > 0 || state.cores.some((core) => core.stats.messages > 0);
}
