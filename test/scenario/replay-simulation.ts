import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CORE_CONFIG } from '../../src/pipeline/core-config.js';
import { defaultDetectors } from '../../src/pipeline/default-detectors.js';
import { type ReplayResult, replay } from '../../src/pipeline/replay.js';
import { type SimulateOptions, simulate } from '../../src/sim/simulate.js';
import { parseZoneCollection } from '../../src/zones/parse-zones.js';
import { ZoneIndex } from '../../src/zones/zone-index.js';

/**
 * Simulates a scenario (`simulate(options)`), writes its feeds to a temporary directory, replays
 * them through the whole core with the default configuration, and removes the directory.
 */
export async function replaySimulation(
  options: SimulateOptions & { readonly seed: number },
): Promise<{ result: ReplayResult; sim: ReturnType<typeof simulate> }> {
  const sim = simulate(options);
  const dir = mkdtempSync(join(tmpdir(), `tidewatch-scenario-${options.seed}-`));
  try {
    const feeds = sim.feeds.map((feed) => {
      const path = join(dir, `${feed.member}.nmea`);
      writeFileSync(path, `${feed.lines.join('\n')}\n`);
      return { member: feed.member, path };
    });
    const zones = new ZoneIndex(parseZoneCollection(sim.zones, 'simulated zones').zones);
    const result = await replay({
      feeds,
      zones,
      config: DEFAULT_CORE_CONFIG,
      detectors: defaultDetectors(DEFAULT_CORE_CONFIG),
    });
    return { result, sim };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
