import type pg from 'pg';
import type { Coalition } from '../coalition/coalition.js';
import { loadCoalitionFile, requireCoalitionZones } from '../io/coalition-file.js';
import { BatchConsumer, type BatchConsumerOptions } from '../io/kafka/batch-consumer.js';
import { BatchProducer } from '../io/kafka/batch-producer.js';
import { CheckpointStore } from '../io/postgres/checkpoint-store.js';
import { applyCoalitionPolicy } from '../io/postgres/coalition-policy-store.js';
import { HistorySink } from '../io/postgres/history-sink.js';
import { migrate } from '../io/postgres/migrator.js';
import { createPostgresPool, redactUrl, resolveDatabaseUrl } from '../io/postgres/postgres-pool.js';
import { loadZoneIndex } from '../io/zone-files.js';
import { DecodeStage } from '../scale/decode-stage.js';
import { ForwardedWatermarks } from '../scale/forwarded-watermarks.js';
import { ReportTopicInputs } from '../scale/report-topic-inputs.js';
import type { Logger } from '../util/logger.js';
import type { ZoneIndex } from '../zones/zone-index.js';
import { BatchLedger } from './batch-ledger.js';
import { CheckpointCoordinator } from './checkpoint-coordinator.js';
import { FlushScheduler } from './flush-scheduler.js';
import type { HeldBatch } from './held-batch.js';
import { PartitionHandOver } from './partition-hand-over.js';
import { PartitionWatermarks } from './partition-watermarks.js';
import { RawFeedInputs } from './raw-feed-inputs.js';
import { TopicMembers } from './topic-members.js';
import { Worker } from './worker.js';
import type { WorkerConfig } from './worker-config.js';
import type { WorkerEvents } from './worker-events.js';
import { WorkerOutput } from './worker-output.js';
import { stateFingerprint } from './worker-state.js';

export interface WorkerOptions {
  readonly config: WorkerConfig;
  readonly log: Logger;
  readonly events?: WorkerEvents;
}

/**
 * Connects everything the worker runs with — zones, producer, Postgres with migrations, the
 * consumer — builds its parts and the worker, and joins the consumer group (the first
 * assignment comes once it runs). Returns the worker, not yet consuming: call `run()`. What was
 * opened is closed again on failure.
 */
