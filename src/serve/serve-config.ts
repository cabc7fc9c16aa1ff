import { z } from 'zod';
import { saslConfigSchema } from '../io/kafka/sasl-config-schema.js';

/**
 * The configuration file of `tidewatch serve` (YAML or JSON; issue 15). Every key is optional;
 * the environment wins over the file (KAFKA_BROKERS, DATABASE_URL, TIDEWATCH_PICTURE_TOKENS).
 */
const serveConfigSchema = z
  .object({
    /** Interface to listen on; default 127.0.0.1 (an operations picture is not public by default). */
    host: z.string().min(1).optional(),
    /** Default 8080. */
    port: z.number().int().min(0).max(65_535).optional(),
    kafka: z
      .object({
        /** host:port[,...]; KAFKA_BROKERS wins. */
        brokers: z.string().min(1).optional(),
        /** SASL/SCRAM of the reader (a broker with ACLs: a principal that may read every
         * member's output topics, docs/coalition.md "Kafka authorisation"). */
        sasl: saslConfigSchema.optional(),
      })
      .strict()
      .optional(),
    /** History and acknowledgements; without it the picture is live only. */
    postgres: z
      .object({ url: z.string().min(1) })
      .strict()
      .optional(),
    /** Zone files (GeoJSON), drawn on the map; each member sees the shared and its private ones. */
    zones: z.array(z.string().min(1)).optional(),
    /** The coalition file (DESIGN.md §6): one picture per member. */
    coalition: z.string().min(1).optional(),
    /** Sign-in token per member id (`all` without a coalition); at least 16 characters. */
    tokens: z.record(z.string(), z.string().min(16)).optional(),
    /** Track frames per second per client at most; default 4. */
    framesPerSecond: z.number().positive().max(60).optional(),
    /** Vessels not heard for this long (event time) leave the picture; default 24. */
    forgetAfterHours: z.number().positive().optional(),
  })
  .strict();

export type ServeConfig = z.infer<typeof serveConfigSchema>;

/** Checks a parsed configuration document; the error lists every bad key with its path. */
export function parseServeConfig(document: unknown, source: string): ServeConfig {
  const result = serveConfigSchema.safeParse(document ?? {});
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `  ${issue.path.join('.') || '(document)'}: ${issue.message}`,
    );
    throw new Error(`${source}: bad serve configuration:\n${problems.join('\n')}`);
  }
  return result.data;
}

/**
 * Tokens from `TIDEWATCH_PICTURE_TOKENS` (`member=token,member=token`); throws naming a malformed
 * entry or a token shorter than 16 characters.
 */
export function parseTokenList(text: string): Map<string, string> {
  const tokens = new Map<string, string>();
  for (const entry of text.split(',')) {
    if (entry.trim() === '') continue;
    const at = entry.indexOf('=');
    const member = entry.slice(0, at).trim();
    const token = entry.slice(at + 1).trim();
    if (at <= 0 || token.length < 16) {
      throw new Error(
        `TIDEWATCH_PICTURE_TOKENS: "${entry.slice(0, Math.max(0, at)) || entry}" is not member=token with a token of 16+ characters.`,
      );
    }
    tokens.set(member, token);
  }
  return tokens;
}
