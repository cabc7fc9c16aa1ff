import type pg from 'pg';
import type { Coalition } from '../../coalition/coalition.js';
import type { Alert } from '../../detect/alert.js';
import type { MemberNames } from '../../fusion/member-registry.js';
import type { Report } from '../../fusion/report.js';
import type { VesselTrack } from '../../fusion/vessel-track.js';
import type { Logger } from '../../util/logger.js';
import type { ZoneIndex } from '../../zones/zone-index.js';
import { type AlertRow, alertRow, upsertAlerts } from './alert-upsert.js';
import { AreaZones } from './area-zones.js';
import { WHOLE_PICTURE_ID } from './coalition-policy-store.js';
import {
  isHistoryPosition,
  PositionCopyWriter,
  type PositionToWrite,
} from './position-copy-writer.js';
import { PositionPartitions, utcDay } from './position-partitions.js';
import { PostgresError } from './postgres-error.js';
import { postgresLogger } from './postgres-logger.js';
import { withClient } from './postgres-pool.js';
import { DEFAULT_RETRY, type RetryOptions, retryTransient } from './retry-transient.js';
import { upsertVessels, type VesselRow, vesselRow } from './vessel-upsert.js';

/**
 * A picture as the history stores it (migrations/0004): its id in `pictures`
 * (WHOLE_PICTURE_ID without a coalition; applyCoalitionPolicy gives the others) and the member
 * registry of the core that computes it, which turns its source sets into member ids.
 */
export interface HistoryPicture {
  readonly id: number;
  readonly members: MemberNames;
  /**
   * False when none of the picture's audiences receives `tracks` (PictureClass.outputs): its
   * positions and vessels are not stored, since no member could read them. Default true.
   */
  readonly tracks?: boolean;
  /** The coalition policy version (policy-version.ts) stored with its positions, vessels and alerts. */
  readonly policyVersion?: string;
}

/** The whole picture of `members`' core: what a worker without a coalition writes. */
export function wholePicture(members: MemberNames): HistoryPicture {
  return { id: WHOLE_PICTURE_ID, members };
}

export interface HistorySinkOptions {
  /** The cores' zones, to store zone ids with each vessel; none when absent. */
  zones?: ZoneIndex;
  /**
   * The coalition policy in force, if any: its area zones are recorded with every row
   * (area-zones.ts) and its private zones left out of `vessels.zones` (their alerts are for
   * their members only).
   */
  coalition?: Coalition;
  /**
   * Buffered rows at which `full` turns true (default 200 000): the worker pauses its input
   * until a flush brings the buffer back under it. Nothing is dropped above it.
   */
  highWaterMarkRows?: number;
  /**
   * The core's dedupe window, milliseconds (default 30 000): a position within it of a stored
   * one with the same vessel and payload is the same report (see PositionCopyWriter).
   */
  dedupeWindowMs?: number;
  /**
   * Transactions written at once, each on its own connection (default 2). Every write is
   * idempotent and order-free (positions skip what is stored, vessels keep the newest state,
   * alerts the highest revision), so they need not commit in order; with PostGIS a single COPY
   * stream is bound by one server backend maintaining the GiST index.
   */
  concurrency?: number;
  /**
   * Position rows per transaction (default 20 000): a flush holding more is written as several,
   * side by side on the `concurrency` connections, so one big flush (after a pause at the
   * high-water mark) keeps every connection busy instead of one.
   */
  chunkRows?: number;
  /** Backoff while Postgres is unreachable, and when a flush gives up (default 60 s). */
  retry?: RetryOptions;
  /** Retries and give-ups; default JSON lines on stderr (`component: 'postgres'` either way). */
  log?: Logger;
}

/** What one `flush` wrote. */
export interface FlushResult {
  /** Position rows sent (COPY) and how many of them were new (the rest were already stored). */
  positions: number;
  positionsInserted: number;
  vessels: number;
  /** Alert revisions sent and how many replaced or created a row (higher revision). */
  alerts: number;
  alertsChanged: number;
  /** Transactions it took (positions in chunks of `chunkRows`). */
  transactions: number;
  /** Most write attempts of one transaction (1 when Postgres answered at once). */
  attempts: number;
  durationMs: number;
}

