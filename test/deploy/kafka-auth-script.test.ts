import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * The logic of the generated deploy/kafka/kafka-auth.sh — password checks, the reconcile of ACLs
 * and SCRAM users — run by /bin/sh against stand-ins for Kafka's three tools that record their
 * arguments and print what Kafka 3.9's tools print (AclCommand.printResourceAcls:
 * "Current ACLs for resource `ResourcePattern(...)`:" then a tab and an AccessControlEntry per
 * line; ConfigCommand: "SCRAM credential configs for user-principal '<user>' are ...").
 * No Kafka server runs on this machine (DESIGN.md §5): whether the broker accepts these commands
 * is not tested here, only that the script issues the right ones.
 */

const SCRIPT = fileURLToPath(new URL('../../deploy/kafka/kafka-auth.sh', import.meta.url));

const PASSWORDS: Record<string, string> = {
  TIDEWATCH_KAFKA_PASSWORD_TIDEWATCH_ADMIN: 'admin-0123456789abcdef',
  TIDEWATCH_KAFKA_PASSWORD_TIDEWATCH_WORKER: 'worker-0123456789abcdef',
  TIDEWATCH_KAFKA_PASSWORD_MEMBER_AU: 'au-0123456789abcdef',
  TIDEWATCH_KAFKA_PASSWORD_MEMBER_CA: 'ca-0123456789abcdef',
  TIDEWATCH_KAFKA_PASSWORD_MEMBER_CA_KB: 'cakb-0123456789abcdef',
  TIDEWATCH_KAFKA_PASSWORD_MEMBER_NO: 'no-0123456789abcdef',
};

/** What `kafka-acls.sh --list` prints on a cluster where a previous coalition was applied. */
const ACL_LISTING = `Current ACLs for resource \`ResourcePattern(resourceType=TOPIC, name=ais.raw.ca, patternType=LITERAL)\`: 
 \t(principal=User:member-ca, host=*, operation=WRITE, permissionType=ALLOW)
\t(principal=User:member-ca, host=*, operation=DESCRIBE, permissionType=ALLOW) 

Current ACLs for resource \`ResourcePattern(resourceType=TOPIC, name=tracks.fused.no, patternType=LITERAL)\`: 
 \t(principal=User:member-ca, host=*, operation=READ, permissionType=ALLOW)
\t(principal=User:tidewatch-worker, host=*, operation=WRITE, permissionType=ALLOW)
\t(principal=User:ops-tool, host=*, operation=READ, permissionType=ALLOW) 

Current ACLs for resource \`ResourcePattern(resourceType=TOPIC, name=ais.raw.uk, patternType=LITERAL)\`: 
 \t(principal=User:member-uk, host=*, operation=WRITE, permissionType=ALLOW) 

Current ACLs for resource \`ResourcePattern(resourceType=GROUP, name=member-uk., patternType=PREFIXED)\`: 
 \t(principal=User:member-uk, host=*, operation=READ, permissionType=ALLOW) 

Current ACLs for resource \`ResourcePattern(resourceType=CLUSTER, name=kafka-cluster, patternType=LITERAL)\`: 
 \t(principal=User:tidewatch-worker, host=*, operation=IDEMPOTENT_WRITE, permissionType=ALLOW) 
`;

const USER_LISTING = `SCRAM credential configs for user-principal 'member-ca' are SCRAM-SHA-512=iterations=8192
SCRAM credential configs for user-principal 'member-uk' are SCRAM-SHA-512=iterations=8192
Quota configs for user-principal 'member-zz' are producer_byte_rate=1024.0
SCRAM credential configs for user-principal 'ops-tool' are SCRAM-SHA-256=iterations=4096
`;

let bin: string;

beforeEach(() => {
  bin = mkdtempSync(join(tmpdir(), 'tidewatch-kafka-bin-'));
  writeFileSync(join(bin, 'acls.txt'), ACL_LISTING);
  writeFileSync(join(bin, 'users.txt'), USER_LISTING);
  for (const tool of ['kafka-topics.sh', 'kafka-configs.sh', 'kafka-acls.sh']) {
    const path = join(bin, tool);
    // Records one line per call: the tool and its arguments, each in [].
    writeFileSync(
      path,
      `#!/bin/sh
line="${tool}"
for a in "$@"; do line="$line [$a]"; done
echo "$line" >> "${bin}/calls.txt"
case " $* " in
  *" --list "*) cat "${bin}/acls.txt" ;;
  *" --describe "*) cat "${bin}/users.txt" ;;
esac
`,
    );
    chmodSync(path, 0o755);
  }
});

afterEach(() => rmSync(bin, { recursive: true, force: true }));

function run(env: Record<string, string>) {
  const result = spawnSync('/bin/sh', [SCRIPT], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', KAFKA_BIN: bin, ...env },
    encoding: 'utf8',
  });
  let calls: string[] = [];
  try {
    calls = readFileSync(join(bin, 'calls.txt'), 'utf8').trim().split('\n');
  } catch {
    // no call at all
  }
  return { ...result, calls };
}

