import { type Logger, pino } from 'pino';
import type { PostgresLog } from '../io/postgres/postgres-log.js';

export type { Logger };

export interface LoggerOptions {
  /** pino level; default `TIDEWATCH_LOG_LEVEL`, else `info`. */
  level?: string;
  /** Written as `name` on every line. */
  name?: string;
  /** A stream, or a file descriptor; default 2 (stderr), since stdout carries `decode` output. */
  destination?: NodeJS.WritableStream | number;
}

const LEVELS = [...Object.keys(pino.levels.values), 'silent'];

/**
 * The structured logger of the CLI and the worker: one JSON object per line, with `level` as a
 * label and `time` as ISO 8601, the same shape `stderrPostgresLog` writes.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const fromEnv = options.level === undefined;
  // An empty variable is how shells and compose files spell "unset".
  const level = options.level ?? (process.env.TIDEWATCH_LOG_LEVEL || 'info');
  if (!LEVELS.includes(level)) {
    throw new Error(
      `Unknown log level ${JSON.stringify(level)}${fromEnv ? ' (from TIDEWATCH_LOG_LEVEL)' : ''}; ` +
        `expected one of ${LEVELS.join(', ')}.`,
    );
  }

  const destination = options.destination ?? 2;
  return pino(
    {
      level,
      ...(options.name === undefined ? {} : { name: options.name }),
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    typeof destination === 'number'
      ? // Synchronous, so the lines before a crash reach stderr and interleave in order with
        // other stderr writers; the worker logs events, not messages, so the cost is small.
        pino.destination({ dest: destination, sync: true })
      : destination,
  );
}

/** The Postgres adapter's log callback, as a child logger with `component: 'postgres'`. */
export function postgresLogFrom(logger: Logger): PostgresLog {
  const child = logger.child({ component: 'postgres' });
  return (level, message, fields) => {
    if (fields === undefined) child[level](message);
    else child[level](fields, message);
  };
}
