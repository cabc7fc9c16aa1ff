import { z } from 'zod';
import {
  DEFAULT_SASL_MECHANISM,
  DEFAULT_SASL_SECURITY_PROTOCOL,
  SASL_MECHANISMS,
  SASL_SECURITY_PROTOCOLS,
  type SaslCredentials,
  saslCredentials,
} from './sasl-config.js';

/**
 * `kafka.sasl` in a configuration file (the worker's, `tidewatch serve`'s; issue 13: the real
 * stack's broker requires SASL/SCRAM): who the client is, and the environment variable that holds
 * its password (never the password itself: configuration files get committed and copied).
 */
export const saslConfigSchema = z
  .object({
    mechanism: z.enum(SASL_MECHANISMS).default(DEFAULT_SASL_MECHANISM),
    securityProtocol: z.enum(SASL_SECURITY_PROTOCOLS).default(DEFAULT_SASL_SECURITY_PROTOCOL),
    username: z.string().min(1),
    passwordEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'),
  })
  .strict();

export type SaslConfig = z.infer<typeof saslConfigSchema>;

/**
 * The credentials of a `kafka.sasl` section, the password read from its `passwordEnv`; none
 * without a section. Throws an Error naming `key` (e.g. `worker.yaml: kafka.sasl.passwordEnv`)
 * and the variable when it is unset or empty.
 */
export function saslConfigCredentials(
  sasl: SaslConfig | undefined,
  env: Readonly<Record<string, string | undefined>>,
  key: string,
): SaslCredentials | undefined {
  if (sasl === undefined) return undefined;
  try {
    return saslCredentials(sasl, sasl.passwordEnv, env);
  } catch (error) {
    throw new Error(`${key}: ${(error as Error).message}`, { cause: error });
  }
}
