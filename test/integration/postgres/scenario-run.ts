import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CORE_CONFIG } from '../../../src/pipeline/core-config.js';
import { defaultDetectors } from '../../../src/pipeline/default-detectors.js';
import type { FusionCore } from '../../../src/pipeline/fusion-core.js';
import { type ReplayTarget, replay } from '../../../src/pipeline/replay.js';
import {
  type SimulateOptions,
  type SimulationResult,
  simulate,
} from '../../../src/sim/simulate.js';
import { parseZoneCollection } from '../../../src/zones/parse-zones.js';
import { ZoneIndex } from '../../../src/zones/zone-index.js';

/** A simulated scenario written to feed files (`tidewatch simulate`), ready to replay. */
export interface Scenario {
  sim: SimulationResult;
  feeds: { member: string; path: string }[];
  zones: ZoneIndex;
  /** Removes the feed files. */
  remove(): void;
}

/**
 * Simulates `hours` from `start` (default: from 21:00 UTC, so the reports span two days);
 * `more` sets the other simulate options (members, interval scale).
 */
export function writeScenario(
  seed: number,
  vessels = 60,
  hours = 6,
  start = '2024-06-01T21:00:00Z',
  more: Pick<SimulateOptions, 'members' | 'intervalScale'> = {},
): Scenario {
  const sim = simulate({ ...more, seed, hours, vessels, start });
  const dir = mkdtempSync(join(tmpdir(), `tidewatch-pg-${seed}-`));
  const feeds = sim.feeds.map((feed) => {
    const path = join(dir, `${feed.member}.nmea`);
    writeFileSync(path, `${feed.lines.join('\n')}\n`);
    return { member: feed.member, path };
  });
  const zones = new ZoneIndex(parseZoneCollection(sim.zones, 'simulated zones').zones);
  return { sim, feeds, zones, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * `replay` of the scenario (default config and detectors) whose output also goes to the
 * target `connect` returns; `connect` gets the core first: a sink needs its member registry.
 */
export async function replayInto(
  scenario: Scenario,
  connect: (core: FusionCore) => ReplayTarget,
): Promise<FusionCore> {
  const { core } = await replay({
    feeds: scenario.feeds,
    zones: scenario.zones,
    config: DEFAULT_CORE_CONFIG,
    detectors: defaultDetectors(DEFAULT_CORE_CONFIG),
    connect,
  });
  return core;
}
