import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import { loadCoalitionFile } from '../io/coalition-file.js';
import { readConfigDocument } from '../io/config-document.js';
import type { SaslCredentials } from '../io/kafka/sasl-config.js';
import { saslConfigCredentials } from '../io/kafka/sasl-config-schema.js';
import { loadZoneFiles } from '../io/zone-files.js';
import { pictureMembers } from '../serve/picture-member.js';
import { type PictureService, startPictureService } from '../serve/picture-service.js';
import { parseServeConfig, parseTokenList, type ServeConfig } from '../serve/serve-config.js';
import { createLogger, type Logger } from '../util/logger.js';
import { portOption } from './number-option.js';

export interface ServeOptions {
  config?: string;
  coalition?: string;
  zones: string[];
  host?: string;
  port?: string;
}

/** `tidewatch serve`: the operations picture in the browser (issue 15, DESIGN.md §7). */
export function serveCommand(): Command {
  return new Command('serve')
    .description(
      "The operations picture: a live map per member in the browser, read from the members' " +
        'fused-track and alert topics (Kafka), with history and acknowledgements in Postgres.',
    )
    .option('--config <file>', 'serve configuration, YAML or JSON (below)')
    .option('--coalition <file>', 'coalition file (DESIGN.md §6): one picture per member')
    .option('--zones <path>', 'zone file to draw (GeoJSON; repeatable)', collect, [])
    .option('--host <host>', 'interface to listen on (default 127.0.0.1)')
    .option('--port <port>', 'port to listen on (default 8080; 0: any free one)')
    .addHelpText(
      'after',
      `
Pictures:
  without a coalition  one picture, member "all", from tracks.fused and alerts
  with --coalition     one per member, from tracks.fused.<member> and alerts.<member>;
                       history queries run as the member's Postgres role member_<id>
                       (tidewatch migrate --coalition FILE creates the roles)

Sign-in: each member has a token; a user opens the address printed for the member
(http://host:port/#token=...). Tokens come from TIDEWATCH_PICTURE_TOKENS or the file's
"tokens"; a member with none gets a random one, printed at start (valid until restart).

Environment (wins over the file):
  KAFKA_BROKERS             host:port[,...] of the Kafka cluster (required, here or in the file)
  DATABASE_URL              postgres://... for history and acknowledgements (optional)
  TIDEWATCH_PICTURE_TOKENS  member=token[,member=token...]
  TIDEWATCH_LOG_LEVEL       trace|debug|info|warn|error|fatal|silent (default info; JSON on stderr)

Configuration file (every key optional):
  host: 127.0.0.1
  port: 8080
  kafka: { brokers: localhost:9092 }
  # a broker requiring SASL/SCRAM (docs/coalition.md "Kafka authorisation"); the password
  # is read from the named environment variable
  kafka: { brokers: kafka:9092, sasl: { username: picture, passwordEnv: TIDEWATCH_KAFKA_PASSWORD } }
  postgres: { url: postgres://postgres@localhost/tidewatch }
  zones: [zones.geojson]
  coalition: coalition.yaml
  tokens: { ca: <16+ characters>, no: <16+ characters> }
  framesPerSecond: 4
  forgetAfterHours: 24   # vessels not heard for this long (event time) leave the picture

Example:
  KAFKA_BROKERS=localhost:9092 tidewatch serve --zones zones.geojson`,
    )
    .action(async (options: ServeOptions) => {
      process.exitCode = await runServe(options);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A random sign-in token (for a member the deployment gave none, and for the demo). */
export function randomToken(): string {
  return randomBytes(18).toString('base64url');
}

export interface ServeSettings {
  readonly config: ServeConfig;
  readonly bootstrapServers: string;
  readonly databaseUrl: string | undefined;
  /** SASL credentials of the reader (`kafka.sasl`, password from its variable). */
  readonly sasl?: SaslCredentials;
}

/** Starts the picture from settings; prints `picture <member> <url>` per member. */
export async function startServe(
  settings: ServeSettings,
  log: Logger,
  say: (line: string) => void,
): Promise<PictureService> {
  const { config } = settings;
  const zones = config.zones === undefined ? [] : loadZoneFiles(config.zones).zones;
  const coalition =
    config.coalition === undefined ? undefined : loadCoalitionFile(config.coalition, zones);
  const members = pictureMembers(coalition);
  const tokens = new Map(Object.entries(config.tokens ?? {}));
  const fromEnv = process.env.TIDEWATCH_PICTURE_TOKENS;
  if (fromEnv !== undefined && fromEnv !== '') {
    for (const [member, token] of parseTokenList(fromEnv)) tokens.set(member, token);
  }
  for (const member of members) if (!tokens.has(member.id)) tokens.set(member.id, randomToken());
  const service = await startPictureService({
    members,
    tokens,
    bootstrapServers: settings.bootstrapServers,
    databaseUrl: settings.databaseUrl,
    zones,
    host: config.host,
    port: config.port,
    frames: { framesPerSecond: config.framesPerSecond },
    ...(settings.sasl === undefined ? {} : { consumer: { sasl: settings.sasl } }),
    forgetAfterMs:
      config.forgetAfterHours === undefined ? undefined : config.forgetAfterHours * 3_600_000,
    log,
  });
  for (const link of service.links) say(`picture ${link.member} ${link.url}`);
  return service;
}

async function runServe(options: ServeOptions): Promise<number> {
  const file =
    options.config === undefined
      ? {}
      : parseServeConfig(readConfigDocument(options.config), options.config);
  const config: ServeConfig = {
    ...file,
    ...(options.coalition === undefined ? {} : { coalition: options.coalition }),
    ...(options.zones.length === 0 ? {} : { zones: options.zones }),
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.port === undefined ? {} : { port: portOption('port', options.port) }),
  };
  const bootstrapServers = process.env.KAFKA_BROKERS || config.kafka?.brokers;
  if (bootstrapServers === undefined) {
    throw new Error('tidewatch serve needs KAFKA_BROKERS or kafka.brokers in --config');
  }
  const sasl = saslConfigCredentials(
    config.kafka?.sasl,
    process.env,
    `${options.config}: kafka.sasl.passwordEnv`,
  );
  const log = createLogger({ name: 'tidewatch' });
  const service = await startServe(
    {
      config,
      bootstrapServers,
      databaseUrl: process.env.DATABASE_URL || config.postgres?.url,
      ...(sasl === undefined ? {} : { sasl }),
    },
    log,
    (line) => process.stdout.write(`${line}\n`),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await service.stop();
  return 0;
}

export interface DemoPictureOptions {
  readonly bootstrapServers: string;
  readonly databaseUrl: string;
  readonly zonesPath: string;
  /** The demo's coalition file, when it runs one (one picture per member). */
  readonly coalitionPath?: string;
}

/**
 * The picture of `tidewatch demo` (`npm start`): served on 127.0.0.1:8080 (any free port when
 * 8080 is taken) with random tokens, printing `picture <member> <url>` per member.
 */
export async function startDemoPicture(
  options: DemoPictureOptions,
  log: Logger,
  say: (line: string) => void,
): Promise<PictureService> {
  const settings = (port: number): ServeSettings => ({
    config: {
      port,
      zones: [options.zonesPath],
      ...(options.coalitionPath === undefined ? {} : { coalition: options.coalitionPath }),
    },
    bootstrapServers: options.bootstrapServers,
    databaseUrl: options.databaseUrl,
  });
  const prefixed = (line: string): void => say(`  ${line}`);
  try {
    return await startServe(settings(8080), log, prefixed);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return startServe(settings(0), log, prefixed);
  }
}
