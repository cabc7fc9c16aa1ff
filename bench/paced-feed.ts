import { setTimeout as sleep } from 'node:timers/promises';
import Kafka from 'node-rdkafka';
import type { BatchProducer } from '../src/io/kafka/batch-producer.js';
import type { FleetStream } from './fleet.js';
import { stampReceiveTime } from './tag-block-stamp.js';

/** What a paced run offered. */
export interface PacedFeedStats {
  readonly lines: number;
  readonly kafkaMessages: number;
  /** Wall time from the first tick to the last, ms. */
  readonly elapsedMs: number;
  /** The longest gap between two ticks, ms (the producer starved of CPU shows here). */
  readonly longestTickGapMs: number;
}

const NEWLINE = 10;

/**
 * Live member feeds for the end-to-end latency runs: a `FleetStream` whose event seconds are
 * wall-clock seconds, each second's lines sent evenly over that second, `tickMs` apart, as one
 * Kafka message per member per tick (keyed by member, as `tidewatch feed` does). Every line's
 * tag-block `c:` and the message's Kafka timestamp are the tick's time, so event time is append
 * time: the watermark moves in real time, and a fused output's `lastSeen` is the append time of
 * the report it carries. The rate offered is the fleet's own (its vessels at their ITU-R M.1371
 * intervals), so kinematics and dedupe see real time too.
 */
export class PacedFeed {
  private lines = 0;
  private kafkaMessages = 0;

  constructor(
    private readonly producer: BatchProducer,
    private readonly fleet: FleetStream,
    /** The raw topic of each of the fleet's members, by member index. */
    private readonly topics: readonly string[],
    private readonly tickMs: number,
  ) {}

  /**
   * Sends from the fleet's current second (its time should be now or just ahead) for
   * `durationMs`, then flushes. `shouldStop` is checked every tick (a worker that died).
   */
  async run(durationMs: number, shouldStop: () => boolean = () => false): Promise<PacedFeedStats> {
    const fleet = this.fleet;
    const members = fleet.members;
    const startMs = fleet.timeMs;
    const endMs = startMs + durationMs;
    // A start already passed only means a first tick with more lines.
    await sleep(Math.max(0, startMs - Date.now()));
    let second = this.nextSecond();
    let sent = 0;
    const pending: string[][] = members.map(() => []);
    let lastTick = Date.now();
    let longestTickGapMs = 0;
    for (;;) {
      const now = Date.now();
      longestTickGapMs = Math.max(longestTickGapMs, now - lastTick);
      lastTick = now;
      if (now >= endMs || shouldStop()) break;
      for (;;) {
        const elapsed = now - second.fromMs;
        const total = second.lines.length;
        const due = elapsed >= 1000 ? total : Math.floor((total * elapsed) / 1000);
        for (; sent < due; sent++) {
          pending[second.member[sent]!]!.push(stampReceiveTime(second.lines[sent]!, now));
        }
        if (due < total) break;
        second = this.nextSecond();
        sent = 0;
        if (now < second.fromMs) break;
      }
      for (let m = 0; m < members.length; m++) {
        const lines = pending[m]!;
        if (lines.length === 0) continue;
        const value = Buffer.from(`${lines.join('\n')}\n`, 'latin1');
        this.lines += lines.length;
        this.kafkaMessages++;
        lines.length = 0;
        if (!this.producer.produce(this.topics[m]!, value, members[m]!, now)) {
          await this.producer.whenWritable();
        }
      }
      await sleep(Math.max(0, this.tickMs - (Date.now() - now)));
    }
    await this.producer.flush();
    return {
      lines: this.lines,
      kafkaMessages: this.kafkaMessages,
      elapsedMs: lastTick - startMs,
      longestTickGapMs,
    };
  }

  /** The fleet's next second as line strings with their member. */
  private nextSecond(): { fromMs: number; lines: string[]; member: Uint8Array } {
    const segment = this.fleet.nextSeconds(1);
    const lines: string[] = new Array(segment.lines);
    const bytes = segment.bytes;
    let start = 0;
    for (let i = 0; i < segment.lines; i++) {
      const end = bytes.indexOf(NEWLINE, start);
      lines[i] = bytes.toString('latin1', start, end);
      start = end + 1;
    }
    return { fromMs: segment.fromMs, lines, member: segment.lineMember };
  }
}

/**
 * Has the mock cluster create `topics` (it auto-creates a topic, with 4 partitions, on a
 * metadata request for it), so that a worker's pattern subscription finds them when it joins
 * rather than at its next metadata refresh.
 */
export async function createTopics(
  bootstrapServers: string,
  topics: readonly string[],
): Promise<void> {
  const client = new Kafka.Producer({
    'bootstrap.servers': bootstrapServers,
    'client.id': 'tidewatch-bench-topics',
  });
  await new Promise<void>((resolvePromise, reject) => {
    client.connect({ timeout: 10_000 }, (error) => (error ? reject(error) : resolvePromise()));
  });
  try {
    for (const topic of topics) {
      // The first answer for a new topic may come before its partitions have leaders.
      for (let attempt = 1; !(await hasPartitions(client, topic)); attempt++) {
        if (attempt === 50) throw new Error(`Kafka topic ${topic} was not created.`);
        await sleep(100);
      }
    }
  } finally {
    await new Promise<void>((resolvePromise) => client.disconnect(5000, () => resolvePromise()));
  }
}

function hasPartitions(client: Kafka.Producer, topic: string): Promise<boolean> {
  return new Promise((resolvePromise, reject) => {
    client.getMetadata({ topic, timeout: 10_000 }, (error, metadata) => {
      if (error) reject(error);
      else {
        const found = metadata.topics.find((t) => t.name === topic);
        resolvePromise(found !== undefined && found.partitions.length > 0);
      }
    });
  });
}
