/** Severity of an adapter log line. */
export type PostgresLogLevel = 'info' | 'warn' | 'error';

/**
 * Where the Postgres adapter reports what it does (retries, give-ups, migrations). The worker
 * passes its structured logger in; the default writes one JSON object per line to stderr.
 */
export type PostgresLog = (
  level: PostgresLogLevel,
  message: string,
  fields?: Readonly<Record<string, unknown>>,
) => void;

export const stderrPostgresLog: PostgresLog = (level, message, fields) => {
  process.stderr.write(
    `${JSON.stringify({ time: new Date().toISOString(), level, component: 'postgres', msg: message, ...fields })}\n`,
  );
};

/** Drops everything (tests, quiet CLI runs). */
export const silentPostgresLog: PostgresLog = () => {};
