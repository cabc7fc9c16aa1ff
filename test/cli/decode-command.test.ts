import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { runDecode } from '../../src/cli/decode-command.js';

const GOOD = '!AIVDM,1,1,,A,13aEOK?P00PD2wVMdLDRhgvL289?,0*26';
const BAD_CHECKSUM = '!AIVDM,1,1,,A,13aEOK?P00PD2wVMdLDRhgvL289?,0*00';

describe('tidewatch decode --errors', () => {
  let dir: string;
  let input: string;
  let stdout: MockInstance;
  let stderr: MockInstance;
  const written = (spy: MockInstance): string => spy.mock.calls.map((c) => String(c[0])).join('');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tidewatch-decode-'));
    input = join(dir, 'in.nmea');
    writeFileSync(input, `${GOOD}\n${BAD_CHECKSUM}\n`);
    stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes each rejected line with its reason', async () => {
    const errors = join(dir, 'errors.ndjson');
    expect(await runDecode(input, { errors })).toBe(0);
    expect(written(stdout)).toContain('"mmsi"');
    expect(readFileSync(errors, 'utf8')).toBe(
      `${JSON.stringify({ reason: 'checksum', line: BAD_CHECKSUM })}\n`,
    );
  });

  it('exits 2 with the path named when the errors file cannot be written, decoding nothing', async () => {
    const errors = join(dir, 'no-such-dir', 'errors.ndjson');
    expect(await runDecode(input, { errors })).toBe(2);
    expect(written(stderr)).toContain(`tidewatch decode: --errors: cannot write ${errors}: ENOENT`);
    expect(written(stdout)).toBe('');
  });

  it('exits 2 when writing the errors file fails midway', async () => {
    expect(await runDecode(input, { errors: '/dev/full' })).toBe(2);
    expect(written(stderr)).toContain('tidewatch decode: --errors: cannot write /dev/full: ENOSPC');
  });
});
