import type { AssignedPartition } from '../io/kafka/consumer-assignment.js';
import { partitionKey } from '../io/kafka/partition-key.js';
import type {
  CheckpointHeader,
  CheckpointPartition,
  CheckpointStore,
} from '../io/postgres/checkpoint-store.js';
import type { Logger } from '../util/logger.js';
import {
  checkpointDue,
  checkpointFits,
  checkpointUse,
  DEFAULT_TAKE_SECONDS_PER_UNIT,
  expectedTakeSeconds,
} from './checkpoint-policy.js';
import type { PartitionWatermarks } from './partition-watermarks.js';
import type { WorkerConfig } from './worker-config.js';
import type { StateRestoreResult, WorkerEvents } from './worker-events.js';
import type { WorkerOutput } from './worker-output.js';
import {
  compressState,
  encodeWorkerState,
  restoreWorkerState,
  stateReleasedUntil,
  stateTouched,
  stateUnits,
} from './worker-state.js';

/** A checkpoint in the making: the state's bytes and where each partition's input stands. */
export interface TakenCheckpoint {
  readonly takenAt: number;
  readonly partitions: CheckpointPartition[];
  readonly releasedUntil: number;
  readonly state: Buffer;
  readonly seconds: number;
  readonly sequence: number;
}

/** Where a partition's input stands (the worker moves `offset` as it ingests). */
interface PartitionPosition extends CheckpointPartition {
  offset: number;
}

export interface CheckpointCoordinatorOptions {
  /** Where checkpoints go; undefined: checkpoints off (no Postgres, or `checkpoint.enabled` false). */
  readonly store: CheckpointStore | undefined;
  readonly config: WorkerConfig;
  /** `stateFingerprint` of this worker's core and zones. */
  readonly fingerprint: string;
  readonly output: WorkerOutput;
  /**
   * The raw partitions' clocks, for the decoders a restored state gets; undefined: checkpoints
   * off (the fusion stage of a scaled deployment, for now: docs/scale-out.md).
   */
  readonly watermarks: PartitionWatermarks | undefined;
  readonly events: WorkerEvents;
  readonly log: Logger;
}

/**
 * State hand-over (issue 4): every `checkpoint.intervalSeconds`, at a flush, and when partitions
 * are revoked or the worker stops, the whole state (`WorkerState`: core, decoders, throttle) is
 * taken with the next offset of every partition it has read (`take`); it is written to Postgres
 * (`worker_checkpoints`, `save`) once that flush, and every flush before it, is durable — so
 * every output of that state is. At its first assignment a worker restores the group's
 * checkpoint and reads each of its partitions on from the checkpoint's offsets (`startOffsets`):
 * its alerts, tracks and counts are those of a worker that never stopped. Without a usable
 * checkpoint it builds its state from the committed offsets on (see `StateRestoreResult`).
 */
export class CheckpointCoordinator {
  /** Where each partition's input stands: the next offset after the last message ingested. */
  private readonly positions = new Map<string, PartitionPosition>();
  /** Bumped when the state changes (input ingested, event time moved). */
  private stateSequence = 0;
  /** `stateSequence` of the last checkpoint written. */
  private savedSequence = 0;
  private lastCheckpointAtMs = Date.now();
  /** Seconds a checkpoint took per unit of state (`stateUnits`), from the last one taken. */
  private takeSecondsPerUnit = DEFAULT_TAKE_SECONDS_PER_UNIT;
  private restoreChecked = false;

  constructor(private readonly options: CheckpointCoordinatorOptions) {}

  /** The state changed (input ingested, event time moved). */
  stateChanged(): void {
    this.stateSequence++;
  }

  /** Input of `topic` [`partition`] was ingested up to `nextOffset` - 1. */
  noteInput(topic: string, partition: number, member: string, nextOffset: number): void {
    const key = partitionKey(topic, partition);
    let position = this.positions.get(key);
    if (position === undefined) {
      position = { topic, partition, member, offset: 0 };
      this.positions.set(key, position);
    }
    position.offset = nextOffset;
  }

