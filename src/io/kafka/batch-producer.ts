import { setImmediate, setTimeout as sleep } from 'node:timers/promises';
import Kafka, {
  type DeliveryReport,
  type LibrdKafkaError,
  type Producer,
  type ProducerGlobalConfig,
} from 'node-rdkafka';
import { errorText } from '../../util/error-text.js';
import { KafkaError, librdkafkaCode } from './kafka-error.js';
import { type SaslCredentials, saslProperties } from './sasl-config.js';

const ERR_QUEUE_FULL = Kafka.CODES.ERRORS.ERR__QUEUE_FULL;

export type Compression = 'none' | 'gzip' | 'snappy' | 'lz4';

export interface BatchProducerOptions {
  /** Comma-separated `host:port` list (`KAFKA_BROKERS`). */
  readonly bootstrapServers: string;
  readonly clientId?: string;
  /** librdkafka `linger.ms`: how long a message may wait for others to fill a batch; default 5. */
  readonly lingerMs?: number;
  /**
   * librdkafka `queue.buffering.max.messages`: the local queue limit, the point where
   * backpressure starts (see the class comment); default 100 000.
   */
  readonly maxQueuedMessages?: number;
  /** librdkafka `queue.buffering.max.kbytes`, the same limit in KiB; default 262 144 (256 MiB). */
  readonly maxQueuedKilobytes?: number;
  /** Longest single wait for room in a full queue before trying again, milliseconds; default 20. */
  readonly queueFullWaitMs?: number;
  /** How often delivery failures and client errors are collected, milliseconds; default 100. */
  readonly pollIntervalMs?: number;
  /**
   * librdkafka `message.timeout.ms`: how long librdkafka keeps retrying a message before it
   * reports it failed; default 300 000 (librdkafka's). 0 retries for ever.
   */
  readonly deliveryTimeoutMs?: number;
  /**
   * librdkafka `compression.codec`, per batch; default 'lz4' (cheap, and repetitive NMEA text and
   * protobuf batches compress well; on this machine produce and consume rates on the mock cluster
   * were the same with and without it).
   */
  readonly compression?: Compression;
  /** How long `connect` may take (metadata from the bootstrap servers), milliseconds; default 10 000. */
  readonly connectTimeoutMs?: number;
  /** Client errors librdkafka recovers from by itself (broker down, ...), for logs and metrics. */
  readonly onClientError?: (error: LibrdKafkaError) => void;
  /** SASL authentication (a broker that requires it, issue 13); default none. */
  readonly sasl?: SaslCredentials;
  /** Further librdkafka properties, applied last. */
  readonly config?: Readonly<Record<string, string | number | boolean>>;
}

/** A message librdkafka could not deliver: what it was and why. */
export interface FailedDelivery {
  readonly topic: string;
  readonly partition: number;
  readonly key: Buffer | string | null | undefined;
  readonly value: Buffer | null | undefined;
  readonly error: LibrdKafkaError | Error;
}

/** Counters for metrics. */
export interface BatchProducerStats {
  /** Messages handed to librdkafka. */
  readonly producedMessages: number;
  /** Times `produce` met a full local queue. */
  readonly queueFullEvents: number;
  /** Messages held in this process because the local queue was full, right now. */
  readonly heldMessages: number;
  /** Messages reported undeliverable so far. */
  readonly failedDeliveries: number;
}

/** A message held while librdkafka's queue is full (only on the backpressure path). */
interface HeldMessage {
  readonly topic: string;
  readonly value: Buffer | null;
  readonly key: Buffer | string | null;
  readonly timestampMs: number | null;
  readonly partition: number | null;
}