export async function connectWorker(options: WorkerOptions): Promise<Worker> {
  const { config, log } = options;
  const events = options.events ?? {};
  const kafka = config.kafka;
  const zones = config.zones.length === 0 ? undefined : await loadZoneIndex(config.zones);
  // An invalid policy stops the start here, every problem named, before anything is connected.
  const coalition = loadWorkerCoalition(config, zones);
  const producer = await BatchProducer.connect({
    bootstrapServers: kafka.brokers,
    clientId: `${kafka.clientId}-producer`,
    config: kafka.librdkafka,
    onClientError: (error) => log.warn({ err: error.message }, 'Kafka producer client error'),
  });
  let pool: pg.Pool | undefined;
  let consumer: BatchConsumer | undefined;
  let decodeConsumer: BatchConsumer | undefined;
  try {
    pool = config.postgres.enabled ? await openHistoryDatabase(options) : undefined;
    const database = pool;
    const output = new WorkerOutput({
      config,
      zones,
      coalition,
      producer,
      events,
      history:
        database === undefined
          ? undefined
          : () =>
              new HistorySink(database, {
                zones,
                coalition,
                highWaterMarkRows: config.postgres.highWaterMarkRows,
                dedupeWindowMs: config.core.dedupeWindowSeconds * 1000,
                retry: { giveUpAfterMs: config.postgres.giveUpAfterMs },
                log: options.log,
              }),
    });
    if (database !== undefined && coalition !== undefined) {
      // The policy in force in Postgres (member roles, row-level security, who reads which
      // stored picture) and the stored picture each of this worker's pictures writes as.
      const pictures = output.state.pictures!.pictures;
      const applied = await applyCoalitionPolicy(database, coalition, pictures);
      output.useStoredPictures(applied.pictureIds);
      log.info(
        { policyVersion: applied.version, storedPictures: applied.pictureIds },
        'coalition policy applied to the history database',
      );
      if (applied.departedRoles.length > 0) {
        log.warn(
          { roles: applied.departedRoles },
          'member roles of members no longer in the policy read nothing here; not dropped (roles are cluster-wide)',
        );
      }
    }
    const staged = config.scale.stages;
    const rawWatermarks = new PartitionWatermarks(
      config.watermark.idlePartitionSeconds * 1000,
      config.watermark.futureToleranceSeconds * 1000,
    );
    const forwarded = staged ? new ForwardedWatermarks() : undefined;
    const checkpoints = new CheckpointCoordinator({
      // Scaled (docs/scale-out.md): per-partition state hand-over is the next step; off for now.
      store:
        pool !== undefined && config.checkpoint.enabled && !staged
          ? new CheckpointStore(pool)
          : undefined,
      config,
      fingerprint: stateFingerprint(output.state.cores[0]!, zones, output.policyVersion),
      output,
      watermarks: staged ? undefined : rawWatermarks,
      events,
      log,
    });
    consumer = await BatchConsumer.connect(consumerOptions(config, kafka.groupId, 'consumer', log));
    const ledger = new BatchLedger<HeldBatch>();
    const flusher = new FlushScheduler({
      ledger,
      history: output.history,
      producer,
      consumer,
      checkpoints,
      flushIntervalMs: config.output.flushIntervalMs,
      events,
      log,
    });
    const members = new TopicMembers(kafka.members, kafka.rawTopicPrefix);
    const rawTopics =
      kafka.members.size > 0 ? [...kafka.members.values()] : [kafka.rawTopicPattern];
    const inputs =
      forwarded === undefined
        ? new RawFeedInputs(members, output, rawWatermarks)
        : new ReportTopicInputs(
            config.scale.reportsTopic,
            output.ingest,
            forwarded,
            (error, topic, partition, offset) =>
              log.warn(
                { err: error.message, topic, partition, offset },
                'internal record not read',
              ),
          );
    if (staged) {
      decodeConsumer = await BatchConsumer.connect(
        consumerOptions(config, config.scale.decodeGroupId, 'decoder', log),
      );
    }
    const upstream =
      decodeConsumer === undefined
        ? undefined
        : new DecodeStage({
            consumer: decodeConsumer,
            producer,
            output,
            members,
            watermarks: rawWatermarks,
            topics: rawTopics,
            reportsTopic: config.scale.reportsTopic,
            reportPartitions: await producer.partitionCount(config.scale.reportsTopic),
            watermarkIntervalMs: config.scale.watermarkIntervalMs,
            flushIntervalMs: config.output.flushIntervalMs,
            maxReadAheadMs: config.watermark.maxReadAheadSeconds * 1000,
            events,
            log,
          });
    const watermarks = forwarded ?? rawWatermarks;
    const parts = { config, producer, pool, output, watermarks, ledger, checkpoints, flusher };
    const worker = new Worker({ ...parts, consumer, inputs, upstream, events, log });
    const handOver = new PartitionHandOver({
      ...parts,
      consumer,
      inputs,
      futureToleranceMs: config.watermark.futureToleranceSeconds * 1000,
      log,
    });
    consumer.subscribe(staged ? [config.scale.reportsTopic] : rawTopics, handOver);
    return worker;
  } catch (error) {
    await consumer?.close().catch(() => {});
    await decodeConsumer?.close().catch(() => {});
    await producer.close(1000).catch(() => {});
    await pool?.end().catch(() => {});
    throw error;
  }
}

/** A consumer of the worker's settings in consumer group `groupId`. */
function consumerOptions(
  config: WorkerConfig,
  groupId: string,
  role: string,
  log: Logger,
): BatchConsumerOptions {
  const kafka = config.kafka;
  return {
    bootstrapServers: kafka.brokers,
    groupId,
    clientId: `${kafka.clientId}-${role}`,
    maxBatchMessages: kafka.maxBatchMessages,
    maxBatchBytes: kafka.maxBatchBytes,
    startFrom: kafka.startFrom,
    sessionTimeoutMs: kafka.sessionTimeoutMs,
    config: kafka.librdkafka,
    // Offsets are committed on every flush (`markDone`) and in the background.
    onClientError: (error) =>
      log.warn({ err: error.message, groupId }, 'Kafka consumer client error'),
  };
}

/** The worker's coalition policy, checked against its zones; undefined without one. */
function loadWorkerCoalition(
  config: WorkerConfig,
  zones: ZoneIndex | undefined,
): Coalition | undefined {
  if (config.coalition === undefined) return undefined;
  const coalition = loadCoalitionFile(config.coalition, zones?.zones);
  requireCoalitionZones(coalition, zones);
  return coalition;
}

/** The history database's pool, its schema migrated first unless `postgres.migrate` is off. */
async function openHistoryDatabase(options: WorkerOptions): Promise<pg.Pool> {
  const { config, log } = options;
  const url = resolveDatabaseUrl(config.postgres.url);
  const pool = createPostgresPool({ databaseUrl: url, log });
  if (config.postgres.migrate) {
    try {
      const result = await migrate(pool, { postgis: config.postgres.postgis, log });
      log.info(
        { database: redactUrl(url), applied: result.applied, postgis: result.postgis },
        'Postgres schema ready',
      );
    } catch (error) {
      await pool.end().catch(() => {});
      throw error;
    }
  }
  return pool;
}
