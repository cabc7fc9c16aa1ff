import { describe, expect, it } from 'vitest';
import type { CheckpointHeader } from '../../src/io/postgres/checkpoint-store.js';
import {
  checkpointDue,
  checkpointFits,
  checkpointUse,
  expectedTakeSeconds,
} from '../../src/worker/checkpoint-policy.js';

describe('checkpointDue', () => {
  it('is due once the interval has passed and the state changed since the last', () => {
    expect(checkpointDue(300_000, 0, 300, true)).toBe(true);
    expect(checkpointDue(299_999, 0, 300, true)).toBe(false);
    expect(checkpointDue(600_000, 0, 300, false)).toBe(false);
  });
});

describe('checkpointFits', () => {
  it('takes a checkpoint whose expected stall is within the budget', () => {
    // 10 µs per unit: 1 M tracks and queued reports take 10 s.
    const expected = expectedTakeSeconds(10e-6, 1_000_000);
    expect(expected).toBeCloseTo(10, 9);
    expect(checkpointFits(expected, 10)).toBe(true);
    expect(checkpointFits(expectedTakeSeconds(10e-6, 1_000_001), 10)).toBe(false);
  });
});

describe('checkpointUse', () => {
  const header: CheckpointHeader = {
    groupId: 'g',
    takenAt: Date.UTC(2024, 5, 1),
    fingerprint: 'abc',
    partitions: [
      { topic: 'ais.raw.ca', partition: 0, member: 'ca', offset: 10 },
      { topic: 'ais.raw.ca', partition: 1, member: 'ca', offset: 7 },
    ],
    releasedUntil: Number.NEGATIVE_INFINITY,
    stateBytes: 100,
  };
  const both = [
    { topic: 'ais.raw.ca', partition: 0 },
    { topic: 'ais.raw.ca', partition: 1 },
    { topic: 'ais.raw.no', partition: 0 },
  ];

  it('uses a checkpoint of this fingerprint whose partitions are all assigned here', () => {
    expect(checkpointUse(header, 'abc', both)).toEqual({ use: 'usable' });
  });

  it('says why one cannot be used: none, another fingerprint, partitions held elsewhere', () => {
    expect(checkpointUse(undefined, 'abc', both)).toEqual({ use: 'none' });
    expect(checkpointUse(header, 'other', both)).toEqual({ use: 'mismatch' });
    expect(checkpointUse(header, 'abc', [{ topic: 'ais.raw.ca', partition: 0 }])).toEqual({
      use: 'not_assigned',
      elsewhere: [header.partitions[1]],
    });
  });
});
