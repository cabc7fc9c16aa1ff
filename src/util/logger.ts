import { type Logger as PinoLogger, pino } from 'pino';

/** One log line: fields merged into the line and a message, or a message alone (pino's call). */
export interface LogFn {
  (fields: object, message?: string): void;
  (message: string): void;
}

/**
 * What Tidewatch logs through: the part of pino's Logger it uses, so a pino logger is one, and
 * so is `silentLogger`. Every adapter takes one; it adds its own `component` with `child`.
 */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(bindings: Readonly<Record<string, unknown>>): Logger;
}

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
 * label and `time` as ISO 8601.
 */
export function createLogger(options: LoggerOptions = {}): PinoLogger {
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

/** Writes nothing (tests, quiet runs); opens no stream. */
export const silentLogger: Logger = pino({ enabled: false }, { write: () => {} });

let stderrLogger: Logger | undefined;

/**
 * The logger of an adapter given none: `createLogger()`'s JSON lines on stderr, made on first
 * use (so a bad `TIDEWATCH_LOG_LEVEL` fails where a log is needed, not at import).
 */
export function defaultLogger(): Logger {
  stderrLogger ??= createLogger();
  return stderrLogger;
}