  /** A periodic checkpoint is due (see `checkpointDue`). */
  due(nowMs: number): boolean {
    const interval = this.options.config.checkpoint.intervalSeconds;
    return checkpointDue(nowMs, this.lastCheckpointAtMs, interval, this.unsaved());
  }

  /**
   * Whether a flush starting now takes a checkpoint: a due periodic one, or — when partitions
   * are leaving or the worker stops (`handingOver`: the next owner starts from exactly here) —
   * one whenever the state changed since the last. Either only when taking it fits
   * `checkpoint.maxStallSeconds` (see `fits`).
   */
  wanted(nowMs: number, handingOver: boolean): boolean {
    const wanted = handingOver ? this.unsaved() : this.due(nowMs);
    return wanted && this.fits(nowMs);
  }

  /** Takes the state now (synchronously: nothing changes it meanwhile), or undefined on error. */
  take(nowMs: number): TakenCheckpoint | undefined {
    const { output, events, log } = this.options;
    this.lastCheckpointAtMs = nowMs;
    const started = performance.now();
    try {
      const state = encodeWorkerState(output.state, output.coreOutputs);
      const seconds = (performance.now() - started) / 1000;
      this.takeSecondsPerUnit = seconds / Math.max(1, this.stateUnits());
      return {
        takenAt: Date.now(),
        partitions: [...this.positions.values()].map((p) => ({ ...p })),
        releasedUntil: stateReleasedUntil(output.state),
        state,
        seconds,
        sequence: this.stateSequence,
      };
    } catch (error) {
      log.error({ err: (error as Error).message }, 'state checkpoint could not be taken');
      events.checkpoint?.('failed', 0, (performance.now() - started) / 1000);
      return undefined;
    }
  }

  /** Writes a checkpoint whose outputs are all durable. Never rejects (the next one retries). */
  async save(taken: TakenCheckpoint): Promise<void> {
    const { config, events, fingerprint, log, store } = this.options;
    if (store === undefined) return;
    let bytes = 0;
    try {
      const state = await compressState(taken.state);
      bytes = state.length;
      await store.save({
        groupId: config.kafka.groupId,
        takenAt: taken.takenAt,
        fingerprint,
        partitions: taken.partitions,
        releasedUntil: taken.releasedUntil,
        state,
      });
      if (taken.sequence > this.savedSequence) this.savedSequence = taken.sequence;
      events.checkpoint?.('saved', bytes, taken.seconds);
      log.debug(
        { bytes, rawBytes: taken.state.length, seconds: taken.seconds },
        'state checkpoint written',
      );
    } catch (error) {
      events.checkpoint?.('failed', bytes, taken.seconds);
      log.warn({ err: (error as Error).message }, 'state checkpoint not written');
    }
  }

  /** A taken checkpoint is not written: a flush it waited for failed. */
  abandon(taken: TakenCheckpoint): void {
    this.options.events.checkpoint?.('failed', 0, taken.seconds);
  }

  /**
   * Before the first assignment starts fetching: restores the group's checkpoint when it can
   * (this worker has read nothing yet, the fingerprint matches, and every partition of the
   * checkpoint is in `assigned`), and returns the offsets to read its partitions on from.
   */
  async startOffsets(
    assigned: readonly AssignedPartition[],
  ): Promise<ReadonlyMap<string, number> | undefined> {
    const { store, watermarks } = this.options;
    if (store === undefined || watermarks === undefined || this.restoreChecked) return undefined;
    this.restoreChecked = true;
    if (stateTouched(this.options.output.state)) return undefined;
    const result = await this.restore(store, watermarks, assigned);
    this.options.events.stateRestore?.(result);
    if (result !== 'restored') return undefined;
    return new Map([...this.positions].map(([key, p]) => [key, p.offset]));
  }

  /** Checkpoints are on and the state changed since the last one was taken. */
  private unsaved(): boolean {
    return this.options.store !== undefined && this.stateSequence !== this.savedSequence;
  }

