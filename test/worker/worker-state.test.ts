import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../../src/sim/simulate.js';
import { encodeState, stateLayout } from '../../src/state/state-graph.js';
import {
  compressState,
  encodeWorkerState,
  restoreWorkerState,
  stateFingerprint,
  WORKER_STATE_VERSION,
  workerStateExternals,
} from '../../src/worker/worker-state.js';
import { parseZoneCollection } from '../../src/zones/parse-zones.js';
import { ZoneIndex } from '../../src/zones/zone-index.js';
import { type RawPartition, WorkerRun, type WorkerRunOptions } from './worker-run.js';

/**
 * A stored worker checkpoint of the current state version (issue 12). The state is written by
 * walking the objects' own fields (src/state/state-graph.ts), so renaming a private field of a
 * state class silently changes what a checkpoint means: a checkpoint written before the rename
 * would be restored with the old name and the new field missing. The tests below restore a
 * checkpoint written by the code as it was when the fixture was made, and fail until the state
 * version is bumped and the fixture regenerated:
 *
 *   npm run update:checkpoint-fixture      (UPDATE_CHECKPOINT_FIXTURE=1 on this file)
 *
 * Regenerate it too after a change to what the core computes (as for the golden file): the
 * stored state is the old code's, so the run restored from it no longer matches a straight run.
 */
const SCENARIO = {
  simulate: { seed: 23, hours: 6, vessels: 30, intervalScale: 3 },
  /** NMEA lines per Kafka message (odd, so multi-sentence messages often straddle two). */
  linesPerMessage: 5,
  messagesPerBatch: 12,
  /** The worker's default `output.trackIntervalSeconds`. */
  trackIntervalMs: 10_000,
  /** The checkpoint is taken after this many batches (of 674: mid-run, open alerts, timers). */
  checkpointAfterBatches: 337,
} as const;

const HEADER_PATH = fileURLToPath(new URL('./fixtures/worker-checkpoint.json', import.meta.url));
const STATE_PATH = fileURLToPath(new URL('./fixtures/worker-checkpoint.state.gz', import.meta.url));
const REGENERATE = 'regenerate it with `npm run update:checkpoint-fixture`';

/** What `worker_checkpoints` keeps beside the state, and what the fixture was made from. */
interface FixtureHeader {
  readonly stateVersion: number;
  readonly scenario: typeof SCENARIO;
  readonly partitions: readonly { topic: string; partition: number; offset: number }[];
  readonly stateSha256: string;
}

const sim = simulate(SCENARIO.simulate);
const options: WorkerRunOptions = {
  zones: new ZoneIndex(parseZoneCollection(sim.zones, 'simulated zones').zones),
  partitions: sim.feeds.map(
    (feed): RawPartition => ({
      member: feed.member,
      topic: `ais.raw.${feed.member}`,
      partition: 0,
      messages: chunks(feed.lines, SCENARIO.linesPerMessage),
    }),
  ),
  messagesPerBatch: SCENARIO.messagesPerBatch,
  trackIntervalMs: SCENARIO.trackIntervalMs,
};

function chunks(lines: readonly string[], size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < lines.length; i += size) {
    out.push(Buffer.from(lines.slice(i, i + size).join('\n'), 'latin1'));
  }
  return out;
}

/** The run that never stopped, and what it had written and held at the checkpoint's batch. */
interface Straight {
  readonly run: WorkerRun;
  readonly batches: number;
  readonly at: {
    readonly batch: number;
    readonly offsets: readonly number[];
    readonly alerts: number;
    readonly publishedTracks: number;
    readonly rejected: number;
    /** The state there, as this code writes it (uncompressed). */
    readonly state: Buffer;
    /** The same state written as an older version would be. */
    readonly olderState: Buffer;
  };
}

let straight: Straight;

beforeAll(async () => {
  const batch = SCENARIO.checkpointAfterBatches;
  const run = new WorkerRun(options);
  while (run.batches < batch) run.step();
  const state = encodeWorkerState(run.state, [run.output]);
  const externals = workerStateExternals(run.state, [run.output]).byObject;
  const at = {
    batch,
    offsets: [...run.offsets],
    alerts: run.alerts.length,
    publishedTracks: run.publishedTracks.length,
    rejected: run.rejected.length,
    state,
    olderState: encodeState(run.state, externals, WORKER_STATE_VERSION - 1),
  };
  while (run.step());
  run.finish();
  straight = { run, batches: run.batches, at };
  if (process.env.UPDATE_CHECKPOINT_FIXTURE === '1') await writeFixture(straight);
});