/**
 * Produces many keyed messages with no per-message callback on the hot path.
 *
 * Delivery: librdkafka reports only failures (`delivery.report.only.error`, with the payload via
 * `dr_msg_cb`), so a successful message costs no JavaScript call after `produce`. Success is
 * known in bulk: `flush()` resolves when every message produced before it has been acknowledged,
 * and rejects with `KAFKA_DELIVERY_FAILED` (listing the failed messages) if any was reported
 * undeliverable since the previous flush. Idempotence is on, so librdkafka's own retries neither
 * reorder nor duplicate. A caller that stores consumer offsets only after `flush()` resolves
 * gets at-least-once delivery end to end (issue 4).
 *
 * Polling: delivery failures and client errors arrive on librdkafka's main queue, served by
 * `poll()` every `pollIntervalMs` (an unref'd timer) and by every `flush()`. Nothing on the
 * produce path polls.
 *
 * Backpressure: librdkafka queues messages locally up to `maxQueuedMessages` /
 * `maxQueuedKilobytes`. When full, `produce` keeps the message in a small list in this process
 * and returns false (like `Writable.write`): the caller should `await whenWritable()` before
 * producing more. Meanwhile the producer waits for room (a `flush` of at most `queueFullWaitMs`
 * on libuv's thread pool, so the event loop stays free), moves the held messages into
 * librdkafka in order, and resolves `whenWritable()` once they are all in. Messages produced
 * while others are held are held after them, so order is kept. Nothing is dropped: memory above
 * the limit is bounded by what a caller produces after seeing false.
 */
export class BatchProducer {
  private readonly producer: Producer;
  private readonly queueFullWaitMs: number;
  private held: HeldMessage[] = [];
  private waitingForRoom = false;
  private writableWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  private failures: FailedDelivery[] = [];
  private closed = false;
  private closing: Promise<void> | undefined;
  private producedMessages = 0;
  private queueFullEvents = 0;
  private failedDeliveries = 0;

  private constructor(producer: Producer, queueFullWaitMs: number) {
    this.producer = producer;
    this.queueFullWaitMs = queueFullWaitMs;
  }

  static async connect(options: BatchProducerOptions): Promise<BatchProducer> {
    const queueFullWaitMs = positive('queueFullWaitMs', options.queueFullWaitMs ?? 20);
    const pollIntervalMs = positive('pollIntervalMs', options.pollIntervalMs ?? 100);
    const config: ProducerGlobalConfig = {
      'bootstrap.servers': options.bootstrapServers,
      'client.id': options.clientId ?? 'tidewatch',
      'linger.ms': options.lingerMs ?? 5,
      'queue.buffering.max.messages': positive(
        'maxQueuedMessages',
        options.maxQueuedMessages ?? 100_000,
      ),
      'queue.buffering.max.kbytes': positive(
        'maxQueuedKilobytes',
        options.maxQueuedKilobytes ?? 262_144,
      ),
      'compression.codec': options.compression ?? 'lz4',
      'enable.idempotence': true,
      dr_msg_cb: true,
      'delivery.report.only.error': true,
      ...(options.sasl === undefined ? {} : saslProperties(options.sasl)),
      ...options.config,
    };
    const producer = new Kafka.Producer(config, {
      'message.timeout.ms': options.deliveryTimeoutMs ?? 300_000,
    });
    const batchProducer = new BatchProducer(producer, queueFullWaitMs);
    producer.on('delivery-report', (error, report) =>
      batchProducer.onFailedDelivery(error, report),
    );
    const onClientError = options.onClientError;
    // Without a listener an 'event.error' would be thrown by the EventEmitter.
    producer.on('event.error', (error) => onClientError?.(error));
    try {
      await new Promise<void>((resolve, reject) => {
        producer.connect({ timeout: options.connectTimeoutMs ?? 10_000 }, (error) =>
          error ? reject(error) : resolve(),
        );
      });
    } catch (error) {
      throw new KafkaError(
        'KAFKA_CONNECT_FAILED',
        `Producer could not reach ${options.bootstrapServers}: ${errorText(error)}`,
        { cause: error },
      );
    }
    producer.setPollInterval(pollIntervalMs);
    return batchProducer;
  }

