import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OutputFile } from '../../src/io/output-file.js';

describe('OutputFile', () => {
  const dirs: string[] = [];
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'tidewatch-output-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('writes and closes a file', async () => {
    const path = join(tempDir(), 'out.ndjson');
    const file = await OutputFile.open(path);
    file.stream.write('{"a":1}\n');
    await file.close();
    expect(file.failed).toBeUndefined();
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}\n');
  });

  it('refuses a file it cannot create, naming the path, before anything is written', async () => {
    const path = join(tempDir(), 'missing', 'out.ndjson');
    await expect(OutputFile.open(path)).rejects.toThrow(`cannot write ${path}: ENOENT`);
  });

  it('turns a failed write into an error at close, not a crash', async () => {
    // /dev/full accepts the open and fails every write with ENOSPC.
    const file = await OutputFile.open('/dev/full');
    file.stream.write('x'.repeat(1 << 16));
    await expect(file.close()).rejects.toThrow('cannot write /dev/full: ENOSPC');
    expect(file.failed?.message).toContain('ENOSPC');
  });
});
