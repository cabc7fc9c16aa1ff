import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runSimulate } from '../../src/cli/simulate-command.js';

describe('tidewatch simulate', () => {
  let dir: string;
  let stderr: string[];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tidewatch-sim-'));
    stderr = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one NMEA file per member, the zones and the labels, and a summary on stderr', async () => {
    const out = join(dir, 'scenario');
    const code = await runSimulate({
      out,
      seed: '3',
      vessels: '5',
      members: 'ca,no',
      intervalScale: '5',
    });
    expect(code).toBe(0);
    expect((await readdir(out)).sort()).toEqual([
      'ca.nmea',
      'labels.json',
      'no.nmea',
      'zones.geojson',
    ]);
    const feed = await readFile(join(out, 'ca.nmea'), 'latin1');
    expect(feed.endsWith('\n')).toBe(true);
    expect(feed.split('\n')[0]).toMatch(/^\\s:ca-\d+,c:\d+\*[0-9A-F]{2}\\!AIVDM,/);
    const labels = JSON.parse(await readFile(join(out, 'labels.json'), 'utf8'));
    expect(labels.scenario).toMatchObject({ seed: 3, members: ['ca', 'no'], intervalScale: 5 });
    expect(labels.labels.length).toBeGreaterThan(10);
    expect(labels.summary.linesByMember.ca).toBe(feed.split('\n').length - 1);
    const zones = JSON.parse(await readFile(join(out, 'zones.geojson'), 'utf8'));
    expect(zones.type).toBe('FeatureCollection');
    expect(stderr.join('')).toMatch(/ca\.nmea \d+ lines, no\.nmea \d+ lines/);
  });

  it('rejects a bad option with exit code 2, naming it', async () => {
    expect(await runSimulate({ out: dir, seed: 'abc' })).toBe(2);
    expect(await runSimulate({ out: dir, hours: '2' })).toBe(2);
    expect(stderr.join('')).toMatch(/--seed "abc" is not an integer/);
    expect(stderr.join('')).toMatch(/hours 2 is less than 6/);
    expect(await readdir(dir)).toEqual([]);
  });
});
