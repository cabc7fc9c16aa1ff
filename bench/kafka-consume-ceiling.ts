/**
 * The end-to-end benchmark's throughput baseline, run in its own process by `end-to-end.bench.ts`
 * (through `child.ts`), as the worker runs in its own: how fast node-rdkafka hands this machine
 * the raw backlog when nothing is done with it. A plain KafkaConsumer with the worker's fetch
 * tuning (`fetch.wait.max.ms`, `fetch.queue.backoff.ms`: DESIGN.md §5) and batch size, assigned
 * every partition of the raw topics at offset 0 (no group, so no join to wait for), reading
 * until `messages` messages have arrived; timed from the assignment to the last message.
 */
import Kafka, { type KafkaConsumer, type Message } from 'node-rdkafka';
import { childInput, childResult } from './child.js';

export interface ConsumeCeilingInput {
  bootstrapServers: string;
  topics: string[];
  partitions: number;
  messages: number;
  runs: number;
  maxBatchMessages: number;
  /** A run that has not read everything after this long has broken, milliseconds. */
  timeoutMs: number;
}

export interface ConsumeCeilingResult {
  /** Per run: seconds from the assignment to the last message. */
  seconds: number[];
  bytes: number;
}

async function consumeOnce(
  input: ConsumeCeilingInput,
): Promise<{ seconds: number; bytes: number }> {
  const consumer: KafkaConsumer = new Kafka.KafkaConsumer(
    {
      'bootstrap.servers': input.bootstrapServers,
      'group.id': `bench-e2e-ceiling-${process.pid}`,
      'client.id': 'tidewatch-bench-ceiling',
      'enable.auto.commit': false,
      // As BatchConsumer sets them for the worker.
      'fetch.wait.max.ms': 10,
      'fetch.queue.backoff.ms': 10,
    },
    {},
  );
  await new Promise<void>((resolvePromise, reject) => {
    consumer.connect({ timeout: 10_000 }, (error) => (error ? reject(error) : resolvePromise()));
  });
  try {
    consumer.setDefaultConsumeTimeout(100);
    const assignment = input.topics.flatMap((topic) =>
      Array.from({ length: input.partitions }, (_, partition) => ({ topic, partition, offset: 0 })),
    );
    const start = process.hrtime.bigint();
    consumer.assign(assignment);
    let received = 0;
    let bytes = 0;
    let last = start;
    const deadline = Date.now() + input.timeoutMs;
    while (received < input.messages) {
      const batch = await new Promise<Message[]>((resolvePromise, reject) => {
        consumer.consume(input.maxBatchMessages, (error, messages) =>
          error ? reject(error) : resolvePromise(messages),
        );
      });
      if (batch.length === 0) {
        if (Date.now() > deadline) {
          throw new Error(
            `consume ceiling: ${received} of ${input.messages} messages after ${input.timeoutMs} ms`,
          );
        }
        continue;
      }
      last = process.hrtime.bigint();
      received += batch.length;
      for (const message of batch) bytes += message.value?.length ?? 0;
    }
    return { seconds: Number(last - start) / 1e9, bytes };
  } finally {
    await new Promise<void>((resolvePromise) => consumer.disconnect(() => resolvePromise()));
  }
}

const input = childInput<ConsumeCeilingInput>();
const result: ConsumeCeilingResult = { seconds: [], bytes: 0 };
for (let run = 0; run < input.runs; run++) {
  const once = await consumeOnce(input);
  result.seconds.push(once.seconds);
  result.bytes = once.bytes;
}
childResult(result);
