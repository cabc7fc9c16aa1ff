import { describe, expect, it } from 'vitest';
import { ConsumerAssignment } from '../../../src/io/kafka/consumer-assignment.js';
import { PartitionProgress } from '../../../src/io/kafka/partition-progress.js';

const A0 = { topic: 'a', partition: 0 };
const A1 = { topic: 'a', partition: 1 };
const B0 = { topic: 'b', partition: 0 };

function assigned(): ConsumerAssignment {
  const assignment = new ConsumerAssignment();
  assignment.nextGeneration();
  assignment.assign([A0, A1, B0].map((p) => new PartitionProgress(p.topic, p.partition)));
  return assignment;
}

describe('ConsumerAssignment', () => {
  it('holds exactly the assigned partitions named, and asks librdkafka only for changes', () => {
    const assignment = assigned();
    expect(assignment.hold([A0, { topic: 'c', partition: 9 }])).toEqual({
      toPause: [A0],
      toResume: [],
    });
    expect(assignment.pausedCount).toBe(1);
    expect(assignment.hold([A0, A1])).toEqual({ toPause: [A1], toResume: [] });
    expect(assignment.hold([A1])).toEqual({ toPause: [], toResume: [A0] });
    expect(assignment.isPaused('a', 1)).toBe(true);
    expect(assignment.isPaused('a', 0)).toBe(false);
  });

  it('pauses every partition apart from the held set, which stays held after resuming', () => {
    const assignment = assigned();
    assignment.hold([A1]);
    expect(assignment.pauseAll(true)).toEqual({ toPause: [A0, B0], toResume: [] });
    expect(assignment.pausedCount).toBe(3);
    expect(assignment.pauseAll(false)).toEqual({ toPause: [], toResume: [A0, B0] });
    expect(assignment.pausedPartitions()).toEqual([A1]);
  });

  it('ends the held set with a revocation, not pauseAll; every change is a new generation', () => {
    const assignment = assigned();
    const first = assignment.generation;
    assignment.hold([A0]);
    assignment.pauseAll(true);
    assignment.nextGeneration();
    expect(assignment.revoke()).toEqual({ toPause: [], toResume: [A0, A1, B0] });
    expect(assignment.generation).toBe(first + 1);
    expect(assignment.partitions).toEqual([]);
    expect(assignment.find('a', 0)).toBeUndefined();
    // A new assignment starts with every partition paused by pauseAll, none held.
    assignment.assign([A0, B0].map((p) => new PartitionProgress(p.topic, p.partition)));
    expect(assignment.pausedPartitions()).toEqual([A0, B0]);
    expect(assignment.pauseAll(false)).toEqual({ toPause: [], toResume: [A0, B0] });
    expect(assignment.pausedCount).toBe(0);
  });

  it('asks librdkafka to resume exactly the paused partitions it gives up (issue 16)', () => {
    // librdkafka keeps an application pause through unassign and a later assign: a partition
    // held at a rebalance and assigned again would never be fetched.
    const assignment = assigned();
    expect(assignment.revoke()).toEqual({ toPause: [], toResume: [] });
    assignment.assign([A0, A1, B0].map((p) => new PartitionProgress(p.topic, p.partition)));
    assignment.hold([A1, B0]);
    expect(assignment.revoke()).toEqual({ toPause: [], toResume: [A1, B0] });
    // Nothing assigned: nothing to resume, and the next assignment starts with none held.
    expect(assignment.revoke()).toEqual({ toPause: [], toResume: [] });
    assignment.assign([A1].map((p) => new PartitionProgress(p.topic, p.partition)));
    expect(assignment.pausedPartitions()).toEqual([]);
  });
});