export interface HistorySinkStats {
  flushes: number;
  positionsWritten: number;
  positionsInserted: number;
  /** Reports of a position type without a usable position: no row (see isHistoryPosition). */
  positionsSkipped: number;
  vesselsWritten: number;
  alertsWritten: number;
  /** Write attempts that failed with a connection error and were retried. */
  retries: number;
}

/** Everything a flush writes (in one or several transactions). */
interface Batch {
  reports: PositionToWrite[];
  days: Set<number>;
  /** By trackKey. */
  tracks: Map<number, { picture: HistoryPicture; track: VesselTrack }>;
  /** By `<picture id>:<alert id>`. */
  alerts: Map<string, AlertRow>;
}

/** MMSIs are below 2^30 (nine digits), so a picture id and an MMSI make one exact number. */
const MMSI_SPAN = 2 ** 30;

function trackKey(picture: HistoryPicture, mmsi: number): number {
  return picture.id * MMSI_SPAN + mmsi;
}

function emptyBatch(): Batch {
  return { reports: [], days: new Set(), tracks: new Map(), alerts: new Map() };
}

/**
 * The Postgres history of the core's output (DESIGN.md §2.6, issue 4). `add*` only buffer (no
 * I/O, no encoding: a report is kept by reference); `flush` takes everything buffered and writes
 * it in one transaction: positions by COPY into a staging table then INSERT ... WHERE NOT EXISTS,
 * vessels and alerts by batched upserts. All writes are idempotent, so a batch can be written
 * again after a crash or a failed commit without duplicates.
 *
 * Up to `concurrency` flushes write at once, each on its own connection; a flush called when all
 * are busy takes its rows at once and writes them when one is free. Postgres unavailable: the
 * write is retried with backoff, the batch kept; after `retry.giveUpAfterMs` the flush rejects
 * with PG_UNAVAILABLE and its rows go back to the buffer (the next flush writes them).
 * Backpressure: `bufferedRows` / `full`; the sink never drops.
 */
export class HistorySink {
  readonly stats: HistorySinkStats = {
    flushes: 0,
    positionsWritten: 0,
    positionsInserted: 0,
    positionsSkipped: 0,
    vesselsWritten: 0,
    alertsWritten: 0,
    retries: 0,
  };
  private readonly zones: ZoneIndex | undefined;
  private readonly areaZones: AreaZones;
  /** Per zone-index position: 1 for a private zone of the coalition. */
  private readonly privateZone: Uint8Array;
  private readonly highWaterMarkRows: number;
  private readonly retry: Required<RetryOptions>;
  private readonly log: Logger;
  private readonly positions: PositionCopyWriter;
  private readonly partitions = new PositionPartitions();
  /** Added since the last flush started, and the rows of failed flushes. */
  private pending = emptyBatch();
  /** Taken by flushes that have not committed. */
  private readonly inFlight = new Set<Batch>();
  private readonly concurrency: number;
  private readonly chunkRows: number;
  private writers = 0;
  private readonly writerWaiters: (() => void)[] = [];
  /** The latest write attempt failed to reach Postgres and no flush has succeeded since. */
  private unreachable = false;

