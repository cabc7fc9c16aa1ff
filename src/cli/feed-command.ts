import { Command } from 'commander';
import { passwordEnvName } from '../coalition/kafka-acls.js';
import { type FeedBridgeOptions, type FeedStats, runFeedBridge } from '../feed/feed-bridge.js';
import type { FeedSourceSpec } from '../feed/feed-source.js';
import { CUT_LINE_BYTES, LINE_BATCHER_DEFAULTS, MAX_LINE_BYTES } from '../feed/line-batcher.js';
import { KafkaError } from '../io/kafka/kafka-error.js';
import { RAW_TOPIC_PREFIX } from '../io/kafka/raw-topic.js';
import {
  DEFAULT_SASL_MECHANISM,
  DEFAULT_SASL_SECURITY_PROTOCOL,
  SASL_MECHANISMS,
  SASL_SECURITY_PROTOCOLS,
  type SaslCredentials,
  type SaslMechanism,
  type SaslSecurityProtocol,
  saslCredentials,
} from '../io/kafka/sasl-config.js';
import { hostPortOption } from './host-port-option.js';
import { integerOption, portOption } from './number-option.js';
import { plainLogger } from './plain-logger.js';

export interface FeedCommandOptions {
  member: string;
  tcp?: string;
  udp?: string;
  file?: string;
  brokers?: string;
  topicPrefix?: string;
  key?: string;
  maxLines?: string;
  maxBytes?: string;
  lingerMs?: string;
  saslUsername?: string;
  saslPasswordEnv?: string;
  saslMechanism?: string;
  securityProtocol?: string;
}

const PROGRESS_INTERVAL_MS = 10_000;

/** `tidewatch feed` (DESIGN.md §2.1, §2.3; issue 4), for registration in `main.ts`. */
export function feedCommand(): Command {
  const d = LINE_BATCHER_DEFAULTS;
  return new Command('feed')
    .description(
      "Bridge a member's live NMEA feed (TCP, UDP or a file) into Kafka topic ais.raw.<member>, " +
        'many lines per message, for the streaming worker.',
    )
    .requiredOption('--member <id>', 'member id: the topic is <topic-prefix><id>')
    .option(
      '--tcp <host:port>',
      'connect to a TCP feed (receiver, AIS dispatcher, provider); reconnects with backoff 1 s..30 s',
    )
    .option('--udp <port>', 'listen for NMEA datagrams on 0.0.0.0:PORT')
    .option(
      '--file <path>',
      'read a recorded feed to its end (gzip allowed; - for stdin), then exit',
    )
    .option('--brokers <list>', 'Kafka bootstrap servers host:port[,host:port] (env KAFKA_BROKERS)')
    .option(
      '--topic-prefix <prefix>',
      `topic name before the member id (default ${RAW_TOPIC_PREFIX})`,
    )
    .option(
      '--key <text>',
      'Kafka key of every message (default: the member id); e.g. the station, one bridge per station',
    )
    .option('--max-lines <n>', `lines per Kafka message at most (default ${d.maxLines})`)
    .option('--max-bytes <n>', `bytes per Kafka message at most (default ${d.maxBytes})`)
    .option(
      '--linger-ms <ms>',
      `longest wait of a message's first line for more lines (default ${d.lingerMs})`,
    )
    .option(
      '--sasl-username <name>',
      'authenticate to Kafka with SASL/SCRAM as this user (a member: member-<id>, from ' +
        '`tidewatch coalition kafka-auth`)',
    )
    .option(
      '--sasl-password-env <var>',
      'environment variable holding the password (default TIDEWATCH_KAFKA_PASSWORD_<NAME>: ' +
        'the user name in capitals, - as _)',
    )
    .option(
      '--sasl-mechanism <m>',
      `${SASL_MECHANISMS.join(' or ')} (default ${DEFAULT_SASL_MECHANISM})`,
    )
    .option(
      '--security-protocol <p>',
      `with --sasl-username: ${SASL_SECURITY_PROTOCOLS.join(' or ')} (default ${DEFAULT_SASL_SECURITY_PROTOCOL})`,
    )
    .addHelpText(
      'after',
      `
Give exactly one of --tcp, --udp, --file.

Each Kafka message holds up to --max-lines lines separated by "\\n"; it is sent when full
(--max-lines or --max-bytes) or when its first line has waited --linger-ms. Messages are keyed by
the member id, or --key (DESIGN.md: MMSI or station; a member with several receivers can run one
bridge per station with --key STATION and spread over the topic's partitions), so one feed stays
on one partition, in order (a two-sentence AIS message cut between two Kafka messages is still
assembled by the worker); the Kafka timestamp is
when the first line was read, the worker's receive time for lines without a tag block. Lines pass
through untouched: NMEA 4.10 tag blocks (\\s:station,c:seconds*hh\\), $PGHP lines and trailing
provider fields reach the worker as received. Lines may end in \\n or \\r\\n; empty lines are
skipped; a line over ${MAX_LINE_BYTES} bytes is not NMEA: it is sent cut to its first ${MAX_LINE_BYTES + 1} bytes
(${CUT_LINE_BYTES} when the last is a \\r), with a warning, counted (oversize): the worker rejects it as
syntax and dead-letters it, so it is seen on ais.rejected, not lost in the bridge.

When Kafka falls behind, reading pauses (TCP flow control slows the sender; a file waits); UDP
cannot pause, so datagrams that arrive meanwhile are dropped and counted. Delivery is retried
until Kafka is back. A TCP connection that drops or is refused is retried with exponential
backoff, each attempt logged. SIGINT or SIGTERM stops reading, sends what was read and exits 0
(a second one exits at once). Every 10 s, and at the end, a summary goes to stderr.

A broker that requires SASL (docker-compose.yml, docs/coalition.md "Kafka authorisation") takes
--sasl-username; the password is read from the environment, never from the command line. With
the wrong password or user the bridge fails to connect (exit 1); a user may write only its own
member's topic: feeding another member's is refused by the broker's ACLs.

Exit status: 0 done; 1 Kafka or the source failed; 2 bad options.

Examples:
  tidewatch feed --member ca --tcp 153.44.253.27:5631 --brokers kafka:9092
  KAFKA_BROKERS=kafka:9092 tidewatch feed --member no --udp 10110
  tidewatch feed --member au --file day.nmea.gz --brokers 127.0.0.1:9092
  TIDEWATCH_KAFKA_PASSWORD_MEMBER_CA=... tidewatch feed --member ca --tcp 10.0.0.5:5631 \\
    --brokers kafka:9092 --sasl-username member-ca
  zcat day.nmea.gz | tidewatch feed --member au --file - --linger-ms 200`,
    )
    .action(async (options: FeedCommandOptions) => {
      process.exitCode = await runFeed(options);
    });
}

