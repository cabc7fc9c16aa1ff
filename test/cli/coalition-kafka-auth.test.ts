import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runFeed } from '../../src/cli/feed-command.js';
import { kafkaAuthFiles } from '../../src/cli/kafka-auth-files.js';
import { loadCoalitionFile } from '../../src/io/coalition-file.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLE = 'config/coalition.example.yaml';

/** `tidewatch ARGS` through the real entry point (src/cli/main.ts under tsx). */
function tidewatch(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
}

let out: string;
beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'tidewatch-kafka-auth-'));
});
afterEach(() => rmSync(out, { recursive: true, force: true }));

describe('tidewatch coalition kafka-auth (CLI)', () => {
  it('explains in --help what it writes, who may do what, and where passwords come from', () => {
    const result = tidewatch('coalition', 'kafka-auth', '--help');
    expect(result.status).toBe(0);
    for (const text of [
      'kafka-auth.sh',
      'full reconcile',
      'TIDEWATCH_KAFKA_PASSWORD_<USER>',
      'User:member-<id>',
      'WRITE ais.raw.<id>',
      '--out <dir>',
    ]) {
      expect(result.stdout, text).toContain(text);
    }
  });

  it('writes the script and the clients’ settings, says what it wrote, and removes a member that left', () => {
    writeFileSync(join(out, 'placeholder'), '');
    const first = tidewatch('coalition', 'kafka-auth', EXAMPLE, '--out', out);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const expected = kafkaAuthFiles(loadCoalitionFile(join(ROOT, EXAMPLE)), EXAMPLE).files;
    for (const [path, content] of expected) {
      expect(readFileSync(join(out, path), 'utf8'), path).toBe(content);
    }
    expect(statSync(join(out, 'kafka-auth.sh')).mode & 0o111).not.toBe(0);
    expect(first.stdout).toContain(
      `wrote ${join(out, 'kafka-auth.sh')}: 15 topics, 6 principals, 53 ACLs`,
    );
    expect(first.stdout).toContain('password from TIDEWATCH_KAFKA_PASSWORD_MEMBER_CA_KB');

    // Norway leaves: its settings go, its ACLs are no longer in the script.
    const narrowed = join(out, 'narrowed.yaml');
    writeFileSync(narrowed, 'members: { ca: { name: Canada }, au: { name: Australia } }\n');
    const second = tidewatch('coalition', 'kafka-auth', narrowed, '--out', out);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain(`removed ${join(out, 'clients/member-no.properties')}`);
    expect(existsSync(join(out, 'clients/member-no.properties'))).toBe(false);
    expect(existsSync(join(out, 'clients/member-ca.properties'))).toBe(true);
    expect(readFileSync(join(out, 'kafka-auth.sh'), 'utf8')).not.toContain('User:member-no');
  });

  it('exits 2 naming the problems of a bad coalition file, writing nothing', () => {
    const bad = join(out, 'bad.yaml');
    writeFileSync(bad, 'members: { UK: { name: United Kingdom } }\n');
    const result = tidewatch('coalition', 'kafka-auth', bad, '--out', join(out, 'x'));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^tidewatch coalition kafka-auth: .*bad\.yaml/);
    expect(result.stderr).toContain('"UK"');
    expect(existsSync(join(out, 'x'))).toBe(false);
  });
});

describe('tidewatch feed: SASL options', () => {
  const base = { member: 'ca', file: '/dev/null', brokers: '127.0.0.1:1' };

  it('refuses, before connecting, a SASL user without its password, or SASL options without a user', async () => {
    expect(await runFeed({ ...base, saslUsername: 'member-ca' }, {})).toBe(2);
    expect(await runFeed({ ...base, saslUsername: 'member-ca', saslPasswordEnv: 'PW' }, {})).toBe(
      2,
    );
    expect(await runFeed({ ...base, saslMechanism: 'SCRAM-SHA-256' }, {})).toBe(2);
    expect(
      await runFeed(
        { ...base, saslUsername: 'member-ca', saslMechanism: 'PLAIN' },
        { TIDEWATCH_KAFKA_PASSWORD_MEMBER_CA: 'ca-0123456789abcdef' },
      ),
    ).toBe(2);
  });
});
