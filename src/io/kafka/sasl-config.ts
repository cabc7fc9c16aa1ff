/**
 * SASL authentication of a Kafka client (issue 13: the real stack's broker requires SASL/SCRAM):
 * what the configuration says, and the librdkafka properties it becomes (librdkafka
 * CONFIGURATION.md: `security.protocol`, `sasl.mechanisms`, `sasl.username`, `sasl.password`).
 */

/** SCRAM only: PLAIN would send the password itself, GSSAPI and OAUTHBEARER need more setup. */
export const SASL_MECHANISMS = ['SCRAM-SHA-512', 'SCRAM-SHA-256'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** SASL_SSL where the network between client and broker is not trusted. */
export const SASL_SECURITY_PROTOCOLS = ['SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type SaslSecurityProtocol = (typeof SASL_SECURITY_PROTOCOLS)[number];

/** What a client uses when its configuration names none (the real stack's broker, issue 13). */
export const DEFAULT_SASL_MECHANISM: SaslMechanism = 'SCRAM-SHA-512';
export const DEFAULT_SASL_SECURITY_PROTOCOL: SaslSecurityProtocol = 'SASL_PLAINTEXT';

/** Who a client is and how it proves it, less the password. */
export interface SaslSettings {
  readonly mechanism: SaslMechanism;
  readonly securityProtocol: SaslSecurityProtocol;
  readonly username: string;
}

export interface SaslCredentials extends SaslSettings {
  readonly password: string;
}

/** The librdkafka properties of `credentials`. */
export function saslProperties(credentials: SaslCredentials): Record<string, string> {
  return {
    'security.protocol': credentials.securityProtocol.toLowerCase(),
    'sasl.mechanisms': credentials.mechanism,
    'sasl.username': credentials.username,
    'sasl.password': credentials.password,
  };
}

/**
 * `settings` with the password of environment variable `passwordEnv`. Throws a RangeError naming
 * the variable when it is unset or empty: a client without its password would only be refused by
 * the broker, later and less clearly.
 */
export function saslCredentials(
  settings: SaslSettings,
  passwordEnv: string,
  env: Readonly<Record<string, string | undefined>>,
): SaslCredentials {
  const password = env[passwordEnv];
  if (password === undefined || password === '') {
    throw new RangeError(
      `Kafka SASL user ${settings.username}: environment variable ${passwordEnv} (its password) is not set`,
    );
  }
  return { ...settings, password };
}

/**
 * A librdkafka properties file of `settings` without the password (kcat `-F FILE`; the password
 * is added from `passwordEnv` where the client runs, never written down).
 */
export function saslPropertiesText(
  settings: SaslSettings,
  passwordEnv: string,
  heading: readonly string[],
): string {
  const properties = saslProperties({ ...settings, password: '' });
  return [
    ...heading.map((line) => `# ${line}`),
    `# sasl.password is not here: take it from ${passwordEnv}, e.g.`,
    `#   kcat -F THIS_FILE -X sasl.password="$${passwordEnv}" -b BROKER ...`,
    ...Object.entries(properties)
      .filter(([key]) => key !== 'sasl.password')
      .map(([key, value]) => `${key}=${value}`),
    '',
  ].join('\n');
}
