import type { Alert } from '../detect/alert.js';
import { type HealthServer, startHealthServer } from '../metrics/health-server.js';
import { WorkerMetrics } from '../metrics/worker-metrics.js';
import type { Logger } from '../util/logger.js';
import { connectWorker } from './connect-worker.js';
import type { Worker } from './worker.js';
import type { WorkerConfig } from './worker-config.js';

/** A running worker with its metrics and health endpoints. */
export interface WorkerService {
  readonly worker: Worker;
  readonly metrics: WorkerMetrics;
  readonly health: HealthServer;
  /** Consumes until `stop()`; rejects if the worker fails. */
  readonly done: Promise<void>;
  /** Stops fetching, flushes, commits, closes (graceful shutdown). Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts the worker (`tidewatch run`, and inside `npm start`): the worker, its Prometheus
 * metrics and the `/metrics`, `/livez`, `/readyz` server on `config.metrics`.
 */
export async function startWorkerService(
  config: WorkerConfig,
  log: Logger,
  onAlert?: (alert: Alert) => void,
): Promise<WorkerService> {
  let worker: Worker | undefined;
  const metrics = new WorkerMetrics({
    coreCounts: () => {
      const counts = worker?.coreCounts();
      return {
        reportsFused: counts?.reports ?? 0,
        duplicates: counts?.duplicates ?? 0,
        late: counts?.late ?? 0,
        evictedVessels: counts?.evictedVessels ?? 0,
      };
    },
    detectorEvents: () => worker?.detectorEvents() ?? [],
    liveVessels: () => worker?.liveVessels() ?? 0,
    heldReports: () => worker?.heldReports() ?? 0,
    consumerLag: () => worker?.consumerLag() ?? [],
    sinkQueueDepth: () => worker?.sinkQueueDepth() ?? { postgres: 0, kafka: 0 },
    watermarkMs: () => worker?.watermarkMs ?? Number.NEGATIVE_INFINITY,
    pausedPartitions: () => worker?.pausedPartitions ?? 0,
    readAheadPausedPartitions: () => worker?.readAheadPausedByMember() ?? [],
    postgresRetries: () => worker?.postgresRetries ?? 0,
  });
  // Up before the worker connects, so a stuck start shows on /readyz rather than as silence.
  const health = await startHealthServer({
    port: config.metrics.port,
    host: config.metrics.host,
    metrics: () => metrics.metricsText(),
    contentType: metrics.contentType,
    live: () => worker === undefined || worker.live,
    ready: () => worker?.readiness() ?? { ready: false, reason: 'starting' },
  });
  try {
    worker = await connectWorker({
      config,
      log,
      events: {
        messagesIn: (member, count) => metrics.messageIn(member, count),
        rejected: (member, reason) => metrics.rejected(member, reason),
        kafkaMessages: (count) => metrics.kafkaMessages(count),
        alert: (alert) => {
          metrics.alert(alert.kind, alert.revision);
          onAlert?.(alert);
        },
        tracksPublished: (count) => metrics.tracksPublished(count),
        batchDone: (seconds, ages) => {
          metrics.batchDone(seconds);
          metrics.outputLatencies(ages);
        },
        checkpoint: (result, bytes, seconds) => metrics.checkpoint(result, bytes, seconds),
        stateRestore: (result) => metrics.stateRestore(result),
      },
    });
  } catch (error) {
    await health.close();
    throw error;
  }
  const started = worker;
  const done = started.run();
  let stopping: Promise<void> | undefined;
  return {
    worker: started,
    metrics,
    health,
    done,
    stop: () => {
      stopping ??= started.stop().finally(() => health.close());
      return stopping;
    },
  };
}
