import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runReplay } from '../../src/cli/replay-command.js';
import { policyVersion } from '../../src/coalition/policy-version.js';
import { loadCoalitionFile } from '../../src/io/coalition-file.js';
import { simulate } from '../../src/sim/simulate.js';
import { parseZoneCollection } from '../../src/zones/parse-zones.js';

const EXAMPLE = new URL('../../config/coalition.example.yaml', import.meta.url).pathname;

function ndjson(path: string): Record<string, unknown>[] {
  const text = readFileSync(path, 'utf8');
  return text === ''
    ? []
    : text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line));
}

/** `tidewatch replay --coalition` end to end, in this process: files, records, summary. */
describe('replay --coalition FILE', () => {
  let dir: string;
  let out: string;
  let stdout: string;
  let feedLines: Record<string, number>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tidewatch-replay-coalition-'));
    out = join(dir, 'out');
    const sim = simulate({ seed: 11, hours: 6, vessels: 30, intervalScale: 4 });
    feedLines = {};
    const feed = sim.feeds.map((f) => {
      writeFileSync(join(dir, `${f.member}.nmea`), `${f.lines.join('\n')}\n`);
      feedLines[f.member] = f.lines.length;
      return `${f.member}=${join(dir, `${f.member}.nmea`)}`;
    });
    // A feed of a member the coalition does not know: the au feed again, as 'xx'.
    feed.push(`xx=${join(dir, 'au.nmea')}`);
    writeFileSync(join(dir, 'zones.geojson'), JSON.stringify(sim.zones));
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const code = await runReplay({
        feed,
        zones: [join(dir, 'zones.geojson')],
        out,
        coalition: EXAMPLE,
      });
      expect(code).toBe(0);
      stdout = write.mock.calls.map((call) => String(call[0])).join('');
    } finally {
      write.mockRestore();
    }
  }, 120_000);

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes DIR/<member>/alerts.ndjson and tracks.ndjson, every record with the policy version', () => {
    const zones = parseZoneCollection(
      JSON.parse(readFileSync(join(dir, 'zones.geojson'), 'utf8')),
      'zones',
    ).zones;
    const version = policyVersion(loadCoalitionFile(EXAMPLE, zones));
    let records = 0;
    for (const member of ['au', 'ca', 'ca-kb', 'no']) {
      for (const file of ['alerts.ndjson', 'tracks.ndjson']) {
        for (const record of ndjson(join(out, member, file))) {
          expect(record.policyVersion).toBe(version);
          records++;
        }
      }
    }
    expect(records).toBeGreaterThan(100);
    expect(stdout).toContain(`policy version ${version}`);
  });

  it('gives each member the outputs of its modules only', () => {
    // ca-kb is not in the integrity module (position_jump, identity_conflict, invalid_identity).
    const kinds = (member: string) =>
      new Set(ndjson(join(out, member, 'alerts.ndjson')).map((a) => a.kind));
    for (const kind of kinds('ca-kb')) {
      expect(['dark_gap', 'rendezvous', 'zone_entry', 'zone_exit', 'loitering']).toContain(kind);
    }
    expect(kinds('ca').has('invalid_identity')).toBe(true);
  });

  it("names another member set's private zone in no track and no alert", () => {
    // restricted-1 is Canada's alone (the simulator's first member).
    let seenByCanada = 0;
    for (const member of ['au', 'ca', 'ca-kb', 'no']) {
      const tracks = ndjson(join(out, member, 'tracks.ndjson'));
      const alerts = ndjson(join(out, member, 'alerts.ndjson'));
      const named =
        tracks.filter((t) => (t.zones as string[]).includes('restricted-1')).length +
        alerts.filter((a) => a.zoneId === 'restricted-1').length;
      if (member === 'ca') seenByCanada = named;
      else expect(named, member).toBe(0);
    }
    expect(seenByCanada).toBeGreaterThan(0);
  });

  it('rejects every line of an unknown member as unknown_member and counts it', () => {
    const rejected = ndjson(join(out, 'rejected.ndjson')).filter(
      (r) => r.reason === 'unknown_member',
    );
    expect(rejected.length).toBe(feedLines.au);
    expect(new Set(rejected.map((r) => r.member))).toEqual(new Set(['xx']));
    expect(stdout).toContain(`unknown_member ${feedLines.au}`);
    for (const member of ['au', 'ca', 'ca-kb', 'no']) {
      for (const track of ndjson(join(out, member, 'tracks.ndjson'))) {
        expect(track.sources).not.toContain('xx');
      }
    }
  });

  it('prints per member the outputs by kind side by side', () => {
    const header = stdout.split('\n').find((line) => line.trim().startsWith('output'));
    expect(header?.trim().split(/\s+/)).toEqual(['output', 'au', 'ca', 'ca-kb', 'no']);
    const tracksRow = stdout.split('\n').find((line) => line.trim().startsWith('tracks'));
    const counts = tracksRow!.trim().split(/\s+/).slice(1).map(Number);
    const files = ['au', 'ca', 'ca-kb', 'no'].map(
      (member) => ndjson(join(out, member, 'tracks.ndjson')).length,
    );
    expect(counts).toEqual(files);
    const jumpRow = stdout.split('\n').find((line) => line.trim().startsWith('position_jump'));
    expect(jumpRow!.trim().split(/\s+/)[3]).toBe('-');
  });
});
