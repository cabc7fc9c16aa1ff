import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamDecoder } from '../../../src/ais/stream-decoder.js';
import { MockCluster } from '../../../src/embedded/mock-cluster.js';
import { PacedPlayer } from '../../../src/feed/paced-player.js';
import { BatchProducer } from '../../../src/io/kafka/batch-producer.js';
import { TYPE1, tagBlock } from '../../ais/nmea-fixtures.js';
import { RUN } from '../kafka/kafka-test-support.js';

/** The receive time the worker's decoder gives a line (epoch ms). */
function decodedReceivedAt(line: string): number {
  const decoder = new StreamDecoder({ requireTime: true });
  const bytes = Buffer.from(line, 'latin1');
  expect(decoder.decodeLine(bytes, 0, bytes.length)).toBe('message');
  return decoder.message.receivedAt!;
}

describe.skipIf(!RUN)('PacedPlayer on the mock cluster', () => {
  let cluster: MockCluster;
  let producer: BatchProducer;

  beforeAll(async () => {
    cluster = await MockCluster.start();
    producer = await BatchProducer.connect({ bootstrapServers: cluster.bootstrapServers });
  });

  afterAll(async () => {
    await producer?.close(1000);
    await cluster?.close();
  });

  // Regression: the player parsed `c:` itself and took only 13+ digits for milliseconds, while
  // the decoder takes 12+ (src/ais/ascii-number.ts). A 12-digit time was read as seconds, 1000
  // times too late: the demo's start time was wrong and such a line was never played.
  it('paces a 12-digit c: (milliseconds) at the time the decoder reads from it', async () => {
    // 2001-09-09T01:46:39.500Z in milliseconds, then the next second in seconds.
    const inMilliseconds = `${tagBlock('s:ca-1,c:999999999500')}${TYPE1}`;
    const inSeconds = `${tagBlock('s:no-1,c:1000000000')}${TYPE1}`;
    const player = new PacedPlayer(
      producer,
      [
        { member: 'ca', lines: [inMilliseconds] },
        { member: 'no', lines: [inSeconds] },
      ],
      { speed: 10, tickMs: 10 },
    );
    // The earliest line starts the clock: the 12-digit one, as decoded (not 1000 times later).
    expect(player.progress().eventTimeMs).toBe(decodedReceivedAt(inMilliseconds));
    expect(decodedReceivedAt(inSeconds) - decodedReceivedAt(inMilliseconds)).toBe(500);

    // Both lines are due 0.05 s of wall time in; read as seconds, the first was never due.
    const progress = await player.run(AbortSignal.timeout(30_000));
    expect(progress).toMatchObject({ done: true, lines: 2, messages: 2 });
  });
});
