import { partitionKey } from '../io/kafka/partition-key.js';
import type { PartitionDecoder } from './partition-decoder.js';
import type { PartitionInputs } from './partition-inputs.js';
import type { PartitionWatermarks } from './partition-watermarks.js';
import type { TopicMembers } from './topic-members.js';
import type { WorkerOutput } from './worker-output.js';

/**
 * The one-worker input (DESIGN.md §2.3): members' raw topics, a `PartitionDecoder` per partition
 * kept in the current state (it is checkpointed with it: half-assembled messages), its progress
 * noted on the partition's clock.
 */
export class RawFeedInputs implements PartitionInputs {
  readonly countsMessages = true;

  constructor(
    private readonly members: TopicMembers,
    private readonly output: WorkerOutput,
    private readonly watermarks: PartitionWatermarks,
  ) {}

  find(topic: string): string | undefined {
    return this.members.find(topic);
  }

  labelOf(topic: string): string {
    return this.members.labelOf(topic);
  }

  inputFor(topic: string, partition: number, member: string, nowWallMs: number): PartitionDecoder {
    const key = partitionKey(topic, partition);
    const decoders = this.output.state.decoders;
    let decoder = decoders.get(key);
    if (decoder === undefined) {
      const clock = this.watermarks.clock(topic, partition, nowWallMs);
      decoder = this.output.newDecoder(topic, partition, member, clock);
      decoders.set(key, decoder);
    }
    return decoder;
  }

  forget(topic: string, partition: number): void {
    this.output.state.decoders.delete(partitionKey(topic, partition));
  }
}
