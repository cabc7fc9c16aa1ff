import { dirname, isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { readConfigDocument } from '../io/config-document.js';
import {
  type SaslCredentials,
  type SaslSettings,
  saslProperties,
} from '../io/kafka/sasl-config.js';
import { saslConfigCredentials, saslConfigSchema } from '../io/kafka/sasl-config-schema.js';
import { POSTGIS_MODES, type PostgisMode } from '../io/postgres/migrator.js';
import { coreConfigSchema, resolveCoreConfig, validate } from '../pipeline/config-file.js';
import type { CoreConfig } from '../pipeline/core-config.js';

/** Everything `tidewatch run` needs, defaults filled in (DESIGN.md §2.1, §2.3, issue 4). */
export interface WorkerConfig {
  readonly core: CoreConfig;
  /** Zones GeoJSON files (id, name, kind, members), as `replay --zones`. */
  readonly zones: readonly string[];
  /**
   * The coalition file (DESIGN.md §6; `tidewatch run --coalition` wins): one picture per distinct
   * visibility, outputs per member. A relative path is taken from the configuration file's folder.
   * Undefined: no coalition, one picture (`tracks.fused`, `alerts`).
   */
  readonly coalition: string | undefined;
  readonly kafka: {
    /** Comma-separated `host:port` list; env KAFKA_BROKERS wins. */
    readonly brokers: string;
    readonly groupId: string;
    readonly clientId: string;
    /**
     * Members whose raw topics to read, `member id → topic`. Empty: every topic matching
     * `rawTopicPattern`, the member id taken from the name after `rawTopicPrefix`.
     */
    readonly members: ReadonlyMap<string, string>;
    readonly rawTopicPrefix: string;
    readonly rawTopicPattern: string;
    readonly topics: { readonly fused: string; readonly alerts: string; readonly rejected: string };
    readonly maxBatchMessages: number;
    /** About the most bytes of raw messages decoded in one go (BatchConsumer.maxBatchBytes). */
    readonly maxBatchBytes: number;
    readonly startFrom: 'earliest' | 'latest';
    readonly sessionTimeoutMs: number;
    /**
     * SASL authentication of every client (the real stack's broker requires SCRAM, issue 13), the
     * password read from environment variable `passwordEnv` at start; undefined: none.
     */
    readonly sasl: (SaslSettings & { readonly passwordEnv: string }) | undefined;
    /**
     * Further librdkafka properties for every client (security, tuning), with `sasl`'s properties
     * (password included) under them.
     */
    readonly librdkafka: Readonly<Record<string, string | number | boolean>>;
  };
  readonly postgres: {
    /** false: no history (Kafka outputs only). */
    readonly enabled: boolean;
    /** env DATABASE_URL wins; default postgresql://postgres@127.0.0.1:5432/tidewatch. */
    readonly url: string | undefined;
    /** Run `migrate` at start (idempotent). */
    readonly migrate: boolean;
    readonly postgis: PostgisMode;
    /** Buffered history rows at which the worker pauses its input. */
    readonly highWaterMarkRows: number;
    /** Give up one flush after this long unreachable (the rows are kept, the input paused). */
    readonly giveUpAfterMs: number;
  };
  readonly metrics: { readonly port: number; readonly host: string };
  readonly output: {
    /** At most one `tracks.fused` message per vessel per this much event time. */
    readonly trackIntervalSeconds: number;
    /** Flush the sinks (and then store offsets) at least this often, milliseconds. */
    readonly flushIntervalMs: number;
  };
  readonly checkpoint: {
    /** Checkpoint the worker's state to Postgres and restore it at start (needs postgres). */
    readonly enabled: boolean;
    /** At most this long (wall time) between two checkpoints while input arrives. */
    readonly intervalSeconds: number;
    /**
     * A checkpoint is taken only when it is expected to hold the worker loop at most this long
     * (estimated from the last one's rate); a state too big for that is not checkpointed.
     */
    readonly maxStallSeconds: number;
  };
  readonly watermark: {
    /** A caught-up partition quiet this long (wall time) stops holding the watermark back. */
    readonly idlePartitionSeconds: number;
    /**
     * A report stamped further ahead of its partition's progress is not waited for before the
     * batch's offsets are stored (one bad clock must not hold every offset for hours).
     */
    readonly futureToleranceSeconds: number;
    /**
     * A partition whose progress runs further ahead of the slowest active partition is paused
     * until the others catch up: what it holds would only wait in memory for the watermark
     * (a member's backlog read beside a live feed, a full topic read from the start).
     */
    readonly maxReadAheadSeconds: number;
  };
  /**
   * Scale-out (DESIGN.md §8, docs/scale-out.md): with `stages`, every process runs a decode stage
   * (raw topics → `reportsTopic`, keyed by MMSI, with forwarded watermarks) and a fusion stage
   * (`reportsTopic` → the core and every output) in two consumer groups, so N identical
   * processes give one worker's outputs. Off (the default): one worker, no internal topic.
   */
  readonly scale: {
    readonly stages: boolean;
    /** The internal topic of decoded reports; its partition count is the fusion parallelism. */
    readonly reportsTopic: string;
    /** The decode stage's consumer group (the fusion stage's is `kafka.groupId`). */
    readonly decodeGroupId: string;
    /** The decode stage forwards its partitions' watermarks at least this often, milliseconds. */
    readonly watermarkIntervalMs: number;
  };
}

const positiveInt = z.number().int().positive();

const workerFileSchema = z
  .object({
    core: coreConfigSchema,
    zones: z.array(z.string().min(1)),
    coalition: z.string().min(1),
    kafka: z
      .object({
        brokers: z.string().min(1),
        groupId: z.string().min(1),
        clientId: z.string().min(1),
        members: z.record(z.string().regex(/^[a-zA-Z0-9._-]+$/), z.string().min(1)),
        rawTopicPrefix: z.string().min(1),
        rawTopicPattern: z.string().startsWith('^'),
        topics: z
          .object({ fused: z.string().min(1), alerts: z.string().min(1), rejected: z.string() })
          .strict()
          .partial(),
        maxBatchMessages: positiveInt,
        maxBatchBytes: positiveInt,
        startFrom: z.enum(['earliest', 'latest']),
        sessionTimeoutMs: z.number().int().min(6000),
        sasl: saslConfigSchema,
        librdkafka: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
      })
      .strict()
      .partial(),
    postgres: z
      .object({
        enabled: z.boolean(),
        url: z.string().min(1),
        migrate: z.boolean(),
        postgis: z.enum(POSTGIS_MODES),
        highWaterMarkRows: positiveInt,
        giveUpAfterMs: positiveInt,
      })
      .strict()
      .partial(),
    metrics: z
      .object({ port: z.number().int().min(0).max(65535), host: z.string().min(1) })
      .strict()
      .partial(),
    output: z
      .object({ trackIntervalSeconds: z.number().nonnegative(), flushIntervalMs: positiveInt })
      .strict()
      .partial(),
    checkpoint: z
      .object({
        enabled: z.boolean(),
        intervalSeconds: z.number().positive(),
        maxStallSeconds: z.number().nonnegative(),
      })
      .strict()
      .partial(),
    watermark: z
      .object({
        idlePartitionSeconds: z.number().nonnegative(),
        futureToleranceSeconds: z.number().nonnegative(),
        maxReadAheadSeconds: z.number().positive(),
      })
      .strict()
      .partial(),
    scale: z
      .object({
        stages: z.boolean(),
        reportsTopic: z.string().min(1),
        decodeGroupId: z.string().min(1),
        watermarkIntervalMs: positiveInt,
      })
      .strict()
      .partial(),
  })
  .strict()
  .partial();

export type WorkerConfigFile = z.input<typeof workerFileSchema>;

/**
 * The environment variables the worker reads (DESIGN.md §2.1), and the one `kafka.sasl.passwordEnv`
 * names.
 */
export interface WorkerEnvironment {
  readonly KAFKA_BROKERS?: string;
  readonly DATABASE_URL?: string;
  readonly TIDEWATCH_CONFIG?: string;
  readonly [variable: string]: string | undefined;
}

/**
 * The worker's configuration: the file (`--config`, else TIDEWATCH_CONFIG, else none: every
 * default), validated with every bad key named, then the environment's KAFKA_BROKERS and
 * DATABASE_URL over it.
 */
export function loadWorkerConfig(
  path: string | undefined,
  env: WorkerEnvironment = process.env,
): WorkerConfig {
  const file = path ?? env.TIDEWATCH_CONFIG;
  const document = file === undefined ? {} : (readConfigDocument(file) ?? {});
  const config = resolveWorkerConfig(document, env, file ?? 'config');
  if (file === undefined || config.coalition === undefined || isAbsolute(config.coalition)) {
    return config;
  }
  return { ...config, coalition: join(dirname(file), config.coalition) };
}

/**
 * Where and how `tidewatch migrate` finds the history database in the worker's configuration:
 * the file (`--config`, else TIDEWATCH_CONFIG), validated like the whole file but needing no
 * Kafka, with DATABASE_URL over its `postgres.url`.
 */
export function loadHistoryDatabase(
  path: string | undefined,
  env: WorkerEnvironment = process.env,
): { url: string | undefined; postgis: PostgisMode } {
  const file = path ?? env.TIDEWATCH_CONFIG;
  const document = file === undefined ? {} : (readConfigDocument(file) ?? {});
  const postgres = validate(workerFileSchema, document, file ?? 'config').postgres ?? {};
  return { url: env.DATABASE_URL ?? postgres.url, postgis: postgres.postgis ?? 'auto' };
}

/** Validates a configuration document and fills in the defaults. */
export function resolveWorkerConfig(
  document: unknown,
  env: WorkerEnvironment = {},
  source = 'config',
): WorkerConfig {
  const o = validate(workerFileSchema, document, source);
  const kafka = o.kafka ?? {};
  const postgres = o.postgres ?? {};
  const brokers = env.KAFKA_BROKERS ?? kafka.brokers;
  if (brokers === undefined || brokers.trim() === '') {
    throw new Error(
      `Invalid configuration:\n  ${source}: kafka.brokers: no Kafka brokers (set KAFKA_BROKERS or kafka.brokers, e.g. localhost:9092)`,
    );
  }
  const prefix = kafka.rawTopicPrefix ?? 'ais.raw.';
  const members = new Map(Object.entries(kafka.members ?? {}));
  const rawTopicPattern = kafka.rawTopicPattern ?? `^${prefix.replaceAll('.', '\\.')}`;
  const topics = {
    fused: kafka.topics?.fused ?? 'tracks.fused',
    alerts: kafka.topics?.alerts ?? 'alerts',
    rejected: kafka.topics?.rejected ?? 'ais.rejected',
  };
  const groupId = kafka.groupId ?? 'tidewatch';
  const scale = {
    stages: o.scale?.stages ?? false,
    reportsTopic: o.scale?.reportsTopic ?? 'tidewatch.reports',
    decodeGroupId: o.scale?.decodeGroupId ?? `${groupId}.decode`,
    watermarkIntervalMs: o.scale?.watermarkIntervalMs ?? 500,
  };
  const outputs: Record<string, string> = {};
  for (const [key, topic] of Object.entries(topics)) outputs[`kafka.topics.${key}`] = topic;
  if (scale.stages) outputs['scale.reportsTopic'] = scale.reportsTopic;
  checkOutputsAreNotInputs(outputs, members, rawTopicPattern, source);
  if (scale.stages && scale.decodeGroupId === groupId) {
    throw new Error(
      `Invalid configuration:\n  ${source}: scale.decodeGroupId: "${groupId}" is kafka.groupId too: the decode and fusion stages need a consumer group each`,
    );
  }
  let sasl: SaslCredentials | undefined;
  try {
    sasl = saslConfigCredentials(kafka.sasl, env, `${source}: kafka.sasl.passwordEnv`);
  } catch (error) {
    throw new Error(`Invalid configuration:\n  ${(error as Error).message}`);
  }
  const saslClient = sasl === undefined ? {} : saslProperties(sasl);
  return {
    core: resolveCoreConfig(o.core, source),
    zones: o.zones ?? [],
    coalition: o.coalition,
    kafka: {
      brokers,
      groupId,
      clientId: kafka.clientId ?? 'tidewatch-worker',
      members,
      rawTopicPrefix: prefix,
      rawTopicPattern,
      topics,
      maxBatchMessages: kafka.maxBatchMessages ?? 2000,
      maxBatchBytes: kafka.maxBatchBytes ?? 4 * 1024 * 1024,
      startFrom: kafka.startFrom ?? 'earliest',
      sessionTimeoutMs: kafka.sessionTimeoutMs ?? 10_000,
      sasl: kafka.sasl,
      librdkafka: { ...saslClient, ...kafka.librdkafka },
    },
    postgres: {
      enabled: postgres.enabled ?? true,
      url: env.DATABASE_URL ?? postgres.url,
      migrate: postgres.migrate ?? true,
      postgis: postgres.postgis ?? 'auto',
      highWaterMarkRows: postgres.highWaterMarkRows ?? 200_000,
      giveUpAfterMs: postgres.giveUpAfterMs ?? 60_000,
    },
    metrics: { port: o.metrics?.port ?? 9464, host: o.metrics?.host ?? '0.0.0.0' },
    output: {
      trackIntervalSeconds: o.output?.trackIntervalSeconds ?? 10,
      flushIntervalMs: o.output?.flushIntervalMs ?? 250,
    },
    checkpoint: {
      enabled: o.checkpoint?.enabled ?? true,
      intervalSeconds: o.checkpoint?.intervalSeconds ?? 300,
      maxStallSeconds: o.checkpoint?.maxStallSeconds ?? 10,
    },
    watermark: {
      idlePartitionSeconds: o.watermark?.idlePartitionSeconds ?? 10,
      futureToleranceSeconds: o.watermark?.futureToleranceSeconds ?? 600,
      maxReadAheadSeconds: o.watermark?.maxReadAheadSeconds ?? 300,
    },
    scale,
  };
}

/**
 * An output topic the worker would also read as a member's feed (matched by the raw topic
 * pattern, or listed as a member's topic) is refused: the worker would consume its own tracks and
 * alerts as NMEA, and, producing into them all the time, never see those partitions caught up —
 * the watermark would stall.
 */
function checkOutputsAreNotInputs(
  /** Configuration key → the topic it names. */
  topics: Readonly<Record<string, string>>,
  members: ReadonlyMap<string, string>,
  rawTopicPattern: string,
  source: string,
): void {
  let pattern: RegExp;
  try {
    pattern = new RegExp(rawTopicPattern);
  } catch (error) {
    throw new Error(
      `Invalid configuration:\n  ${source}: kafka.rawTopicPattern: not a regular expression (${(error as Error).message})`,
    );
  }
  const inputs = new Set(members.values());
  const problems: string[] = [];
  for (const [key, topic] of Object.entries(topics)) {
    if (topic === '') continue;
    if (inputs.has(topic)) {
      problems.push(`${key}: "${topic}" is also a member's raw topic (kafka.members)`);
    } else if (members.size === 0 && pattern.test(topic)) {
      problems.push(
        `${key}: "${topic}" matches the raw topic pattern ${rawTopicPattern}: the worker would read its own output as a member's feed`,
      );
    }
  }
  if (problems.length > 0) {
    throw new Error(
      `Invalid configuration:\n${problems.map((p) => `  ${source}: ${p}`).join('\n')}`,
    );
  }
}
