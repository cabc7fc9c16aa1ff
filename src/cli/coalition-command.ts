import { chmodSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { CoalitionError } from '../coalition/coalition-error.js';
import { sharingMatrix } from '../coalition/sharing-matrix.js';
import { formatSharingMatrix } from '../coalition/sharing-matrix-text.js';
import { loadCoalitionFile } from '../io/coalition-file.js';
import { loadZoneFiles } from '../io/zone-files.js';
import { errorText } from '../util/error-text.js';
import { ZoneError } from '../zones/zone-error.js';
import {
  defaultTopicLayout,
  KAFKA_AUTH_SCRIPT,
  KAFKA_CLIENTS_DIR,
  kafkaAuthFiles,
  principalSummary,
} from './kafka-auth-files.js';

export interface CoalitionKafkaAuthOptions {
  out: string;
}

export interface CoalitionExplainOptions {
  zones: string[];
  json?: boolean;
}

/** `tidewatch coalition explain` (DESIGN.md §6, issue 13), for registration in `main.ts`. */
export function coalitionCommand(): Command {
  const explain = new Command('explain')
    .description(
      'Check a coalition file and print the sharing it puts in force: per module and audience, ' +
        'whose contributions it sees and where not, areas, private zones, the distinct pictures ' +
        'and the policy version.',
    )
    .argument('<file>', 'coalition file (YAML or JSON): members, modules, release')
    .option(
      '--zones <path>',
      'zones GeoJSON the policy runs with: checks the zone ids it names, reads private zones ' +
        '(a zone with members); repeatable',
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .option('--json', 'print the matrix as JSON instead of tables')
    .addHelpText(
      'after',
      `
Checks the whole file and lists every problem (unknown member or zone, a parent cycle, an output
that is not tracks or an alert kind, a member in no module, a duplicate, ...); exit 2 when any.

Tables, one per module: rows are audiences (who receives), columns contributors (whose reports).
  own       its own contributions            yes     released by the contributor
  parent    from its sub-national member     yes[n]  released except where note n says
  -         not released
The pictures list the audiences that see the same contributions: one computation serves them.
The policy version is a hash of what the policy decides; every track and alert will carry it.
Syntax and semantics: docs/coalition.md.

Examples:
  tidewatch coalition explain config/coalition.example.yaml
  tidewatch coalition explain coalition.yaml --zones zones.geojson --json | jq .pictures`,
    )
    .action((file: string, options: CoalitionExplainOptions) => {
      process.exitCode = runCoalitionExplain(file, options);
    });
  const kafkaAuth = new Command('kafka-auth')
    .description(
      'Generate the Kafka authorisation of a coalition for a broker that requires SASL/SCRAM: ' +
        'one principal per member, least-privilege ACLs, the script that applies them and the ' +
        "clients' librdkafka settings.",
    )
    .argument('<file>', 'coalition file (YAML or JSON): its members get principals')
    .option('--out <dir>', 'where to write the files', 'deploy/kafka')
    .addHelpText(
      'after',
      `
Writes, in --out:
  kafka-auth.sh                the administrator runs it (docker-compose.yml's kafka-auth
                               service does): creates the topics, sets every principal's SCRAM
                               credential and makes the ACLs exactly these. Idempotent, and a
                               full reconcile: after a narrowed coalition it removes the ACLs no
                               longer granted and the users of members that left. Passwords
                               come only from the environment, never from a file:
                               TIDEWATCH_KAFKA_PASSWORD_<USER> (user in capitals, - as _).
  clients/<user>.properties    librdkafka settings of the worker and each member, without the
                               password (kcat -F FILE -X sasl.password=...).
Removes other clients/*.properties there (members no longer in the file).

Principals and what they may do (nothing else: the broker denies what no ACL allows):
  User:tidewatch-admin   super user; the only one that may create topics
  User:tidewatch-worker  READ ais.raw.* (prefix), WRITE tracks.fused, alerts, ais.rejected and
                         every member's outputs, its group tidewatch
  User:member-<id>       WRITE ais.raw.<id>; READ tracks.fused.<id> and alerts.<id>;
                         consumer groups member-<id>.*
Topic names and the worker's group are the worker's defaults (DESIGN.md §2.3).
How to deploy, rotate a password, and what this does not protect: docs/coalition.md.

Examples:
  tidewatch coalition kafka-auth config/coalition.example.yaml --out deploy/kafka
  TIDEWATCH_KAFKA_PASSWORD_MEMBER_CA=... KAFKA_BOOTSTRAP_SERVER=kafka:9094 deploy/kafka/kafka-auth.sh`,
    )
    .action((file: string, options: CoalitionKafkaAuthOptions) => {
      process.exitCode = runCoalitionKafkaAuth(file, options);
    });
  return new Command('coalition')
    .description(
      'Coalition policy (members, modules, release): check it, explain it, and generate its Kafka authorisation.',
    )
    .addCommand(explain)
    .addCommand(kafkaAuth);
}

/** Prints the sharing matrix; returns the exit code (2 when the file or zones are refused). */
export function runCoalitionExplain(file: string, options: CoalitionExplainOptions): number {
  try {
    const zoneSet = options.zones.length === 0 ? undefined : loadZoneFiles(options.zones);
    for (const warning of zoneSet?.warnings ?? []) {
      process.stderr.write(`zones: ${warning.message}\n`);
    }
    const matrix = sharingMatrix(loadCoalitionFile(file, zoneSet?.zones));
    process.stdout.write(
      options.json === true ? `${JSON.stringify(matrix, null, 2)}\n` : formatSharingMatrix(matrix),
    );
    return 0;
  } catch (error) {
    if (!(error instanceof CoalitionError) && !(error instanceof ZoneError)) throw error;
    process.stderr.write(`tidewatch coalition explain: ${error.message}\n`);
    return 2;
  }
}

/**
 * Writes the Kafka authorisation files of a coalition (see kafkaAuthFiles) and says what it wrote;
 * returns the exit code (2 when the file is refused or the directory cannot be written).
 */
export function runCoalitionKafkaAuth(file: string, options: CoalitionKafkaAuthOptions): number {
  try {
    const coalition = loadCoalitionFile(file);
    const layout = defaultTopicLayout();
    const { authorisation, files } = kafkaAuthFiles(coalition, file, layout);
    const clientsDir = join(options.out, KAFKA_CLIENTS_DIR);
    mkdirSync(clientsDir, { recursive: true });
    for (const stale of readdirSync(clientsDir)) {
      const path = `${KAFKA_CLIENTS_DIR}/${stale}`;
      if (stale.endsWith('.properties') && !files.has(path)) {
        rmSync(join(options.out, path));
        process.stdout.write(`removed ${join(options.out, path)} (no longer a principal)\n`);
      }
    }
    for (const [path, content] of files) {
      const target = join(options.out, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
      if (path === KAFKA_AUTH_SCRIPT) chmodSync(target, 0o755);
    }
    const { topics, principals, bindings } = authorisation;
    process.stdout.write(
      `wrote ${join(options.out, KAFKA_AUTH_SCRIPT)}: ${topics.length} topics, ` +
        `${principals.length} principals, ${bindings.length} ACLs\n`,
    );
    for (const principal of principals) {
      const path = `${KAFKA_CLIENTS_DIR}/${principal.username}.properties`;
      const where = files.has(path) ? join(options.out, path) : '(no settings file)';
      process.stdout.write(`  ${where}\n    ${principalSummary(principal, coalition, layout)}\n`);
      process.stdout.write(`    password from ${principal.passwordEnv}\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof CoalitionError) {
      process.stderr.write(`tidewatch coalition kafka-auth: ${error.message}\n`);
      return 2;
    }
    if (error instanceof RangeError || (error as NodeJS.ErrnoException).code !== undefined) {
      process.stderr.write(`tidewatch coalition kafka-auth: ${errorText(error)}\n`);
      return 2;
    }
    throw error;
  }
}
