import { tagBlockTimeMs } from '../ais/tag-block-time.js';
import type { BatchProducer } from '../io/kafka/batch-producer.js';
import { rawTopic } from '../io/kafka/raw-topic.js';

/** One member's recorded or simulated lines, in receive-time order. */
export interface PlayedFeed {
  readonly member: string;
  readonly lines: readonly string[];
}

export interface PacedPlayerOptions {
  /** Event seconds played per wall second (1: real time; 60: an hour a minute). */
  readonly speed: number;
  /** Lines per Kafka message at most (default 200). */
  readonly linesPerMessage?: number;
  readonly topicPrefix?: string;
  /** How often the player wakes up, milliseconds (default 100). */
  readonly tickMs?: number;
}

export interface PlayerProgress {
  /** Event time reached (epoch ms). */
  readonly eventTimeMs: number;
  readonly lines: number;
  readonly messages: number;
  readonly done: boolean;
}

/**
 * Plays member feeds into their raw topics at `speed` times real time, by the lines' tag-block
 * receive times as the decoder reads them (`tagBlockTimeMs`): `tidewatch simulate` output, or any
 * tag-blocked recording, as the demo's live members (issue 4 "simulated member feeds produced
 * into Kafka in real time or faster"). Lines without a time go with the line before them (parts
 * of a multi-sentence message, malformed lines). Messages are keyed by member, like
 * `tidewatch feed`.
 */
export class PacedPlayer {
  private readonly feeds: {
    member: string;
    topic: string;
    lines: readonly string[];
    next: number;
  }[];
  private readonly linesPerMessage: number;
  private readonly startEventMs: number;
  private lines = 0;
  private messages = 0;
  private eventTimeMs: number;

  constructor(
    private readonly producer: BatchProducer,
    feeds: readonly PlayedFeed[],
    private readonly options: PacedPlayerOptions,
  ) {
    if (!(options.speed > 0)) throw new RangeError(`speed must be > 0: ${options.speed}`);
    this.linesPerMessage = options.linesPerMessage ?? 200;
    this.feeds = feeds.map((feed) => ({
      member: feed.member,
      topic: rawTopic(feed.member, options.topicPrefix),
      lines: feed.lines,
      next: 0,
    }));
    let start = Number.POSITIVE_INFINITY;
    for (const feed of feeds) {
      for (const line of feed.lines) {
        const time = tagBlockTimeMs(line);
        if (Number.isFinite(time)) {
          if (time < start) start = time;
          break;
        }
      }
    }
    if (!Number.isFinite(start)) throw new Error('PacedPlayer: no line carries a tag-block time.');
    this.startEventMs = start;
    this.eventTimeMs = start;
  }

  progress(): PlayerProgress {
    return {
      eventTimeMs: this.eventTimeMs,
      lines: this.lines,
      messages: this.messages,
      done: this.feeds.every((feed) => feed.next >= feed.lines.length),
    };
  }

  /** Plays every feed to its end, or until `signal` aborts; flushes the producer at the end. */
  async run(signal?: AbortSignal): Promise<PlayerProgress> {
    const tickMs = this.options.tickMs ?? 100;
    const wallStart = Date.now();
    while (!signal?.aborted && !this.progress().done) {
      this.eventTimeMs = this.startEventMs + (Date.now() - wallStart) * this.options.speed;
      for (const feed of this.feeds) await this.playUntil(feed, this.eventTimeMs);
      await new Promise((resolve) => setTimeout(resolve, tickMs));
    }
    await this.producer.flush();
    return this.progress();
  }

  private async playUntil(
    feed: { member: string; topic: string; lines: readonly string[]; next: number },
    untilMs: number,
  ): Promise<void> {
    let end = feed.next;
    while (end < feed.lines.length) {
      const time = tagBlockTimeMs(feed.lines[end]!);
      if (time > untilMs) break;
      end++;
    }
    for (let i = feed.next; i < end; i += this.linesPerMessage) {
      const chunk = feed.lines.slice(i, Math.min(end, i + this.linesPerMessage));
      const value = Buffer.from(`${chunk.join('\n')}\n`, 'latin1');
      if (!this.producer.produce(feed.topic, value, feed.member)) {
        await this.producer.whenWritable();
      }
      this.messages++;
      this.lines += chunk.length;
    }
    feed.next = end;
  }
}
