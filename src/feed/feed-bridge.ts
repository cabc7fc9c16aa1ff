import { BatchProducer, type BatchProducerOptions } from '../io/kafka/batch-producer.js';
import { rawTopic } from '../io/kafka/raw-topic.js';
import { type Logger, silentLogger } from '../util/logger.js';
import { createFeedSource } from './create-feed-source.js';
import type { FeedSource, FeedSourceEvents, FeedSourceSpec } from './feed-source.js';
import { CUT_LINE_BYTES, LineBatcher } from './line-batcher.js';

export interface FeedBridgeOptions {
  /** Member id: the feed goes to `<topicPrefix><member>` (DESIGN.md §2.3). */
  readonly member: string;
  readonly source: FeedSourceSpec;
  /** Comma-separated `host:port` list. */
  readonly bootstrapServers: string;
  /** Default `ais.raw.`. */
  readonly topicPrefix?: string;
  /**
   * Kafka key of every message; default the member id. One key puts the whole feed on one
   * partition, in order, so a multi-sentence AIS message or a `$PGHP` line cut between two Kafka
   * messages still reaches the worker's decoder together (DESIGN.md §2.3 allows a station key;
   * a member with several stations can run one bridge per station with `key` = the station).
   */
  readonly key?: string;
  /** Lines per Kafka message at most; default 500. */
  readonly maxLines?: number;
  /** Payload bytes per Kafka message at most; default 262 144. */
  readonly maxBytes?: number;
  /** How long a message's first line may wait for more, milliseconds; default 50. */
  readonly lingerMs?: number;
  /** How often `onProgress` is called, milliseconds; default 10 000. */
  readonly progressIntervalMs?: number;
  readonly onProgress?: (stats: FeedStats) => void;
  /** The source is reading; `localPort` is the bound UDP port. */
  readonly onReady?: (ready: { readonly localPort: number | undefined }) => void;
  /** Connections, retries, skipped lines, Kafka client errors: one line each (default none). */
  readonly log?: Logger;
  /** Stops the bridge (SIGINT, SIGTERM): stop reading, send what was read, resolve. */
  readonly signal?: AbortSignal;
  /** How long the final flush may take, milliseconds; default 30 000. */
  readonly closeTimeoutMs?: number;
  /** Producer settings besides the bootstrap servers (tests use a small queue). */
  readonly producer?: Omit<BatchProducerOptions, 'bootstrapServers'>;
}

/** What the bridge did. */
export interface FeedStats {
  /** Lines read and put into messages. */
  readonly lines: number;
  /** Kafka messages produced. */
  readonly messages: number;
  /** Payload bytes of those messages. */
  readonly bytes: number;
  /** Lines longer than 8 KiB (not NMEA), sent cut so that the worker rejects them. */
  readonly oversize: number;
  /** Lines cut short by a dropped connection (sent as they are: the worker rejects them). */
  readonly cutLines: number;
  /** Times the source was paused because librdkafka's queue was full. */
  readonly pauses: number;
  /** UDP datagrams dropped while paused. */
  readonly droppedDatagrams: number;
  /** TCP connections made. */
  readonly connections: number;
  /** Messages librdkafka reported undeliverable. */
  readonly failedDeliveries: number;
  readonly elapsedMs: number;
}

/**
 * `tidewatch feed` (issue 4): reads a live NMEA feed and produces it to `ais.raw.<member>`,
 * many lines per message, until the source ends (a file) or `signal` aborts; then flushes the
 * producer and resolves with the counters. Rejects when Kafka cannot be reached, a message is
 * undeliverable, or the source fails (file unreadable, UDP port taken), after sending what was
 * read.
 *
 * Messages: keyed by `key` (default the member id), so the feed stays on one partition, in
 * order; the Kafka timestamp is when the message's first line was read, the worker's fallback
 * receive time for lines without a tag block. Lines pass through untouched (tag blocks
 * included).
 *
 * Backpressure: when `BatchProducer.produce` returns false (librdkafka's local queue is full),
 * the source is paused until `whenWritable()`; delivery is retried for ever (`message.timeout.ms`
 * 0), so an outage pauses the feed instead of dropping it.
 */
