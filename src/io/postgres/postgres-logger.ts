import { defaultLogger, type Logger } from '../../util/logger.js';

/**
 * The logger the Postgres adapter writes through: the caller's (else JSON lines on stderr), its
 * lines marked `component: 'postgres'` so they can be told from the worker's own.
 */
export function postgresLogger(log: Logger | undefined): Logger {
  return (log ?? defaultLogger()).child({ component: 'postgres' });
}
