import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { coreStateExternals } from '../pipeline/core-state.js';
import type { CoreOutput, FusionCore } from '../pipeline/fusion-core.js';
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
 * knows whether its topic names no member (`rejectEveryLine`, 7). 8: the dark-gap coverage model
 * keeps reception evidence per cell and each vessel's cursor its last fix and reporting interval
 * (issue 14).
 */
export const WORKER_STATE_VERSION = 8;

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/**
 * Everything the worker's results depend on besides its input: the core (tracks, open alerts,
 * detector state and timers, the dedupe window, queued reports), the partition decoders
 * (half-assembled multi-sentence messages, pending tag blocks) and the track throttle.
 */
export interface WorkerState {
  readonly core: FusionCore;
  readonly throttle: TrackThrottle;
  readonly decoders: Map<string, PartitionDecoder>;
}

/**
 * What a state can only be restored under: the same Tidewatch version, worker state version,
 * core configuration and zones. A worker started with anything else rebuilds its state from its
 * input instead.
 */
export function stateFingerprint(core: FusionCore, zones: ZoneIndex | undefined): string {
  const described = {
    version,
    state: WORKER_STATE_VERSION,
    core: core.config,
    zones: zones?.zones.map((zone) => [zone.id, zone.kind, JSON.stringify(zone.polygons)]),
  };
  return createHash('sha256').update(JSON.stringify(described)).digest('hex');
}

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * The state as bytes, now: synchronous, so nothing changes it meanwhile (the worker loop waits
 * this long). Compress them with `compressState`, off the loop.
 */
export function encodeWorkerState(state: WorkerState, output: CoreOutput): Buffer {
  const externals = coreStateExternals(state.core, output);
  return encodeState(state, externals.byObject, WORKER_STATE_VERSION);
}

/** gzip level 1 on libuv's thread pool (the worker loop goes on meanwhile). */
export function compressState(bytes: Uint8Array): Promise<Buffer> {
  return gzipAsync(bytes, { level: 1 });
}

/**
 * Restores compressed `bytes` into `fresh`: a new core built with the same configuration and
 * zones, a new throttle, and a decoder for each partition of the checkpoint. A state of another
 * `WORKER_STATE_VERSION` is refused (`StateError`, `older_version` or `newer_version`).
 */
export async function restoreWorkerState(
  bytes: Uint8Array,
  fresh: WorkerState,
  output: CoreOutput,
): Promise<void> {
  const raw = await gunzipAsync(bytes);
  const externals = coreStateExternals(fresh.core, output);
  restoreState(raw, fresh, externals.byName, WORKER_STATE_VERSION);
}
