import type pg from 'pg';
import type { Alert } from '../../detect/alert.js';
import type { MemberRegistry } from '../../fusion/member-registry.js';
import type { Report } from '../../fusion/report.js';
import type { VesselTrack } from '../../fusion/vessel-track.js';
import type { ZoneIndex } from '../../zones/zone-index.js';
import { type AlertRow, alertRow, upsertAlerts } from './alert-upsert.js';
import { isHistoryPosition, PositionCopyWriter } from './position-copy-writer.js';
import { PositionPartitions, utcDay } from './position-partitions.js';
import { PostgresError } from './postgres-error.js';
import { type PostgresLog, stderrPostgresLog } from './postgres-log.js';
import { withClient } from './postgres-pool.js';
import { DEFAULT_RETRY, type RetryOptions, retryTransient } from './retry-transient.js';
import { upsertVessels, type VesselRow, vesselRow } from './vessel-upsert.js';

export interface HistorySinkOptions {
  /** The core's member registry: turns source masks into member ids. */
  members: MemberRegistry;
  /** The core's zones, to store zone ids with each vessel; none when absent. */
  zones?: ZoneIndex;
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
  /** Backoff while Postgres is unreachable, and when a flush gives up (default 60 s). */
  retry?: RetryOptions;
  log?: PostgresLog;
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
  /** Write attempts (1 when Postgres answered at once). */
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

/** Everything a flush writes in one transaction. */
interface Batch {
  reports: Report[];
  days: Set<number>;
  tracks: Map<number, VesselTrack>;
  alerts: Map<string, AlertRow>;
}

function emptyBatch(): Batch {
  return { reports: [], days: new Set(), tracks: new Map(), alerts: new Map() };
}

/**
 * The Postgres history of the core's output (DESIGN.md §2.6, issue 4). `add*` only buffer (no
 * I/O, no encoding: a report is kept by reference); `flush` writes everything buffered in one
 * transaction: positions by COPY into a staging table then INSERT ... ON CONFLICT DO NOTHING,
 * vessels and alerts by batched upserts. All writes are idempotent, so a batch can be written
 * again after a crash or a failed commit without duplicates.
 *
 * Postgres unavailable: the write is retried with backoff, the batch kept; after
 * `retry.giveUpAfterMs` the flush rejects with PG_UNAVAILABLE and the batch is still buffered
 * (the next flush writes it first). Backpressure: `bufferedRows` / `full`; the sink never drops.
 * Flushes do not overlap: a flush called while one runs waits for it, then writes what is left.
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
  private readonly members: MemberRegistry;
  private readonly zones: ZoneIndex | undefined;
  private readonly highWaterMarkRows: number;
  private readonly retry: Required<RetryOptions>;
  private readonly log: PostgresLog;
  private readonly positions: PositionCopyWriter;
  private readonly partitions = new PositionPartitions();
  /** Added since the last flush started. */
  private pending = emptyBatch();
  /** Taken by a flush that has not committed (kept after a failure, written first next time). */
  private inFlight: Batch | undefined;
  private flushing: Promise<unknown> = Promise.resolve();
  /** The latest write attempt failed to reach Postgres and no flush has succeeded since. */
  private unreachable = false;

  constructor(
    private readonly pool: pg.Pool,
    options: HistorySinkOptions,
  ) {
    this.members = options.members;
    this.zones = options.zones;
    this.highWaterMarkRows = options.highWaterMarkRows ?? 200_000;
    if (!(this.highWaterMarkRows > 0)) {
      throw new RangeError(`highWaterMarkRows must be positive: ${options.highWaterMarkRows}`);
    }
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.log = options.log ?? stderrPostgresLog;
    this.positions = new PositionCopyWriter(this.members, options.dedupeWindowMs);
  }

  /** A distinct report fused by the core (`CoreOutput.report`): a position row and its vessel. */
  addReport(report: Report, track: VesselTrack): void {
    const batch = this.pending;
    if (isHistoryPosition(report)) {
      batch.reports.push(report);
      batch.days.add(utcDay(report.time));
    } else if (report.lat !== undefined || report.lon !== undefined) {
      this.stats.positionsSkipped++;
    }
    batch.tracks.set(track.mmsi, track);
  }

  /** A vessel whose state changed (`CoreOutput.track`); its row is written at the next flush. */
  addTrack(track: VesselTrack): void {
    this.pending.tracks.set(track.mmsi, track);
  }

