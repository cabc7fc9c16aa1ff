import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCoreConfig, resolveCoreConfig } from '../../src/pipeline/config-file.js';
import { DEFAULT_CORE_CONFIG } from '../../src/pipeline/core-config.js';

describe('core configuration file', () => {
  it('the example file sets exactly the defaults', () => {
    const example = fileURLToPath(new URL('../../config/tidewatch.example.yaml', import.meta.url));
    expect(loadCoreConfig(example)).toEqual(DEFAULT_CORE_CONFIG);
  });

  it('merges overrides over the defaults, section by section', () => {
    const config = resolveCoreConfig({
      darkGap: { minGapSeconds: 3600 },
      rendezvous: { maxDistanceMeters: 300 },
    });
    expect(config.darkGap.minGapSeconds).toBe(3600);
    expect(config.darkGap.stationAliveSeconds).toBe(
      DEFAULT_CORE_CONFIG.darkGap.stationAliveSeconds,
    );
    expect(config.rendezvous.maxDistanceMeters).toBe(300);
    expect(config.loitering).toEqual(DEFAULT_CORE_CONFIG.loitering);
  });

  it('names the bad key and value, with the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tidewatch-config-'));
    const path = join(dir, 'bad.yaml');
    writeFileSync(
      path,
      'core:\n  darkGap:\n    minGapSecond: 60\n  loitering:\n    maxSogKnots: -1\n',
    );
    expect(() => loadCoreConfig(path)).toThrow(/bad\.yaml: core\.darkGap: .*minGapSecond/);
    expect(() => loadCoreConfig(path)).toThrow(/core\.loitering\.maxSogKnots/);
    writeFileSync(path, 'core: [1, 2');
    expect(() => loadCoreConfig(path)).toThrow(/Cannot read configuration/);
  });
});
