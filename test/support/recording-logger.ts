import { pino } from 'pino';
import type { Logger } from '../../src/util/logger.js';

/** One line a `recordingLogger` received: its level label, message and every other field. */
export interface LogLine {
  level: string;
  message: string;
  fields: Readonly<Record<string, unknown>>;
}

/**
 * A pino logger at debug level that keeps its lines, parsed, instead of writing them: tests see
 * exactly what the JSON output would hold (child bindings such as `component` among the fields).
 */
export function recordingLogger(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log = pino(
    {
      level: 'debug',
      base: null,
      timestamp: false,
      formatters: { level: (label) => ({ level: label }) },
    },
    {
      write: (json: string) => {
        const { level, msg, ...fields } = JSON.parse(json) as Record<string, unknown>;
        lines.push({ level: String(level), message: String(msg ?? ''), fields });
      },
    },
  );
  return { log, lines };
}