  constructor(
    private readonly pool: pg.Pool,
    options: HistorySinkOptions,
  ) {
    this.zones = options.zones;
    this.areaZones = new AreaZones(options.zones, options.coalition);
    const privateIds = new Set(options.coalition?.privateZones.map((zone) => zone.id));
    this.privateZone = Uint8Array.from(options.zones?.zones ?? [], (zone) =>
      privateIds.has(zone.id) ? 1 : 0,
    );
    this.highWaterMarkRows = options.highWaterMarkRows ?? 200_000;
    if (!(this.highWaterMarkRows > 0)) {
      throw new RangeError(`highWaterMarkRows must be positive: ${options.highWaterMarkRows}`);
    }
    this.concurrency = options.concurrency ?? 2;
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer: ${options.concurrency}`);
    }
    this.chunkRows = options.chunkRows ?? 20_000;
    if (!Number.isInteger(this.chunkRows) || this.chunkRows < 1) {
      throw new RangeError(`chunkRows must be a positive integer: ${options.chunkRows}`);
    }
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.log = postgresLogger(options.log);
    this.positions = new PositionCopyWriter(this.areaZones, options.dedupeWindowMs);
  }

  /**
   * A distinct report fused by `picture`'s core (`CoreOutput.report`): a position row and its
   * vessel, both of that picture.
   */
  addReport(picture: HistoryPicture, report: Report, track: VesselTrack): void {
    if (picture.tracks === false) return;
    const batch = this.pending;
    if (isHistoryPosition(report)) {
      batch.reports.push({
        pictureId: picture.id,
        members: picture.members,
        policyVersion: picture.policyVersion,
        report,
      });
      batch.days.add(utcDay(report.time));
    } else if (report.lat !== undefined || report.lon !== undefined) {
      this.stats.positionsSkipped++;
    }
    batch.tracks.set(trackKey(picture, track.mmsi), { picture, track });
  }

  /** A vessel of `picture` whose state changed (`CoreOutput.track`): written at the next flush. */
  addTrack(picture: HistoryPicture, track: VesselTrack): void {
    if (picture.tracks === false) return;
    this.pending.tracks.set(trackKey(picture, track.mmsi), { picture, track });
  }

  /** A new alert or revision of `picture` (`CoreOutput.alert`); its highest revision is written. */
  addAlert(picture: HistoryPicture, alert: Alert): void {
    const alerts = this.pending.alerts;
    const key = `${picture.id}:${alert.id}`;
    const buffered = alerts.get(key);
    if (buffered === undefined || buffered.revision < alert.revision) {
      alerts.set(key, alertRow(picture, alert, this.areaZones.at(alert.lon, alert.lat)));
    }
  }

  /** Rows waiting to be written (positions, vessels, alerts), including batches being written. */
  get bufferedRows(): number {
    let rows = batchRows(this.pending);
    for (const batch of this.inFlight) rows += batchRows(batch);
    return rows;
  }

  /** True while Postgres cannot be reached (a write is being retried or gave up). */
  get unavailable(): boolean {
    return this.unreachable;
  }

  /** True when `bufferedRows` reached `highWaterMarkRows`: pause the input, flush. */
  get full(): boolean {
    return this.bufferedRows >= this.highWaterMarkRows;
  }

  /**
   * Writes everything added before the call (and the rows of earlier failed flushes). Resolves
   * when it is committed; rejects with a PostgresError (PG_UNAVAILABLE after the retry limit,
   * PG_WRITE_FAILED when Postgres refused the batch) and keeps the rows for the next flush.
   */
  async flush(): Promise<FlushResult> {
    const batch = this.pending;
    this.pending = emptyBatch();
    this.inFlight.add(batch);
    return this.flushOnce(batch);
  }

  /** Runs `write` on a free connection slot (at most `concurrency` at once, first come first). */
  private async withWriter<T>(write: () => Promise<T>): Promise<T> {
    await this.acquireWriter();
    try {
      return await write();
    } finally {
      this.releaseWriter();
    }
  }

  private acquireWriter(): Promise<void> {
    if (this.writers < this.concurrency) {
      this.writers++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.writerWaiters.push(resolve));
  }

  /** Hands the writer slot to the next waiting flush, or frees it. */
  private releaseWriter(): void {
    const next = this.writerWaiters.shift();
    if (next === undefined) this.writers--;
    else next();
  }

  private async flushOnce(batch: Batch): Promise<FlushResult> {
    const started = Date.now();
    const result: FlushResult = {
      positions: batch.reports.length,
      positionsInserted: 0,
      vessels: batch.tracks.size,
      alerts: batch.alerts.size,
      alertsChanged: 0,
      transactions: 0,
      attempts: 0,
      durationMs: 0,
    };
    if (batchRows(batch) === 0) {
      this.inFlight.delete(batch);
      return result;
    }
    // Positions in chunks of `chunkRows`, each its own transaction on its own connection; the
    // first also writes the vessels and alerts. A chunk that fails fails the flush: the whole
    // batch is kept and written again (what did commit is skipped then).
    const chunks: PositionToWrite[][] = [];
    for (let i = 0; i < batch.reports.length; i += this.chunkRows) {
      chunks.push(batch.reports.slice(i, i + this.chunkRows));
    }
    if (chunks.length === 0) chunks.push([]);
    result.transactions = chunks.length;
    try {
      const written = await Promise.allSettled(
        chunks.map((reports, i) =>
          this.withWriter(() =>
            retryTransient(
              async (attempt) => {
                result.attempts = Math.max(result.attempts, attempt);
                return this.write(batch, reports, i === 0);
              },
              this.retry,
              this.onRetry,
            ),
          ),
        ),
      );
      for (const outcome of written) {
        if (outcome.status === 'rejected') throw outcome.reason;
        result.positionsInserted += outcome.value.positionsInserted;
        result.alertsChanged += outcome.value.alertsChanged;
      }
    } catch (error) {
      this.partitions.reset();
      this.inFlight.delete(batch);
      this.putBack(batch);
      const failure =
        error instanceof PostgresError
          ? error
          : new PostgresError(
              'PG_WRITE_FAILED',
              `Postgres refused a history batch of ${batchRows(batch)} rows: ${(error as Error).message}`,
              { cause: error },
            );
      this.log.error({ code: failure.code, bufferedRows: this.bufferedRows }, failure.message);
      throw failure;
    }
    this.inFlight.delete(batch);
    this.unreachable = false;
    result.durationMs = Date.now() - started;
    this.stats.flushes++;
    this.stats.positionsWritten += result.positions;
    this.stats.positionsInserted += result.positionsInserted;
    this.stats.vesselsWritten += result.vessels;
    this.stats.alertsWritten += result.alerts;
    return result;
  }

  private readonly onRetry = (error: unknown, attempt: number, delayMs: number): void => {
    this.stats.retries++;
    this.unreachable = true;
    // First failure and then every 10th: a long outage does not flood the log.
    if (attempt === 1 || attempt % 10 === 0) {
      this.log.warn(
        {
          attempt,
          delayMs: Math.round(delayMs),
          bufferedRows: this.bufferedRows,
          error: (error as Error).message,
        },
        'Postgres write failed, retrying; the batch is kept',
      );
    }
  };

  /** A failed batch's rows go back to the buffer, for the next flush (nothing is dropped). */
  private putBack(failed: Batch): void {
    const pending = this.pending;
    for (const report of failed.reports) pending.reports.push(report);
    for (const day of failed.days) pending.days.add(day);
    for (const [key, entry] of failed.tracks) {
      if (!pending.tracks.has(key)) pending.tracks.set(key, entry);
    }
    for (const [id, row] of failed.alerts) {
      const newer = pending.alerts.get(id);
      if (newer === undefined || newer.revision < row.revision) pending.alerts.set(id, row);
    }
  }

  /**
   * One attempt at one transaction: `reports` (a chunk of the batch's positions), and with
   * `withState` the batch's vessels and alerts.
   */
  private write(
    batch: Batch,
    reports: readonly PositionToWrite[],
    withState: boolean,
  ): Promise<{ positionsInserted: number; alertsChanged: number }> {
    return withClient(this.pool, async (client) => {
      await this.partitions.ensure(client, batch.days);
      await this.positions.prepare(client);
      // Vessel rows are taken now, so they carry the latest state of each track.
      const vessels: VesselRow[] = [];
      if (withState) {
        for (const { picture, track } of batch.tracks.values()) {
          if (Number.isFinite(track.lastSeen)) {
            vessels.push(
              vesselRow(track, {
                pictureId: picture.id,
                policyVersion: picture.policyVersion,
                members: picture.members,
                zones: this.zones,
                privateZone: this.privateZone,
                areaZones: this.areaZones,
              }),
            );
          }
        }
      }
      // Concurrent writes lock rows in one order (by key), so they wait for each other instead
      // of deadlocking.
      vessels.sort((a, b) => a.mmsi - b.mmsi || a.picture_id - b.picture_id);
      const alerts = withState
        ? [...batch.alerts.values()].sort((a, b) =>
            a.id !== b.id ? (a.id < b.id ? -1 : 1) : a.picture_id - b.picture_id,
          )
        : [];
      await client.query('BEGIN');
      try {
        const positionsInserted = await this.positions.write(client, reports);
        await upsertVessels(client, vessels);
        const alertsChanged = await upsertAlerts(client, alerts);
        await client.query('COMMIT');
        return { positionsInserted, alertsChanged };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    });
  }
}

function batchRows(batch: Batch): number {
  return batch.reports.length + batch.tracks.size + batch.alerts.size;
}
