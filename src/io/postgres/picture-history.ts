import type pg from 'pg';
import type { HistoryPosition } from '../../picture/history-position.js';
import { withMemberRole } from './member-session.js';

/** A longitude/latitude box, degrees. */
export interface HistoryBox {
  readonly west: number;
  readonly south: number;
  readonly east: number;
  readonly north: number;
}

/**
 * The picture's history queries on `positions` (issue 15), each run as the member's role
 * (member-session.ts): a vessel's track over a time window, and every position in a box and a
 * time window for playback. Both read only the days' partitions the window covers (the time
 * predicate on the partition key) and stop at `limit` rows, which the caller reports as cut.
 */
export class PictureHistory {
  constructor(private readonly pool: pg.Pool) {}

  /** The vessel's positions in [fromMs, toMs), oldest first, at most `limit`. */
  vesselTrack(
    role: string | undefined,
    mmsi: number,
    fromMs: number,
    toMs: number,
    limit: number,
  ): Promise<HistoryPosition[]> {
    return this.positions(role, 'mmsi = $4', [fromMs, toMs, limit, mmsi]);
  }

  /** Positions in the box and [fromMs, toMs), oldest first, at most `limit`. */
  positionsInWindow(
    role: string | undefined,
    box: HistoryBox,
    fromMs: number,
    toMs: number,
    limit: number,
  ): Promise<HistoryPosition[]> {
    return this.positions(role, 'lon BETWEEN $4 AND $5 AND lat BETWEEN $6 AND $7', [
      fromMs,
      toMs,
      limit,
      box.west,
      box.east,
      box.south,
      box.north,
    ]);
  }

  /** Positions in [$1, $2) ms matching `where` (parameters from $4), oldest first, at most $3. */
  private positions(
    role: string | undefined,
    where: string,
    params: readonly number[],
  ): Promise<HistoryPosition[]> {
    return withMemberRole(this.pool, role, async (client) => {
      const { rows } = await client.query<PositionRow>(
        `SELECT mmsi, (extract(epoch FROM time) * 1000)::float8 AS time, lat, lon, sog, cog
           FROM positions
          WHERE time >= to_timestamp($1 / 1000.0) AND time < to_timestamp($2 / 1000.0)
            AND ${where}
          ORDER BY time
          LIMIT $3`,
        [...params],
      );
      return rows;
    });
  }
}

type PositionRow = HistoryPosition;
