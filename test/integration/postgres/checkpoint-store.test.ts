import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Checkpoint, CheckpointStore } from '../../../src/io/postgres/checkpoint-store.js';
import { RUN } from '../kafka/kafka-test-support.js';
import { createMigratedDatabase, type TestDatabase } from './test-database.js';

function checkpoint(takenAt: number, state: string): Checkpoint {
  return {
    groupId: 'g',
    takenAt,
    fingerprint: 'f1',
    partitions: [{ topic: 'ais.raw.ca', partition: 0, member: 'ca', offset: 42 }],
    releasedUntil: Number.NEGATIVE_INFINITY,
    state: Buffer.from(state),
  };
}

describe.skipIf(!RUN)('CheckpointStore', () => {
  let db: TestDatabase;
  let store: CheckpointStore;
  beforeAll(async () => {
    db = await createMigratedDatabase('checkpoint_store', 'off');
    store = new CheckpointStore(db.pool);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('reads the header first, the state only for that checkpoint, and keeps the newest', async () => {
    expect(await store.loadHeader('g')).toBeUndefined();
    await store.save(checkpoint(2000, 'second'));
    const header = await store.loadHeader('g');
    expect(header).toEqual({
      groupId: 'g',
      takenAt: 2000,
      fingerprint: 'f1',
      partitions: [{ topic: 'ais.raw.ca', partition: 0, member: 'ca', offset: 42 }],
      releasedUntil: Number.NEGATIVE_INFINITY,
      stateBytes: 6,
    });
    expect(header).not.toHaveProperty('state');
    expect(Buffer.from((await store.loadState(header!))!).toString()).toBe('second');

    // An older checkpoint (a slower worker of the group) does not replace it.
    await store.save(checkpoint(1000, 'first'));
    expect((await store.loadHeader('g'))!.takenAt).toBe(2000);

    // A newer one does; a header read before it no longer gets a state (it was replaced).
    await store.save(checkpoint(3000, 'third'));
    expect(await store.loadState(header!)).toBeUndefined();
    const newer = (await store.loadHeader('g'))!;
    expect(Buffer.from((await store.loadState(newer))!).toString()).toBe('third');

    expect(await store.clear('g')).toBe(true);
    expect(await store.loadHeader('g')).toBeUndefined();
    expect(await store.clear('g')).toBe(false);
  });
});