export async function runFeedBridge(options: FeedBridgeOptions): Promise<FeedStats> {
  const startedMs = Date.now();
  const topic = rawTopic(options.member, options.topicPrefix);
  const key = options.key ?? options.member;
  const log = options.log ?? silentLogger;
  const source: FeedSource = createFeedSource(options.source);
  let producer: BatchProducer | undefined;
  let paused = false;
  let pauses = 0;
  let cutLines = 0;
  let failure: unknown;

  const fail = (error: unknown): void => {
    failure ??= error;
    source.stop();
  };
  const onPayload = (payload: Buffer, _lineCount: number, firstLineAtMs: number): void => {
    if (producer!.produce(topic, payload, key, firstLineAtMs) || paused) return;
    paused = true;
    pauses++;
    source.pause();
    producer!.whenWritable().then(
      () => {
        paused = false;
        source.resume();
      },
      // Closed meanwhile: the bridge is finishing.
      () => {},
    );
  };
  const batcher = new LineBatcher(
    { maxLines: options.maxLines, maxBytes: options.maxBytes, lingerMs: options.lingerMs },
    onPayload,
    (lineBytes, head) =>
      log.warn(
        `a line of ${lineBytes} bytes is not NMEA: sent cut to ${CUT_LINE_BYTES} bytes at most, for the worker to reject and dead-letter: ${JSON.stringify(head)}…`,
      ),
  );

  const stats = (): FeedStats => {
    const counts = batcher.stats();
    const sourceStats = source.stats();
    return {
      lines: counts.lines,
      messages: counts.messages,
      bytes: counts.bytes,
      oversize: counts.oversize,
      cutLines,
      pauses,
      droppedDatagrams: sourceStats.droppedDatagrams,
      connections: sourceStats.connections,
      failedDeliveries: producer?.stats().failedDeliveries ?? 0,
      elapsedMs: Date.now() - startedMs,
    };
  };

  producer = await BatchProducer.connect({
    clientId: `tidewatch-feed-${options.member}`,
    deliveryTimeoutMs: 0,
    onClientError: (error) => log.warn(`kafka: ${error.message}`),
    ...options.producer,
    bootstrapServers: options.bootstrapServers,
  });

  // The linger timer: one at a time, armed for the message being filled.
  let lingerTimer: NodeJS.Timeout | undefined;
  const armLinger = (): void => {
    if (lingerTimer !== undefined) return;
    const dueAtMs = batcher.dueAtMs();
    if (dueAtMs === undefined) return;
    lingerTimer = setTimeout(onLinger, Math.max(0, dueAtMs - Date.now()));
  };
  const onLinger = (): void => {
    lingerTimer = undefined;
    try {
      batcher.flushIfDue(Date.now());
      armLinger();
    } catch (error) {
      fail(error);
    }
  };

  const events: FeedSourceEvents = {
    ready: (localPort) => {
      log.info(`reading ${source.description} into ${topic}`);
      options.onReady?.({ localPort });
    },
    data: (chunk) => {
      try {
        batcher.push(chunk, Date.now());
        armLinger();
      } catch (error) {
        // librdkafka refused a message outright (KAFKA_PRODUCE_REJECTED).
        fail(error);
      }
    },
    boundary: (kind) => {
      if (kind === 'disconnect' && batcher.partialBytes > 0) {
        cutLines++;
        log.warn(
          `connection ended inside a line: its ${batcher.partialBytes} bytes go out as they are`,
        );
      }
      try {
        batcher.endStream(Date.now());
        armLinger();
      } catch (error) {
        fail(error);
      }
    },
    log,
  };

  const progress =
    options.onProgress === undefined
      ? undefined
      : setInterval(() => options.onProgress!(stats()), options.progressIntervalMs ?? 10_000);
  const onAbort = (): void => source.stop();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted === true) source.stop();
  try {
    await source.run(events);
  } catch (error) {
    failure ??= error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    clearInterval(progress);
    clearTimeout(lingerTimer);
  }

  // Stopped inside a line (a file or stdin; a TCP source ended it at its disconnect): it goes out
  // as it is, like a line cut by a dropped connection.
  if (batcher.partialBytes > 0) {
    cutLines++;
    log.warn(`stopped inside a line: its ${batcher.partialBytes} bytes go out as they are`);
  }
  try {
    batcher.endStream(Date.now());
    batcher.flush();
  } catch (error) {
    failure ??= error;
  }
  try {
    await producer.close(options.closeTimeoutMs ?? 30_000);
  } catch (error) {
    failure ??= error;
  }
  if (failure !== undefined) throw failure;
  return stats();
}
