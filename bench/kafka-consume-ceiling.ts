/**
 * The end-to-end benchmark's baseline, run in its own process by `end-to-end.bench.ts` (through
 * `child.ts`), as the worker runs in its own: how fast node-rdkafka hands this machine the raw
 * backlog and does nothing else. `BatchConsumer` with the worker's settings (batches of
 * `maxBatchMessages`, the fetch tuning DESIGN.md §5 asks for), a fresh consumer group per run,
 * reading the raw topics from the start until `messages` messages have arrived; timed from the
 * first non-empty batch to the last, as the worker is from its first consume.
 */
import { BatchConsumer } from '../src/io/kafka/batch-consumer.js';
import { childInput, childResult } from './child.js';

export interface ConsumeCeilingInput {
  bootstrapServers: string;
  /** Subscription pattern of the raw topics (starts with `^`). */
  topicPattern: string;
  messages: number;
  runs: number;
  maxBatchMessages: number;
  /** A run that has not read everything after this long has broken, milliseconds. */
  timeoutMs: number;
}

export interface ConsumeCeilingResult {
  /** Per run: seconds from the first message to the last. */
  seconds: number[];
  /** Per run: milliseconds from connecting to the first message (the group join). */
  joinMs: number[];
  bytes: number;
}

async function consumeOnce(
  input: ConsumeCeilingInput,
  run: number,
): Promise<{ seconds: number; joinMs: number; bytes: number }> {
  const connectedAt = Date.now();
  const consumer = await BatchConsumer.connect({
    bootstrapServers: input.bootstrapServers,
    groupId: `bench-e2e-ceiling-${process.pid}-${run}`,
    clientId: 'tidewatch-bench-ceiling',
    topics: [input.topicPattern],
    memberOf: (topic) => topic,
    maxBatchMessages: input.maxBatchMessages,
    commitIntervalMs: 0,
  });
  try {
    let received = 0;
    let bytes = 0;
    let first = 0n;
    let last = 0n;
    const deadline = Date.now() + input.timeoutMs;
    while (received < input.messages) {
      const batch = await consumer.nextBatch();
      if (batch.messageCount === 0) {
        if (Date.now() > deadline) {
          throw new Error(
            `consume ceiling: ${received} of ${input.messages} messages after ${input.timeoutMs} ms`,
          );
        }
        continue;
      }
      const now = process.hrtime.bigint();
      if (received === 0) first = now;
      last = now;
      received += batch.messageCount;
      for (const part of batch.partitions) {
        for (const message of part.messages) bytes += message.value?.length ?? 0;
      }
    }
    return {
      seconds: Number(last - first) / 1e9,
      joinMs: Number(first / 1_000_000n) - connectedAt,
      bytes,
    };
  } finally {
    await consumer.close();
  }
}

const input = childInput<ConsumeCeilingInput>();
const result: ConsumeCeilingResult = { seconds: [], joinMs: [], bytes: 0 };
for (let run = 0; run < input.runs; run++) {
  const once = await consumeOnce(input, run);
  result.seconds.push(once.seconds);
  result.joinMs.push(once.joinMs);
  result.bytes = once.bytes;
}
childResult(result);
