import { z } from 'zod';
import { readConfigDocument } from '../io/config-document.js';
import { type CoreConfig, DEFAULT_CORE_CONFIG } from './core-config.js';

const seconds = z.number().nonnegative();
const positive = z.number().positive();

/** Every key optional; unknown keys are errors (a typo must not silently keep a default). */
export const coreConfigSchema = z
  .object({
    dedupeWindowSeconds: seconds,
    allowedLatenessSeconds: seconds,
    forgetVesselAfterSeconds: positive,
    darkGap: z
      .object({
        minGapSeconds: positive,
        stationAliveSeconds: positive,
        coverageMemorySeconds: positive,
        coverageCellDegrees: positive.max(10),
        maxDeadReckonKnots: positive,
        maxDeadReckonSeconds: positive,
        coverageNeighbourCells: z.number().int().min(0).max(3),
        minCellProbability: positive.max(1),
        minCoveredShare: positive.max(1),
        minEvidenceReports: positive,
        coverageWarmUpSeconds: seconds,
      })
      .strict()
      .partial(),
    rendezvous: z
      .object({
        maxDistanceMeters: positive,
        maxSogKnots: positive,
        minDurationSeconds: positive,
        maxSilenceSeconds: positive,
      })
      .strict()
      .partial(),
    loitering: z
      .object({ maxSogKnots: positive, minDurationSeconds: positive, maxSilenceSeconds: positive })
      .strict()
      .partial(),
    positionJump: z
      .object({ minImpliedSpeedKnots: positive, minDistanceMeters: positive })
      .strict()
      .partial(),
    identityConflict: z
      .object({ minAlternations: z.number().int().min(2), windowSeconds: positive })
      .strict()
      .partial(),
    invalidIdentity: z.object({ atonMinMoveMeters: positive }).strict().partial(),
  })
  .strict()
  .partial();

export type CoreConfigOverrides = z.infer<typeof coreConfigSchema>;

/** Validates overrides (from a file's `core` section or a test) and merges them over defaults. */
export function resolveCoreConfig(overrides: unknown, source = 'config'): CoreConfig {
  const o = validate(coreConfigSchema, overrides ?? {}, source, ['core']);
  const d = DEFAULT_CORE_CONFIG;
  return {
    dedupeWindowSeconds: o.dedupeWindowSeconds ?? d.dedupeWindowSeconds,
    allowedLatenessSeconds: o.allowedLatenessSeconds ?? d.allowedLatenessSeconds,
    forgetVesselAfterSeconds: o.forgetVesselAfterSeconds ?? d.forgetVesselAfterSeconds,
    darkGap: { ...d.darkGap, ...o.darkGap },
    rendezvous: { ...d.rendezvous, ...o.rendezvous },
    loitering: { ...d.loitering, ...o.loitering },
    positionJump: { ...d.positionJump, ...o.positionJump },
    identityConflict: { ...d.identityConflict, ...o.identityConflict },
    invalidIdentity: { ...d.invalidIdentity, ...o.invalidIdentity },
  };
}

/**
 * Reads a configuration file (YAML or JSON; JSON is YAML, read by io/config-document.ts). The
 * core thresholds live under the `core` key so the worker's settings (Kafka, Postgres) can share
 * the file.
 */
export function loadCoreConfig(path: string): CoreConfig {
  const document = readConfigDocument(path);
  const section =
    typeof document === 'object' && document !== null
      ? (document as { core?: unknown }).core
      : undefined;
  return resolveCoreConfig(section, path);
}

/**
 * Checks `value` against `schema`; the error lists every bad key by its full path in the file
 * (`source: core.darkGap.minGapSeconds: ...`), so the operator knows what to fix.
 */
export function validate<T>(
  schema: z.ZodType<T>,
  value: unknown,
  source: string,
  pathPrefix: readonly string[] = [],
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) =>
      `${source}: ${[...pathPrefix, ...issue.path.map(String)].join('.') || '(root)'}: ${issue.message}`,
  );
  throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`);
}
