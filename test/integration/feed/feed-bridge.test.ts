import { createSocket } from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate, setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFeed } from '../../../src/cli/feed-command.js';
import { MockCluster } from '../../../src/embedded/mock-cluster.js';
import {
  type FeedBridgeOptions,
  type FeedStats,
  runFeedBridge,
} from '../../../src/feed/feed-bridge.js';
import { MAX_LINE_BYTES } from '../../../src/feed/line-batcher.js';
import { freePort } from '../../../src/io/free-port.js';
import { rawTopic } from '../../../src/io/kafka/raw-topic.js';
import { recordingLogger } from '../../support/recording-logger.js';
import {
  nmeaLine,
  RUN,
  readUntil,
  subscribedConsumer,
  TEST_SESSION_TIMEOUT_MS,
} from '../kafka/kafka-test-support.js';

const WAIT_TIMEOUT_MS = 60_000;

/** One Kafka message of a raw topic, split back into its lines. */
interface RawMessage {
  readonly partition: number;
  readonly offset: number;
  readonly timestampMs: number | undefined;
  readonly key: string | undefined;
  readonly lines: readonly string[];
}

/** Reads `member`'s raw topic from the start until `lineCount` lines are in and it is caught up. */
async function consumeFeed(
  bootstrapServers: string,
  member: string,
  lineCount: number,
): Promise<RawMessage[]> {
  const consumer = await subscribedConsumer({
    bootstrapServers,
    groupId: `feed-test-${member}`,
    topics: [rawTopic(member)],
    sessionTimeoutMs: TEST_SESSION_TIMEOUT_MS,
  });
  const messages: RawMessage[] = [];
  let lines = 0;
  try {
    await readUntil(consumer, {
      until: () => lines >= lineCount && consumer.caughtUp(),
      timeoutMs: WAIT_TIMEOUT_MS,
      onBatch: (batch) => {
        for (const part of batch.partitions) {
          for (const message of part.messages) {
            const split = message.value!.toString('latin1').split('\n');
            lines += split.length;
            messages.push({
              partition: part.partition,
              offset: message.offset,
              timestampMs: message.timestamp,
              key: message.key?.toString(),
              lines: split,
            });
          }
        }
      },
    });
  } finally {
    await consumer.close();
  }
  return messages.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

/**
 * Every expected line arrived exactly once, in the order it was read, on one partition (the
 * messages are keyed by member), several lines to a message, each message stamped with a time
 * of this run.
 */
function expectDelivered(
  messages: readonly RawMessage[],
  expected: readonly string[],
  sinceMs: number,
): void {
  const indexOf = new Map(expected.map((line, index) => [line, index]));
  expect(indexOf.size).toBe(expected.length);
  const received: number[] = [];
  const lastOfPartition = new Map<number, number>();
  for (const message of messages) {
    for (const line of message.lines) {
      const index = indexOf.get(line);
      if (index === undefined) throw new Error(`Unexpected line ${JSON.stringify(line)}.`);
      const last = lastOfPartition.get(message.partition) ?? -1;
      if (index <= last) {
        throw new Error(`Partition ${message.partition}: line ${index} after line ${last}.`);
      }
      lastOfPartition.set(message.partition, index);
      received.push(index);
    }
  }
  expect(new Set(messages.map((message) => message.partition)).size).toBe(1);
  expect(received).toEqual(expected.map((_, index) => index));
  expect(messages.length).toBeLessThan(expected.length / 2);
  for (const message of messages) {
    expect(message.timestampMs).toBeGreaterThanOrEqual(sinceMs);
    expect(message.timestampMs).toBeLessThanOrEqual(Date.now());
  }
}

async function waitFor(what: string, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + WAIT_TIMEOUT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await sleep(20);
  }
}

/** Runs a bridge in the background; `stop()` aborts it and returns its final counters. */
function startBridge(options: Omit<FeedBridgeOptions, 'signal' | 'onProgress' | 'log'>) {
  const abort = new AbortController();
  const recorded = recordingLogger();
  let latest: FeedStats | undefined;
  const done = runFeedBridge({
    ...options,
    signal: abort.signal,
    log: recorded.log,
    progressIntervalMs: 20,
    onProgress: (stats) => {
      latest = stats;
    },
  });
  // Surfaces a failure at once instead of as a timeout of the caller's wait.
  done.catch(() => abort.abort());
  return {
    /** The messages logged so far. */
    get logs(): string[] {
      return recorded.lines.map((line) => line.message);
    },
    linesRead: () => latest?.lines ?? 0,
    done,
    stop: (): Promise<FeedStats> => {
      abort.abort();
      return done;
    },
  };
}

