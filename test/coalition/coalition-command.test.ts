import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { runCoalitionExplain } from '../../src/cli/coalition-command.js';
import type { SharingMatrix } from '../../src/coalition/sharing-matrix.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLE = join(ROOT, 'config/coalition.example.yaml');

/** `tidewatch ARGS` through the real entry point (src/cli/main.ts under tsx). */
function tidewatch(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
}

const BAD = `
members:
  ca: { name: Canada, parent: ca }
  UK: { name: United Kingdom }
modules:
  picture: { members: [ca, UK, de], outputs: [tracks, dark_gaps] }
release:
  ca: { to: [xx] }
`;

describe('tidewatch coalition explain (CLI)', () => {
  it('prints the example file as tables, exit 0', () => {
    const result = tidewatch('coalition', 'explain', EXAMPLE);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Coalition policy ${EXAMPLE}`);
    expect(result.stdout).toContain('  ca-kb  Kestrel Bay Port Authority  ca      no ');
    expect(result.stdout).toMatch(/\nPolicy version [0-9a-f]{16}\n/);
  });

  it('exits 2 and names every problem of a bad file on stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tidewatch-coalition-'));
    try {
      const file = join(dir, 'bad.yaml');
      writeFileSync(file, BAD);
      const result = tidewatch('coalition', 'explain', file);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.split('\n')).toEqual([
        `tidewatch coalition explain: ${file}: 5 problems:`,
        '  members.UK: member id "UK": use lowercase letters, digits and "-", starting with a letter [member_id]',
        '  members.ca.parent: parents go round in a circle: ca → ca [parent_cycle]',
        '  modules.picture.members.2: "de" is not in members [unknown_member]',
        '  modules.picture.outputs.1: "dark_gaps" is not an output (tracks, dark_gap, rendezvous, zone_entry, zone_exit, loitering, position_jump, identity_conflict, invalid_identity) [unknown_output]',
        '  release.ca.to.0: "xx" is not in members [unknown_member]',
        '',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--help says what the table cells mean', () => {
    const result = tidewatch('coalition', 'explain', '--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: tidewatch coalition explain [options] <file>');
    expect(result.stdout).toContain('--zones <path>');
    expect(result.stdout).toContain('yes[n]  released except where note n says');
  });
});

describe('runCoalitionExplain', () => {
  let dir: string;
  let stdout: MockInstance;
  let stderr: MockInstance;
  const written = (spy: MockInstance): string => spy.mock.calls.map((c) => String(c[0])).join('');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tidewatch-coalition-'));
    stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  const zonesFile = (features: unknown[]): string => {
    const path = join(dir, 'zones.geojson');
    writeFileSync(path, JSON.stringify({ type: 'FeatureCollection', features }));
    return path;
  };
  const box = (id: string, members?: string[]) => ({
    type: 'Feature',
    properties: { id, name: id, kind: 'custom', ...(members === undefined ? {} : { members }) },
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
          [0, 0],
        ],
      ],
    },
  });

  it('--json prints the matrix, checked against the zones given', () => {
    const zones = zonesFile(
      ['port-1', 'port-2', 'mpa-1', 'eez-1']
        .map((id) => box(id))
        .concat(box('restricted-1', ['ca'])),
    );
    expect(runCoalitionExplain(EXAMPLE, { zones: [zones], json: true })).toBe(0);
    const matrix = JSON.parse(written(stdout)) as SharingMatrix;
    expect(matrix.zonesChecked).toBe(true);
    expect(matrix.privateZones).toEqual([{ id: 'restricted-1', members: ['ca'] }]);
    expect(matrix.modules.map((m) => m.name)).toEqual(['border', 'integrity', 'picture']);
    expect(matrix.members.map((m) => m.id)).toEqual(['au', 'ca', 'ca-kb', 'no']);
  });

  it('exits 2 naming the zones the file refers to that the zones given lack', () => {
    const zones = zonesFile([box('port-1')]);
    expect(runCoalitionExplain(EXAMPLE, { zones: [zones] })).toBe(2);
    expect(written(stderr)).toContain(': 2 problems:\n');
    expect(written(stderr)).toContain(
      'release.au.inside: zone "port-2" is not in the zones given [unknown_zone]',
    );
    expect(written(stderr)).toContain(
      'release.no.inside: zone "mpa-1" is not in the zones given [unknown_zone]',
    );
    expect(written(stdout)).toBe('');
  });

  it('exits 2 on an unreadable file or a bad zones file', () => {
    expect(runCoalitionExplain(join(dir, 'none.yaml'), { zones: [] })).toBe(2);
    expect(written(stderr)).toMatch(
      /none\.yaml: 1 problem:\n {2}\(file\): cannot read: ENOENT.*\[read\]\n$/,
    );
    const notJson = join(dir, 'zones.geojson');
    writeFileSync(notJson, '{');
    expect(runCoalitionExplain(EXAMPLE, { zones: [notJson] })).toBe(2);
    expect(written(stderr)).toContain(`tidewatch coalition explain: ${notJson}: not JSON`);
  });
});
