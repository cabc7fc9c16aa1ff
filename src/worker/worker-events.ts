import type { RejectReason } from '../ais/reject-reason.js';
import type { Alert } from '../detect/alert.js';

/** What the worker reports to its metrics (src/metrics/worker-metrics.ts) as it goes. */
export interface WorkerEvents {
  messagesIn?(member: string, count: number): void;
  rejected?(member: string, reason: RejectReason): void;
  kafkaMessages?(count: number): void;
  alert?(alert: Alert): void;
  tracksPublished?(count: number): void;
  /** A batch's offsets were stored: seconds since it was consumed, and its messages' ages. */
  batchDone?(seconds: number, messageAgesSeconds: Float64Array): void;
  /** A state checkpoint was written (or failed): its size and the seconds taking it stalled the loop. */
  checkpoint?(result: 'saved' | 'failed' | 'skipped', bytes: number, seconds: number): void;
  /** What became of the checkpoint at the first assignment (see `StateRestoreResult`). */
  stateRestore?(result: StateRestoreResult): void;
}

/**
 * The first assignment after start: `restored` (state and offsets from the group's checkpoint),
 * `none` (no checkpoint), `mismatch` (another version, configuration or zones), `not_assigned`
 * (the checkpoint covers partitions another group member holds), `failed` (unreadable).
 */
export type StateRestoreResult = 'restored' | 'none' | 'mismatch' | 'not_assigned' | 'failed';
