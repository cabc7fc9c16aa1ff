import { partitionKey } from '../io/kafka/partition-key.js';
import type { CheckpointHeader, CheckpointPartition } from '../io/postgres/checkpoint-store.js';

/**
 * Until one is measured: seconds to take a checkpoint per track or queued report (measured on
 * the 2-core bench machine: 7–8 µs with the default detectors; taken higher to be safe).
 */
export const DEFAULT_TAKE_SECONDS_PER_UNIT = 10e-6;

/**
 * A periodic checkpoint is due: `checkpoint.intervalSeconds` have passed since the last one was
 * taken (or skipped), and the state changed meanwhile.
 */
export function checkpointDue(
  nowMs: number,
  lastCheckpointAtMs: number,
  intervalSeconds: number,
  stateUnsaved: boolean,
): boolean {
  return nowMs - lastCheckpointAtMs >= intervalSeconds * 1000 && stateUnsaved;
}

/**
 * Seconds taking a checkpoint is expected to hold the loop: the rate of the last one taken (per
 * track and queued report, the units of the state) times the state's size now.
 */
export function expectedTakeSeconds(takeSecondsPerUnit: number, stateUnits: number): number {
  return takeSecondsPerUnit * stateUnits;
}

/**
 * A wanted checkpoint is taken only when it should hold the loop at most
 * `checkpoint.maxStallSeconds`: a worker must not freeze for a minute, and the last checkpoint
 * stays valid meanwhile.
 */
export function checkpointFits(expectedSeconds: number, maxStallSeconds: number): boolean {
  return expectedSeconds <= maxStallSeconds;
}

/**
 * Whether the group's stored checkpoint can be restored by this worker: `none` (there is none),
 * `mismatch` (another version, configuration or zone set wrote it), `not_assigned` (it covers
 * partitions another group member holds: `elsewhere`), or `usable`.
 */
export type CheckpointUse =
  | { readonly use: 'none' }
  | { readonly use: 'mismatch' }
  | { readonly use: 'not_assigned'; readonly elsewhere: readonly CheckpointPartition[] }
  | { readonly use: 'usable' };

export function checkpointUse(
  checkpoint: CheckpointHeader | undefined,
  fingerprint: string,
  assigned: readonly { readonly topic: string; readonly partition: number }[],
): CheckpointUse {
  if (checkpoint === undefined) return { use: 'none' };
  if (checkpoint.fingerprint !== fingerprint) return { use: 'mismatch' };
  const keys = new Set(assigned.map((p) => partitionKey(p.topic, p.partition)));
  const elsewhere = checkpoint.partitions.filter(
    (p) => !keys.has(partitionKey(p.topic, p.partition)),
  );
  if (elsewhere.length > 0) return { use: 'not_assigned', elsewhere };
  return { use: 'usable' };
}