  /** A new alert or revision (`CoreOutput.alert`); only its highest revision is written. */
  addAlert(alert: Alert): void {
    const alerts = this.pending.alerts;
    const buffered = alerts.get(alert.id);
    if (buffered === undefined || buffered.revision < alert.revision) {
      alerts.set(alert.id, alertRow(alert));
    }
  }

  /** Rows waiting to be written (positions, vessels, alerts), including a batch being written. */
  get bufferedRows(): number {
    return batchRows(this.pending) + (this.inFlight === undefined ? 0 : batchRows(this.inFlight));
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
   * Writes everything added before the call. Resolves when it is committed; rejects with a
   * PostgresError (PG_UNAVAILABLE after the retry limit, PG_WRITE_FAILED when Postgres refused
   * the batch) and keeps the rows for the next flush.
   */
  flush(): Promise<FlushResult> {
    const run = this.flushing.then(
      () => this.flushOnce(),
      () => this.flushOnce(),
    );
    this.flushing = run;
    return run;
  }

  private async flushOnce(): Promise<FlushResult> {
    const started = Date.now();
    const batch = this.take();
    const result: FlushResult = {
      positions: batch.reports.length,
      positionsInserted: 0,
      vessels: batch.tracks.size,
      alerts: batch.alerts.size,
      alertsChanged: 0,
      attempts: 0,
      durationMs: 0,
    };
    if (batchRows(batch) === 0) {
      this.inFlight = undefined;
      return result;
    }
    try {
      await retryTransient(
        async (attempt) => {
          result.attempts = attempt;
          await this.write(batch, result);
        },
        this.retry,
        (error, attempt, delayMs) => {
          this.stats.retries++;
          this.unreachable = true;
          // First failure and then every 10th: a long outage does not flood the log.
          if (attempt === 1 || attempt % 10 === 0) {
            this.log('warn', 'Postgres write failed, retrying; the batch is kept', {
              attempt,
              delayMs: Math.round(delayMs),
              bufferedRows: this.bufferedRows,
              error: (error as Error).message,
            });
          }
        },
      );
    } catch (error) {
      this.partitions.reset();
      const failure =
        error instanceof PostgresError
          ? error
          : new PostgresError(
              'PG_WRITE_FAILED',
              `Postgres refused a history batch of ${batchRows(batch)} rows: ${(error as Error).message}`,
              { cause: error },
            );
      this.log('error', failure.message, { code: failure.code, bufferedRows: this.bufferedRows });
      throw failure;
    }
    this.inFlight = undefined;
    this.unreachable = false;
    result.durationMs = Date.now() - started;
    this.stats.flushes++;
    this.stats.positionsWritten += result.positions;
    this.stats.positionsInserted += result.positionsInserted;
    this.stats.vesselsWritten += result.vessels;
    this.stats.alertsWritten += result.alerts;
    return result;
  }

  /** The batch to write: a failed one first, merged with what was added since. */
  private take(): Batch {
    const added = this.pending;
    this.pending = emptyBatch();
    const kept = this.inFlight;
    if (kept === undefined) {
      this.inFlight = added;
      return added;
    }
    for (const report of added.reports) kept.reports.push(report);
    for (const day of added.days) kept.days.add(day);
    for (const [mmsi, track] of added.tracks) kept.tracks.set(mmsi, track);
    for (const [id, row] of added.alerts) {
      const old = kept.alerts.get(id);
      if (old === undefined || old.revision < row.revision) kept.alerts.set(id, row);
    }
    return kept;
  }

  /** One attempt: partitions, then one transaction for the whole batch. */
  private async write(batch: Batch, result: FlushResult): Promise<void> {
    await withClient(this.pool, async (client) => {
      await this.partitions.ensure(client, batch.days);
      await this.positions.prepare(client);
      // Vessel rows are taken now, so they carry the latest state of each track.
      const vessels: VesselRow[] = [];
      for (const track of batch.tracks.values()) {
        if (Number.isFinite(track.lastSeen)) {
          vessels.push(vesselRow(track, this.members, this.zones));
        }
      }
      await client.query('BEGIN');
      try {
        result.positionsInserted = await this.positions.write(client, batch.reports);
        await upsertVessels(client, vessels);
        result.alertsChanged = await upsertAlerts(client, [...batch.alerts.values()]);
        await client.query('COMMIT');
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
