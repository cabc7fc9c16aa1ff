import type pg from 'pg';

/** One acknowledgement of an alert (migration 0006). */
export interface Acknowledgement {
  readonly alertId: string;
  readonly alertRevision: number;
  readonly acknowledgedBy: string;
  /** Epoch ms, Postgres' clock. */
  readonly acknowledgedAt: number;
}

/**
 * Acknowledgements per member (table `alert_acknowledgements`, issue 15): appended, never
 * updated, the newest per alert is the one in force. The server writes them as its own user and
 * always for the signed-in member: they are the operations centre's audit trail, not released
 * data, so row-level security on the history tables does not govern them.
 */
export class AcknowledgementStore {
  constructor(private readonly pool: pg.Pool) {}

  async acknowledge(
    member: string,
    alertId: string,
    alertRevision: number,
    acknowledgedBy: string,
  ): Promise<Acknowledgement> {
    const { rows } = await this.pool.query<AcknowledgementRow>(
      `INSERT INTO alert_acknowledgements (member, alert_id, alert_revision, acknowledged_by)
       VALUES ($1, $2, $3, $4)
       RETURNING ${COLUMNS}`,
      [member, alertId, alertRevision, acknowledgedBy],
    );
    return rows[0]!;
  }

  /** The newest acknowledgement of each alert the member acknowledged. */
  async latest(member: string): Promise<Acknowledgement[]> {
    const { rows } = await this.pool.query<AcknowledgementRow>(
      `SELECT DISTINCT ON (alert_id) ${COLUMNS}
         FROM alert_acknowledgements
        WHERE member = $1
        ORDER BY alert_id, acknowledged_at DESC, id DESC`,
      [member],
    );
    return rows;
  }
}

type AcknowledgementRow = Acknowledgement;

const COLUMNS = `alert_id AS "alertId", alert_revision AS "alertRevision",
  acknowledged_by AS "acknowledgedBy",
  (extract(epoch FROM acknowledged_at) * 1000)::float8 AS "acknowledgedAt"`;