/**
 * Runs the bridge until the source ends or a signal stops it. Returns the exit code: 0, 1 when
 * Kafka or the source failed, 2 when an option is bad.
 */
export async function runFeed(
  options: FeedCommandOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const log = plainLogger('feed');
  let bridgeOptions: FeedBridgeOptions;
  try {
    bridgeOptions = parseOptions(options, env);
  } catch (error) {
    log.error((error as Error).message);
    return 2;
  }
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stop.signal.aborted) {
      log.warn(`${signal} again: exiting without waiting for Kafka`);
      process.exit(130);
    }
    log.info(`${signal}: stopping; sending what was read`);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let previous: FeedStats | undefined;
  try {
    const stats = await runFeedBridge({
      ...bridgeOptions,
      log,
      signal: stop.signal,
      progressIntervalMs: PROGRESS_INTERVAL_MS,
      onProgress: (current) => {
        log.info(summary(bridgeOptions.member, current, previous));
        previous = current;
      },
    });
    log.info(
      `done in ${(stats.elapsedMs / 1000).toFixed(1)} s: ${summary(bridgeOptions.member, stats, undefined)}`,
    );
    return 0;
  } catch (error) {
    const code = error instanceof KafkaError ? `${error.code}: ` : '';
    log.error(`${code}${(error as Error).message}`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function parseOptions(options: FeedCommandOptions, env: NodeJS.ProcessEnv): FeedBridgeOptions {
  const given = (['tcp', 'udp', 'file'] as const).filter((kind) => options[kind] !== undefined);
  if (given.length !== 1) {
    throw new RangeError(
      given.length === 0
        ? 'no source: give one of --tcp HOST:PORT, --udp PORT, --file PATH'
        : `give one source, not ${given.map((kind) => `--${kind}`).join(' and ')}`,
    );
  }
  let source: FeedSourceSpec;
  if (options.tcp !== undefined) {
    source = { kind: 'tcp', ...hostPortOption('tcp', options.tcp) };
  } else if (options.udp !== undefined) {
    source = { kind: 'udp', port: portOption('udp', options.udp, 1) };
  } else {
    source = { kind: 'file', path: options.file! };
  }
  const brokers = (options.brokers ?? env.KAFKA_BROKERS ?? '').trim();
  if (brokers === '') {
    throw new RangeError(
      'no Kafka brokers: pass --brokers host:port[,host:port] or set KAFKA_BROKERS',
    );
  }
  if (options.key !== undefined && options.key.trim() === '') {
    throw new RangeError('--key: an empty key (leave it out to key by the member id)');
  }
  const { maxLines, maxBytes, lingerMs } = options;
  const sasl = saslOption(options, env);
  return {
    member: options.member,
    source,
    bootstrapServers: brokers,
    topicPrefix: options.topicPrefix,
    key: options.key,
    maxLines: maxLines === undefined ? undefined : integerOption('max-lines', maxLines, 1),
    maxBytes:
      maxBytes === undefined ? undefined : integerOption('max-bytes', maxBytes, CUT_LINE_BYTES),
    lingerMs: lingerMs === undefined ? undefined : integerOption('linger-ms', lingerMs, 0),
    ...(sasl === undefined ? {} : { producer: { sasl } }),
  };
}

/** The SASL credentials of the options, undefined without --sasl-username. */
function saslOption(
  options: FeedCommandOptions,
  env: NodeJS.ProcessEnv,
): SaslCredentials | undefined {
  const { saslUsername: username, saslMechanism, securityProtocol } = options;
  if (username === undefined) {
    const stray = (['saslPasswordEnv', 'saslMechanism', 'securityProtocol'] as const).find(
      (key) => options[key] !== undefined,
    );
    if (stray !== undefined) {
      throw new RangeError(`--${kebab(stray)} needs --sasl-username`);
    }
    return undefined;
  }
  if (username.trim() === '') throw new RangeError('--sasl-username: an empty user name');
  const mechanism = saslMechanism ?? DEFAULT_SASL_MECHANISM;
  if (!(SASL_MECHANISMS as readonly string[]).includes(mechanism)) {
    throw new RangeError(
      `--sasl-mechanism: "${mechanism}" is not one of ${SASL_MECHANISMS.join(', ')}`,
    );
  }
  const protocol = securityProtocol ?? DEFAULT_SASL_SECURITY_PROTOCOL;
  if (!(SASL_SECURITY_PROTOCOLS as readonly string[]).includes(protocol)) {
    throw new RangeError(
      `--security-protocol: "${protocol}" is not one of ${SASL_SECURITY_PROTOCOLS.join(', ')}`,
    );
  }
  return saslCredentials(
    {
      username,
      mechanism: mechanism as SaslMechanism,
      securityProtocol: protocol as SaslSecurityProtocol,
    },
    options.saslPasswordEnv ?? passwordEnvName(username),
    env,
  );
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** `ca: 120000 lines (2000/s), 240 messages, 9.6 MB, 0 oversize`, plus what is unusual. */
function summary(member: string, stats: FeedStats, previous: FeedStats | undefined): string {
  const sinceMs = stats.elapsedMs - (previous?.elapsedMs ?? 0);
  const linesSince = stats.lines - (previous?.lines ?? 0);
  const rate = Math.round((linesSince * 1000) / Math.max(1, sinceMs));
  const parts = [
    `${member}: ${stats.lines} lines (${rate}/s)`,
    `${stats.messages} messages`,
    `${(stats.bytes / 1e6).toFixed(1)} MB`,
    `${stats.oversize} oversize`,
  ];
  if (stats.cutLines > 0) parts.push(`${stats.cutLines} cut by disconnects`);
  if (stats.pauses > 0) parts.push(`paused ${stats.pauses}x by Kafka`);
  if (stats.droppedDatagrams > 0) parts.push(`${stats.droppedDatagrams} datagrams dropped`);
  if (stats.failedDeliveries > 0) parts.push(`${stats.failedDeliveries} undeliverable`);
  return parts.join(', ');
}