  /**
   * Queues one message (key: MMSI, alert id, member, ...; timestamp: epoch ms, default now); a
   * null value is a tombstone (the key's record is gone, for a compacted topic's readers).
   * Returns false when librdkafka's queue is full: the message is held and will be sent, but the
   * caller should `await whenWritable()` before producing more. Throws `KAFKA_PRODUCE_REJECTED`
   * for a message librdkafka refuses outright (too large, bad topic). `partition` null: the
   * partitioner chooses from the key; a number: that partition (the scale-out's internal topic
   * chooses its own, docs/scale-out.md).
   */
  produce(
    topic: string,
    value: Buffer | null,
    key: Buffer | string | null = null,
    timestampMs: number | null = null,
    partition: number | null = null,
  ): boolean {
    if (this.closed) throw closedError();
    if (this.held.length === 0) {
      try {
        this.producer.produce(topic, partition, value, key, timestampMs);
        this.producedMessages++;
        return true;
      } catch (error) {
        if (librdkafkaCode(error) !== ERR_QUEUE_FULL) throw rejectedError(topic, error);
        this.queueFullEvents++;
      }
    }
    this.held.push({ topic, value, key, timestampMs, partition });
    this.waitForRoom();
    return false;
  }

  /** True when `produce` would queue in librdkafka directly (no message is held). */
  get writable(): boolean {
    return this.held.length === 0;
  }

  /** Resolves when no message is held any more (at once if none is). */
  whenWritable(): Promise<void> {
    if (this.held.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.writableWaiters.push({ resolve, reject }));
  }

