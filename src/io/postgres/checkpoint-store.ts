import type pg from 'pg';

/** A raw partition a checkpoint's state was built from, and the next offset to read there. */
export interface CheckpointPartition {
  readonly topic: string;
  readonly partition: number;
  readonly member: string;
  readonly offset: number;
}

/** One worker state checkpoint (migrations/0003_worker_checkpoints.sql). */
export interface Checkpoint {
  readonly groupId: string;
  /** Wall time the state was taken, epoch ms. */
  readonly takenAt: number;
  readonly fingerprint: string;
  readonly partitions: readonly CheckpointPartition[];
  /** Event time up to which the state fused every report (epoch ms; -Infinity: nothing yet). */
  readonly releasedUntil: number;
  /** The compressed state. */
  readonly state: Uint8Array;
}

/** What a checkpoint is about, without its state: enough to decide whether to use it. */
export type CheckpointHeader = Omit<Checkpoint, 'state'> & {
  /** Size of the compressed state. */
  readonly stateBytes: number;
};

/** SQLSTATE undefined_table. */
const UNDEFINED_TABLE = '42P01';

interface CheckpointHeaderRow {
  group_id: string;
  taken_at: Date;
  fingerprint: string;
  partitions: CheckpointPartition[];
  released_until: Date | null;
  state_bytes: string;
}

/**
 * The `worker_checkpoints` table: the latest state checkpoint of each consumer group. A save
 * replaces the group's row unless the stored one was taken later (two workers of a group
 * handing over: the newer state stays).
 */
export class CheckpointStore {
  constructor(private readonly pool: pg.Pool) {}

  async save(checkpoint: Checkpoint): Promise<void> {
    const released = Number.isFinite(checkpoint.releasedUntil)
      ? new Date(checkpoint.releasedUntil)
      : null;
    await this.pool.query(
      `INSERT INTO worker_checkpoints AS c
         (group_id, taken_at, fingerprint, partitions, released_until, state, state_bytes)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7)
       ON CONFLICT (group_id) DO UPDATE SET
         taken_at = EXCLUDED.taken_at,
         fingerprint = EXCLUDED.fingerprint,
         partitions = EXCLUDED.partitions,
         released_until = EXCLUDED.released_until,
         state = EXCLUDED.state,
         state_bytes = EXCLUDED.state_bytes,
         written_at = now()
       WHERE c.taken_at <= EXCLUDED.taken_at`,
      [
        checkpoint.groupId,
        new Date(checkpoint.takenAt),
        checkpoint.fingerprint,
        JSON.stringify(checkpoint.partitions),
        released,
        Buffer.from(checkpoint.state.buffer, checkpoint.state.byteOffset, checkpoint.state.length),
        checkpoint.state.length,
      ],
    );
  }

  /**
   * The group's latest checkpoint without its state (tens of MB for a large fleet: read it with
   * `loadState` once the header says it will be used), or undefined.
   */
  async loadHeader(groupId: string): Promise<CheckpointHeader | undefined> {
    const { rows } = await this.pool.query<CheckpointHeaderRow>(
      `SELECT group_id, taken_at, fingerprint, partitions, released_until, state_bytes
       FROM worker_checkpoints WHERE group_id = $1`,
      [groupId],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    return {
      groupId: row.group_id,
      takenAt: row.taken_at.getTime(),
      fingerprint: row.fingerprint,
      partitions: row.partitions,
      releasedUntil: row.released_until?.getTime() ?? Number.NEGATIVE_INFINITY,
      stateBytes: Number(row.state_bytes),
    };
  }

  /**
   * The state of the checkpoint `header` describes, or undefined when the group's row has been
   * replaced since (another worker of the group saved a newer one).
   */
  async loadState(header: CheckpointHeader): Promise<Uint8Array | undefined> {
    const { rows } = await this.pool.query<{ state: Buffer }>(
      'SELECT state FROM worker_checkpoints WHERE group_id = $1 AND taken_at = $2',
      [header.groupId, new Date(header.takenAt)],
    );
    return rows[0]?.state;
  }

  /**
   * Forgets the group's checkpoint (the demo's Kafka is new on every start: its old offsets mean
   * nothing). Returns whether there was one; a database not migrated yet has none.
   */
  async clear(groupId: string): Promise<boolean> {
    try {
      const result = await this.pool.query('DELETE FROM worker_checkpoints WHERE group_id = $1', [
        groupId,
      ]);
      return (result.rowCount ?? 0) > 0;
    } catch (error) {
      if ((error as { code?: string }).code === UNDEFINED_TABLE) return false;
      throw error;
    }
  }
}
