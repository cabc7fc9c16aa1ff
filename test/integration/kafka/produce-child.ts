/**
 * A producer in a process of its own, for cross-process.test.ts: `node --import tsx
 * produce-child.ts BOOTSTRAP MEMBER COUNT` produces COUNT generated lines of MEMBER's feed to
 * `ais.raw.MEMBER`, keyed by MMSI, flushes, and prints `{"produced":COUNT,"elapsedMs":...}`.
 */
import { BatchProducer } from '../../../src/io/kafka/batch-producer.js';
import { rawTopic } from '../../../src/io/kafka/raw-topic.js';
import { lineMmsi, nmeaLine } from './kafka-test-support.js';

const [bootstrapServers, member, countText] = process.argv.slice(2);
const count = Number(countText);
if (bootstrapServers === undefined || member === undefined || !Number.isInteger(count)) {
  throw new Error(`usage: produce-child.ts BOOTSTRAP MEMBER COUNT (got ${process.argv.slice(2)})`);
}
const producer = await BatchProducer.connect({ bootstrapServers });
const started = performance.now();
try {
  const topic = rawTopic(member);
  for (let i = 0; i < count; i++) {
    if (!producer.produce(topic, Buffer.from(nmeaLine(member, i)), String(lineMmsi(i)))) {
      await producer.whenWritable();
    }
  }
  await producer.flush();
} finally {
  await producer.close();
}
process.stdout.write(
  `${JSON.stringify({ produced: count, elapsedMs: Math.round(performance.now() - started) })}\n`,
);