  /**
   * The decision, when a flush starts, to take a wanted checkpoint: only when it should hold the
   * loop at most `checkpoint.maxStallSeconds` (from the last one's rate per track and queued
   * report). Otherwise the checkpoint is skipped — counted, logged, judged again after the next
   * interval.
   */
  private fits(nowMs: number): boolean {
    const { config, events, log, output } = this.options;
    const expected = expectedTakeSeconds(this.takeSecondsPerUnit, this.stateUnits());
    const budget = config.checkpoint.maxStallSeconds;
    if (checkpointFits(expected, budget)) return true;
    this.lastCheckpointAtMs = nowMs;
    events.checkpoint?.('skipped', 0, 0);
    log.warn(
      {
        expectedSeconds: Math.round(expected),
        maxStallSeconds: budget,
        ...stateUnits(output.state),
      },
      'state checkpoint skipped: taking it would hold the worker this long (raise checkpoint.maxStallSeconds, or lower core.allowedLatenessSeconds to hold fewer reports)',
    );
    return false;
  }

  /** The size of the state for the checkpoint cost: tracks and the reports held. */
  private stateUnits(): number {
    const { vessels, queuedReports } = stateUnits(this.options.output.state);
    return vessels + queuedReports;
  }

  private async restore(
    store: CheckpointStore,
    watermarks: PartitionWatermarks,
    assigned: readonly AssignedPartition[],
  ): Promise<StateRestoreResult> {
    const { config, fingerprint, log, output } = this.options;
    const groupId = config.kafka.groupId;
    let checkpoint: CheckpointHeader | undefined;
    try {
      checkpoint = await store.loadHeader(groupId);
    } catch (error) {
      log.warn({ err: (error as Error).message }, 'state checkpoint not read: rebuilding');
      return 'failed';
    }
    const use = checkpointUse(checkpoint, fingerprint, assigned);
    if (use.use === 'none' || checkpoint === undefined) {
      log.info({ groupId }, 'no state checkpoint: building the state from the input');
      return 'none';
    }
    const age = { takenAt: new Date(checkpoint.takenAt).toISOString() };
    if (use.use === 'mismatch') {
      log.warn(
        age,
        'state checkpoint not used: written by another version, configuration or zone set; building the state from the input',
      );
      return 'mismatch';
    }
    if (use.use === 'not_assigned') {
      log.warn(
        { ...age, notAssigned: use.elsewhere.map((p) => `${p.topic}[${p.partition}]`) },
        'state checkpoint not used: it covers partitions another group member holds; building the state from the input',
      );
      return 'not_assigned';
    }
    const started = performance.now();
    const fresh = output.newState();
    const now = Date.now();
    try {
      // Only now the state itself (the header said it will be used).
      const state = await store.loadState(checkpoint);
      if (state === undefined) throw new Error('replaced by a newer checkpoint while being read');
      for (const p of checkpoint.partitions) {
        const clock = watermarks.clock(p.topic, p.partition, now);
        fresh.decoders.set(
          partitionKey(p.topic, p.partition),
          output.newDecoder(p.topic, p.partition, p.member, clock),
        );
      }
      await restoreWorkerState(state, fresh, output.coreOutputs);
    } catch (error) {
      log.error(
        { ...age, err: (error as Error).message },
        'state checkpoint could not be restored: building the state from the input',
      );
      return 'failed';
    }
    output.use(fresh);
    for (const p of checkpoint.partitions) {
      this.positions.set(partitionKey(p.topic, p.partition), { ...p });
    }
    log.info(
      {
        ...age,
        partitions: checkpoint.partitions.length,
        stateBytes: checkpoint.stateBytes,
        ...stateUnits(fresh),
        releasedUntil: Number.isFinite(checkpoint.releasedUntil)
          ? new Date(checkpoint.releasedUntil).toISOString()
          : undefined,
        seconds: Math.round(performance.now() - started) / 1000,
      },
      'state restored from checkpoint',
    );
    return 'restored';
  }
}