describe.skipIf(!RUN)('feed bridge on the mock cluster', () => {
  let cluster: MockCluster;
  let dir: string;

  beforeAll(async () => {
    cluster = await MockCluster.start();
    dir = await mkdtemp(join(tmpdir(), 'tidewatch-feed-'));
  });

  afterAll(async () => {
    await cluster?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('file: reads a gzip file to its end (CRLF, blank and oversize lines), pausing while Kafka pushes back', async () => {
    const member = 'feed-file';
    const expected: string[] = [];
    let text = '';
    for (let i = 0; i < 5000; i++) {
      const line = nmeaLine(member, i);
      expected.push(line);
      text += i % 7 === 0 ? `${line}\r\n` : `${line}\n`;
      if (i % 100 === 0) text += '\n\r\n';
      if (i === 2500) {
        // Not NMEA: sent cut, for the worker to reject and dead-letter.
        text += `${'x'.repeat(MAX_LINE_BYTES + 808)}\n`;
        expected.push('x'.repeat(MAX_LINE_BYTES + 1));
      }
    }
    // The last line has no newline: the end of the file ends it.
    const last = nmeaLine(member, 5000);
    expected.push(last);
    text += last;
    const path = join(dir, 'feed.nmea.gz');
    await writeFile(path, gzipSync(text));

    const startedMs = Date.now();
    const recorded = recordingLogger();
    const stats = await runFeedBridge({
      member,
      source: { kind: 'file', path },
      bootstrapServers: cluster.bootstrapServers,
      maxLines: 20,
      log: recorded.log,
      // A local queue of one message: every message produced while another waits (librdkafka
      // lingers 5 ms) finds it full, so the bridge must pause the file and resume it.
      producer: { maxQueuedMessages: 1, queueFullWaitMs: 5 },
    });
    expect(stats).toMatchObject({
      lines: expected.length,
      oversize: 1,
      cutLines: 0,
      failedDeliveries: 0,
    });
    expect(stats.pauses).toBeGreaterThan(0);
    expect(stats.messages).toBeGreaterThanOrEqual(expected.length / 20);
    expect(recorded.lines.map((line) => line.message)).toContainEqual(
      expect.stringMatching(`^a line of ${MAX_LINE_BYTES + 808} bytes is not NMEA: sent cut`),
    );

    const messages = await consumeFeed(cluster.bootstrapServers, member, expected.length);
    expectDelivered(messages, expected, startedMs);
    expect(messages).toHaveLength(stats.messages);
    expect(Math.max(...messages.map((message) => message.lines.length))).toBe(20);
  });

  it('tcp: retries a refused connection, reconnects after the server drops it mid-line, loses no line sent', async () => {
    const member = 'feed-tcp';
    const lines = Array.from({ length: 3000 }, (_, i) => nmeaLine(member, i));
    const dropAt = 1200;
    const cut = lines[dropAt]!.slice(0, 30);
    // A port that nothing listens on yet: the bridge's first attempt is refused.
    const port = await freePort();
    const startedMs = Date.now();
    const bridge = startBridge({
      member,
      source: { kind: 'tcp', host: '127.0.0.1', port },
      bootstrapServers: cluster.bootstrapServers,
    });
    let server: Server | undefined;
    const connections: Socket[] = [];
    try {
      await waitFor('a refused attempt', () =>
        bridge.logs.some((message) => /cannot connect \(.*ECONNREFUSED/.test(message)),
      );
      server = createServer((socket) => {
        connections.push(socket);
        if (connections.length === 1) {
          // First connection: lines up to `dropAt`, the start of the next one, then close.
          socket.end(`${lines.slice(0, dropAt).join('\n')}\n${cut}`);
        } else {
          // After the reconnection the stream goes on with the line that was cut.
          socket.write(`${lines.slice(dropAt).join('\r\n')}\r\n`);
        }
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
      await waitFor('every line sent', () => bridge.linesRead() === lines.length + 1);
      const stats = await bridge.stop();
      expect(stats).toMatchObject({
        lines: lines.length + 1,
        connections: 2,
        cutLines: 1,
        oversize: 0,
        failedDeliveries: 0,
      });
      expect(connections).toHaveLength(2);
      expect(bridge.logs).toContainEqual(
        expect.stringMatching(/connection closed by the server; reconnecting in 1 s/),
      );

      const expected = [...lines.slice(0, dropAt), cut, ...lines.slice(dropAt)];
      const messages = await consumeFeed(cluster.bootstrapServers, member, expected.length);
      expectDelivered(messages, expected, startedMs);
    } finally {
      await bridge.stop().catch(() => undefined);
      for (const socket of connections) socket.destroy();
      await new Promise((resolve) => (server?.listening ? server.close(resolve) : resolve(null)));
    }
  });

  it('udp: takes datagrams of one or more lines, with or without a final newline', async () => {
    const member = 'feed-udp';
    const lines = Array.from({ length: 2000 }, (_, i) => nmeaLine(member, i));
    const startedMs = Date.now();
    let localPort: number | undefined;
    const bridge = startBridge({
      member,
      source: { kind: 'udp', host: '127.0.0.1', port: 0 },
      bootstrapServers: cluster.bootstrapServers,
      onReady: (ready) => {
        localPort = ready.localPort;
      },
    });
    const client = createSocket('udp4');
    try {
      await waitFor('the UDP port', () => localPort !== undefined);
      let datagrams = 0;
      for (let start = 0; start < lines.length; datagrams++) {
        const count = 1 + (datagrams % 5);
        const group = lines.slice(start, start + count);
        start += count;
        const ending = ['', '\n', '\r\n'][datagrams % 3]!;
        await new Promise<void>((resolve, reject) =>
          client.send(`${group.join(ending || '\n')}${ending}`, localPort, '127.0.0.1', (error) =>
            error ? reject(error) : resolve(),
          ),
        );
        // Let the bridge read its socket now and then: loopback drops what overflows its buffer.
        if (datagrams % 10 === 9) await setImmediate();
      }
      await waitFor('every datagram', () => bridge.linesRead() === lines.length);
      const stats = await bridge.stop();
      expect(stats).toMatchObject({
        lines: lines.length,
        droppedDatagrams: 0,
        cutLines: 0,
        failedDeliveries: 0,
      });

      const messages = await consumeFeed(cluster.bootstrapServers, member, lines.length);
      expectDelivered(messages, lines, startedMs);
    } finally {
      client.close();
      await bridge.stop().catch(() => undefined);
    }
  });

  it('the command: brokers from KAFKA_BROKERS, exit 0 at the end of the file; 2 without brokers', async () => {
    const member = 'feed-cli';
    const lines = Array.from({ length: 1000 }, (_, i) => nmeaLine(member, i));
    const path = join(dir, 'cli.nmea');
    await writeFile(path, `${lines.join('\n')}\n`);
    expect(await runFeed({ member, file: path }, {})).toBe(2);
    expect(await runFeed({ member, file: path, tcp: 'localhost:1' }, {})).toBe(2);
    const startedMs = Date.now();
    expect(await runFeed({ member, file: path }, { KAFKA_BROKERS: cluster.bootstrapServers })).toBe(
      0,
    );
    const messages = await consumeFeed(cluster.bootstrapServers, member, lines.length);
    expectDelivered(messages, lines, startedMs);
    expect(new Set(messages.map((message) => message.key))).toEqual(new Set([member]));
  });

  it('the command keys every message with --key (a station) instead of the member id', async () => {
    const member = 'feed-key';
    const lines = Array.from({ length: 600 }, (_, i) => nmeaLine(member, i));
    const path = join(dir, 'key.nmea');
    await writeFile(path, `${lines.join('\n')}\n`);
    const env = { KAFKA_BROKERS: cluster.bootstrapServers };
    expect(await runFeed({ member, file: path, key: '' }, env)).toBe(2);
    const startedMs = Date.now();
    expect(await runFeed({ member, file: path, key: 'station-7' }, env)).toBe(0);
    const messages = await consumeFeed(cluster.bootstrapServers, member, lines.length);
    expectDelivered(messages, lines, startedMs);
    expect(new Set(messages.map((message) => message.key))).toEqual(new Set(['station-7']));
  });
});