describe('deploy/kafka/kafka-auth.sh', () => {
  it('refuses to start, changing nothing, when a password is missing or unusable', () => {
    const { TIDEWATCH_KAFKA_PASSWORD_MEMBER_NO: _, ...missing } = PASSWORDS;
    const first = run(missing);
    expect(first.status).toBe(2);
    expect(first.stderr).toContain('TIDEWATCH_KAFKA_PASSWORD_MEMBER_NO: set it to at least 16');
    expect(first.calls).toEqual([]);
    for (const bad of [
      'short',
      'has,comma-0123456789',
      'has]bracket-0123456789',
      'quote"0123456789abcdef',
    ]) {
      const result = run({ ...PASSWORDS, TIDEWATCH_KAFKA_PASSWORD_MEMBER_CA: bad });
      expect(result.status, bad).toBe(2);
      expect(result.calls, bad).toEqual([]);
    }
  });

  it('creates the topics, sets every SCRAM credential from the environment and adds the ACLs', () => {
    const result = run(PASSWORDS);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const server = '[--bootstrap-server] [localhost:9094]';
    expect(result.calls).toContain(
      `kafka-topics.sh ${server} [--create] [--if-not-exists] [--topic] [ais.raw.ca-kb] [--partitions] [4] [--replication-factor] [1]`,
    );
    expect(result.calls.filter((c) => c.includes('[--create]'))).toHaveLength(15);
    expect(result.calls).toContain(
      `kafka-configs.sh ${server} [--alter] [--entity-type] [users] [--entity-name] [member-ca-kb] [--add-config] [SCRAM-SHA-512=[iterations=8192,password=cakb-0123456789abcdef]]`,
    );
    expect(result.calls).toContain(
      `kafka-acls.sh ${server} [--add] [--allow-principal] [User:member-ca] [--allow-host] [*] [--resource-pattern-type] [LITERAL] [--topic] [tracks.fused.ca] [--topic] [alerts.ca] [--operation] [READ] [--operation] [DESCRIBE]`,
    );
    expect(result.stdout).toContain('15 topics, 6 principals, 53 ACLs applied');
  });

  it('removes exactly the ACLs of managed principals that are no longer granted, and the SCRAM users of members that left', () => {
    const result = run({ ...PASSWORDS, KAFKA_ADMIN_CONFIG: '/etc/admin.properties' });
    expect(result.status).toBe(0);
    const server =
      '[--bootstrap-server] [localhost:9094] [--command-config] [/etc/admin.properties]';
    expect(result.calls.filter((c) => c.includes('[--remove]')).sort()).toEqual(
      [
        // member-ca reading Norway's tracks: granted by no coalition now.
        `kafka-acls.sh ${server} [--remove] [--force] [--resource-pattern-type] [LITERAL] [--topic] [tracks.fused.no] [--allow-principal] [User:member-ca] [--allow-host] [*] [--operation] [READ]`,
        // A member that left: every ACL of it.
        `kafka-acls.sh ${server} [--remove] [--force] [--resource-pattern-type] [LITERAL] [--topic] [ais.raw.uk] [--allow-principal] [User:member-uk] [--allow-host] [*] [--operation] [WRITE]`,
        `kafka-acls.sh ${server} [--remove] [--force] [--resource-pattern-type] [PREFIXED] [--group] [member-uk.] [--allow-principal] [User:member-uk] [--allow-host] [*] [--operation] [READ]`,
        // The worker's old cluster grant; the tools read IDEMPOTENT_WRITE as IDEMPOTENTWRITE.
        `kafka-acls.sh ${server} [--remove] [--force] [--resource-pattern-type] [LITERAL] [--cluster] [--allow-principal] [User:tidewatch-worker] [--allow-host] [*] [--operation] [IDEMPOTENTWRITE]`,
      ].sort(),
    );
    // User:ops-tool is not the coalition's to manage; member-ca's own grants stay.
    expect(result.calls.join('\n')).not.toMatch(/--remove.*ops-tool/);
    expect(result.calls.filter((c) => c.includes('[--delete-config]'))).toEqual([
      `kafka-configs.sh ${server} [--alter] [--entity-type] [users] [--entity-name] [member-uk] [--delete-config] [SCRAM-SHA-512]`,
    ]);
    expect(result.stdout).toContain(
      'kafka-auth: removing ALLOW READ on TOPIC LITERAL tracks.fused.no for User:member-ca (no longer granted)',
    );
  });

  it('stops, removing nothing, when the ACLs cannot be listed', () => {
    writeFileSync(join(bin, 'acls.txt'), '');
    const acls = join(bin, 'kafka-acls.sh');
    writeFileSync(
      acls,
      readFileSync(acls, 'utf8').replace(
        '*" --list "*) cat',
        '*" --list "*) echo "timed out" >&2; exit 1; cat',
      ),
    );
    const result = run(PASSWORDS);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('timed out');
    expect(result.calls.filter((c) => c.includes('[--remove]'))).toEqual([]);
  });

  it('stops at the first tool that fails', () => {
    writeFileSync(join(bin, 'kafka-topics.sh'), '#!/bin/sh\necho "broker down" >&2\nexit 1\n');
    const result = run(PASSWORDS);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('broker down');
    expect(result.calls).toEqual([]);
  });
});