  /**
   * Waits until every message produced so far is acknowledged by the broker. Rejects with
   * `KAFKA_FLUSH_TIMEOUT` after `timeoutMs` (the messages stay queued; flush again), or with
   * `KafkaDeliveryError` (`KAFKA_DELIVERY_FAILED`) if messages were reported undeliverable since
   * the previous flush.
   */
  async flush(timeoutMs = 30_000): Promise<void> {
    if (this.closed) throw closedError();
    const deadline = Date.now() + timeoutMs;
    const timeout = (cause: unknown): KafkaError =>
      new KafkaError(
        'KAFKA_FLUSH_TIMEOUT',
        `Producer flush did not finish within ${timeoutMs} ms: ${errorText(cause)}`,
        { cause },
      );
    if (this.held.length > 0) {
      // Held messages first (the queue is full: the broker is slow or gone).
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          this.whenWritable(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(timeout(`${this.held.length} message(s) still held`)),
              timeoutMs,
            );
          }),
        ]);
      } finally {
        clearTimeout(timer);
      }
    }
    const remainingMs = Math.max(0, deadline - Date.now());
    await new Promise<void>((resolve, reject) => {
      this.producer.flush(remainingMs, (error) => (error ? reject(timeout(error)) : resolve()));
    });
    // The flush served the failure reports, but node-rdkafka hands them to JavaScript through
    // its own libuv async handle, which may run after the flush callback in the same loop turn.
    await setImmediate();
    if (this.failures.length > 0) {
      const failed = this.failures;
      this.failures = [];
      throw new KafkaDeliveryError(failed);
    }
  }

  /**
   * The number of partitions of `topic`, asked until it has some (a broker that auto-creates
   * topics creates it at the first request and lists its partitions a moment later). Throws
   * `KAFKA_METADATA_FAILED` when it has none after `timeoutMs`.
   */
  async partitionCount(topic: string, timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let problem = 'none listed';
    while (Date.now() < deadline) {
      const found = await new Promise<number>((resolve) => {
        this.producer.getMetadata(
          { topic, timeout: Math.max(1, deadline - Date.now()) },
          (error, metadata) => {
            if (error) problem = errorText(error);
            resolve(metadata?.topics.find((t) => t.name === topic)?.partitions.length ?? 0);
          },
        );
      });
      if (found > 0) return found;
      await sleep(200);
    }
    throw new KafkaError('KAFKA_METADATA_FAILED', `No partitions of topic ${topic}: ${problem}`);
  }

  stats(): BatchProducerStats {
    return {
      producedMessages: this.producedMessages,
      queueFullEvents: this.queueFullEvents,
      heldMessages: this.held.length,
      failedDeliveries: this.failedDeliveries,
    };
  }

  /**
   * Flushes (at most `timeoutMs`) and disconnects. Rejects with the flush error if the flush
   * failed, after disconnecting all the same. Idempotent.
   */
  close(timeoutMs = 30_000): Promise<void> {
    this.closing ??= this.closeOnce(timeoutMs);
    return this.closing;
  }

  private async closeOnce(timeoutMs: number): Promise<void> {
    let flushError: unknown;
    try {
      await this.flush(timeoutMs);
    } catch (error) {
      flushError = error;
    }
    this.closed = true;
    this.rejectWaiters(closedError());
    await new Promise<void>((resolve) => this.producer.disconnect(0, () => resolve()));
    if (flushError !== undefined) throw flushError;
  }

  /** The backpressure loop: wait for room, move held messages into librdkafka, repeat. */
  private waitForRoom(): void {
    if (this.waitingForRoom) return;
    this.waitingForRoom = true;
    // librdkafka's flush returns when its queue is empty or after the timeout, whichever is first.
    this.producer.flush(this.queueFullWaitMs, (error) => {
      this.waitingForRoom = false;
      if (this.closed) return;
      if (error && !this.producer.isConnected()) {
        this.rejectWaiters(closedError());
        return;
      }
      this.moveHeld();
    });
  }

  private moveHeld(): void {
    const held = this.held;
    let moved = 0;
    for (; moved < held.length; moved++) {
      const message = held[moved]!;
      try {
        this.producer.produce(
          message.topic,
          message.partition,
          message.value,
          message.key,
          message.timestampMs,
        );
        this.producedMessages++;
      } catch (error) {
        if (librdkafkaCode(error) === ERR_QUEUE_FULL) break;
        // Refused outright (it was never checked: it arrived while the queue was full). Report it
        // like a failed delivery, so the next flush rejects and nothing vanishes silently.
        this.failedDeliveries++;
        this.failures.push({
          topic: message.topic,
          partition: -1,
          key: message.key,
          value: message.value,
          error: rejectedError(message.topic, error),
        });
      }
    }
    held.splice(0, moved);
    if (held.length > 0) {
      this.waitForRoom();
      return;
    }
    const waiters = this.writableWaiters;
    this.writableWaiters = [];
    for (const waiter of waiters) waiter.resolve();
  }

  private onFailedDelivery(error: LibrdKafkaError | null, report: DeliveryReport): void {
    // With `delivery.report.only.error` librdkafka reports failures only; be safe anyway.
    if (!error) return;
    this.failedDeliveries++;
    this.failures.push({
      topic: report.topic,
      partition: report.partition,
      key: report.key,
      value: report.value,
      error,
    });
  }

  private rejectWaiters(error: Error): void {
    const waiters = this.writableWaiters;
    this.writableWaiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }
}

/** Messages librdkafka reported undeliverable (`KAFKA_DELIVERY_FAILED`), with their payloads. */
export class KafkaDeliveryError extends KafkaError {
  readonly failed: readonly FailedDelivery[];

  constructor(failed: readonly FailedDelivery[]) {
    const first = failed[0]!;
    super(
      'KAFKA_DELIVERY_FAILED',
      `${failed.length} message(s) could not be delivered; first: ${first.topic} [${first.partition}]: ${errorText(first.error)}`,
      { cause: first.error },
    );
    this.failed = failed;
  }
}

function rejectedError(topic: string, error: unknown): KafkaError {
  return new KafkaError(
    'KAFKA_PRODUCE_REJECTED',
    `librdkafka refused a message for ${topic}: ${errorText(error)}`,
    { cause: error },
  );
}

function closedError(): KafkaError {
  return new KafkaError('KAFKA_CLIENT_STATE', 'The producer is closed.');
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`Kafka producer ${name}: ${value} is not a positive number.`);
  }
  return value;
}