async function writeFixture({ at }: Straight): Promise<void> {
  const compressed = await compressState(at.state);
  const header: FixtureHeader = {
    stateVersion: WORKER_STATE_VERSION,
    scenario: SCENARIO,
    partitions: options.partitions.map((part, i) => ({
      topic: part.topic,
      partition: part.partition,
      offset: at.offsets[i]!,
    })),
    stateSha256: sha256(compressed),
  };
  mkdirSync(fileURLToPath(new URL('./fixtures/', import.meta.url)), { recursive: true });
  writeFileSync(STATE_PATH, compressed);
  writeFileSync(HEADER_PATH, `${JSON.stringify(header, null, 2)}\n`);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The stored checkpoint; fails (it is never written here) when it is missing. */
function fixture(): { header: FixtureHeader; state: Buffer } {
  expect(
    existsSync(HEADER_PATH) && existsSync(STATE_PATH),
    `no stored checkpoint: ${REGENERATE}`,
  ).toBe(true);
  const header = JSON.parse(readFileSync(HEADER_PATH, 'utf8')) as FixtureHeader;
  const state = readFileSync(STATE_PATH);
  expect(sha256(state), 'the stored state is not the one its header describes').toBe(
    header.stateSha256,
  );
  return { header, state };
}

describe('the stored worker checkpoint (test/worker/fixtures)', () => {
  it('is of the current state version and this scenario, small', () => {
    const { header, state } = fixture();
    expect(
      header.stateVersion,
      `the stored checkpoint is of state version ${header.stateVersion}, the worker writes ${WORKER_STATE_VERSION}: ${REGENERATE}`,
    ).toBe(WORKER_STATE_VERSION);
    expect(header.scenario, `the scenario changed: ${REGENERATE}`).toEqual(SCENARIO);
    expect(header.partitions.map((p) => p.offset)).toEqual(straight.at.offsets);
    expect(straight.at.batch).toBeGreaterThan(straight.batches / 3);
    expect(straight.at.batch).toBeLessThan((straight.batches * 2) / 3);
    expect(state.length).toBeLessThan(300 * 1024);
  });

  it('holds the classes and fields the worker writes today', () => {
    const stored = stateLayout(gunzipSync(fixture().state));
    const today = stateLayout(straight.at.state);
    expect(stored.version).toBe(WORKER_STATE_VERSION);
    // A difference here is a state class's field added, renamed or removed since the fixture
    // was made: checkpoints of the current version would be restored wrongly.
    expect(
      today.classes,
      `the state's format changed: bump WORKER_STATE_VERSION (src/worker/worker-state.ts), then ${REGENERATE}`,
    ).toEqual(stored.classes);
    expect(today.classes.length).toBeGreaterThan(10);
  });

  it('restored, goes on exactly as the run that never stopped', async () => {
    const { header, state } = fixture();
    const run = new WorkerRun(
      options,
      header.partitions.map((p) => p.offset),
    );
    await run.restore(state);
    expect(run.state.cores[0]!.tracks.size).toBeGreaterThan(20);
    while (run.step());
    run.finish();
    const message = `restored from the stored checkpoint, the run differs from a straight run: if a state class changed, bump WORKER_STATE_VERSION; either way ${REGENERATE}`;
    const { at } = straight;
    expect(run.batches + at.batch, message).toBe(straight.batches);
    expect(run.alerts, message).toEqual(straight.run.alerts.slice(at.alerts));
    expect(run.publishedTracks, message).toEqual(
      straight.run.publishedTracks.slice(at.publishedTracks),
    );
    expect(run.rejected, message).toEqual(straight.run.rejected.slice(at.rejected));
    expect(run.finalTracks(), message).toEqual(straight.run.finalTracks());
    expect(run.state.cores[0]!.stats, message).toEqual(straight.run.state.cores[0]!.stats);
    // The part after the checkpoint has alerts, tracks and dead letters of its own to compare.
    expect(run.alerts.length).toBeGreaterThan(5);
    expect(run.publishedTracks.length).toBeGreaterThan(100);
    expect(run.rejected.length).toBeGreaterThan(0);
  });

  it('is refused when its header says an older state version, with the reason', async () => {
    const fresh = new WorkerRun(options, straight.at.offsets);
    const older = await compressState(straight.at.olderState);
    await expect(restoreWorkerState(older, fresh.state, [fresh.output])).rejects.toMatchObject({
      code: 'older_version',
      message: expect.stringContaining(
        `version ${WORKER_STATE_VERSION - 1}, older than this code's ${WORKER_STATE_VERSION}`,
      ),
    });
    // Refused before anything was written into the fresh state.
    expect(fresh.state.cores[0]!.tracks.size).toBe(0);
    expect(fresh.state.cores[0]!.stats.messages).toBe(0);
    // The same state at the current version is taken.
    await fresh.restore(await compressState(straight.at.state));
    expect(fresh.state.cores[0]!.tracks.size).toBeGreaterThan(20);
  });

  it('is refused by restoreWorkerState when newer than the code (a downgrade)', async () => {
    const run = new WorkerRun(options);
    const externals = workerStateExternals(run.state, [run.output]).byObject;
    const newer = await compressState(encodeState(run.state, externals, WORKER_STATE_VERSION + 1));
    await expect(restoreWorkerState(newer, run.state, [run.output])).rejects.toMatchObject({
      code: 'newer_version',
    });
  });

  it('has a fingerprint that changes with the coalition policy version (a new policy: fresh state)', () => {
    const run = new WorkerRun(options);
    const core = run.state.cores[0]!;
    const none = stateFingerprint(core, options.zones);
    expect(stateFingerprint(core, options.zones, '')).toBe(none);
    const v1 = stateFingerprint(core, options.zones, '0123456789abcdef');
    expect(v1).not.toBe(none);
    expect(stateFingerprint(core, options.zones, '0123456789abcdef')).toBe(v1);
    expect(stateFingerprint(core, options.zones, 'fedcba9876543210')).not.toBe(v1);
  });
});
