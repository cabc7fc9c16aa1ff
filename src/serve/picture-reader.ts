import { BatchConsumer, type BatchConsumerOptions } from '../io/kafka/batch-consumer.js';
import { decodeAlert } from '../io/protobuf/alert-codec.js';
import { decodeFusedTrack } from '../io/protobuf/fused-track-codec.js';
import type { PictureAlert } from '../picture/picture-alert.js';
import type { PictureModel } from '../picture/picture-model.js';
import { errorText } from '../util/error-text.js';
import type { Logger } from '../util/logger.js';

/** Why a message on a picture topic was not applied: counted and logged as a dead letter. */
export const PICTURE_REJECT_REASONS = ['bad_track', 'bad_alert', 'no_value'] as const;
export type PictureRejectReason = (typeof PICTURE_REJECT_REASONS)[number];

/** Where one topic's messages go. */
export interface PictureTopic {
  readonly topic: string;
  readonly carries: 'tracks' | 'alerts';
  readonly model: PictureModel;
}

export interface PictureReaderOptions {
  readonly bootstrapServers: string;
  readonly topics: readonly PictureTopic[];
  readonly log: Logger;
  /** Called for every alert revision applied, at once (the server pushes it to the member's clients). */
  readonly onAlert: (topic: PictureTopic, alert: PictureAlert) => void;
  /** Further consumer settings (tests: session timeout). */
  readonly consumer?: Partial<BatchConsumerOptions>;
}

/**
 * Reads the members' fused-track and alert topics into their picture models (issue 15), so the
 * server works against any deployed worker. Every server reads every topic from the start: it
 * joins a consumer group of its own (a fresh id per start, offsets never committed), as a
 * `kafka-console-consumer --from-beginning` does; the latest track per key is what is left.
 *
 * A message that does not decode is a dead letter: counted by reason (`rejected()`) and logged
 * with its topic, partition and offset; reading goes on.
 */
export class PictureReader {
  private readonly byTopic: ReadonlyMap<string, PictureTopic>;
  private readonly counts = new Map<PictureRejectReason, number>();
  private applied = 0;
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;

  private constructor(
    private readonly consumer: BatchConsumer,
    private readonly options: PictureReaderOptions,
  ) {
    this.byTopic = new Map(options.topics.map((t) => [t.topic, t]));
  }

  static async start(options: PictureReaderOptions): Promise<PictureReader> {
    const log = options.log.child({ component: 'picture-reader' });
    const consumer = await BatchConsumer.connect({
      bootstrapServers: options.bootstrapServers,
      groupId: `tidewatch-picture-${process.pid}-${Date.now().toString(36)}`,
      clientId: 'tidewatch-serve',
      startFrom: 'earliest',
      commitIntervalMs: 0,
      onClientError: (error) => log.debug({ error: errorText(error) }, 'Kafka client error'),
      ...options.consumer,
    });
    const reader = new PictureReader(consumer, { ...options, log });
    consumer.subscribe(options.topics.map((t) => t.topic));
    reader.loop = reader.run();
    return reader;
  }

  /** Messages applied to a model (older tracks and revisions included: they were read). */
  get messagesRead(): number {
    return this.applied;
  }

  /** Dead letters by reason. */
  rejected(): ReadonlyMap<PictureRejectReason, number> {
    return this.counts;
  }

  /** Whether every assigned partition has been read to its end (the backlog is in). */
  caughtUp(): boolean {
    return this.consumer.caughtUp();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop?.catch(() => {});
    await this.consumer.close();
  }

  private async run(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      let batch: Awaited<ReturnType<BatchConsumer['nextBatch']>>;
      try {
        batch = await this.consumer.nextBatch();
      } catch (error) {
        if (this.stopping.signal.aborted) return;
        this.options.log.error({ error: errorText(error) }, 'picture topics cannot be read');
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      for (const partition of batch.partitions) {
        const target = this.byTopic.get(partition.topic);
        if (target === undefined) continue;
        for (const message of partition.messages) {
          this.apply(target, message.value, partition.partition, message.offset);
        }
      }
    }
  }

  private apply(
    target: PictureTopic,
    value: Buffer | null | undefined,
    partition: number,
    offset: number,
  ): void {
    if (value === null || value === undefined || value.length === 0) {
      this.reject('no_value', target.topic, partition, offset, 'empty value');
      return;
    }
    this.applied++;
    if (target.carries === 'tracks') {
      try {
        target.model.applyTrack(decodeFusedTrack(value));
      } catch (error) {
        this.reject('bad_track', target.topic, partition, offset, errorText(error));
      }
      return;
    }
    let alert: PictureAlert;
    try {
      alert = decodeAlert(value);
    } catch (error) {
      this.reject('bad_alert', target.topic, partition, offset, errorText(error));
      return;
    }
    if (target.model.applyAlert(alert)) this.options.onAlert(target, alert);
  }

  private reject(
    reason: PictureRejectReason,
    topic: string,
    partition: number,
    offset: number,
    error: string,
  ): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
    this.options.log.warn(
      { deadLetter: true, reason, topic, partition, offset, error },
      'picture message rejected',
    );
  }
}
