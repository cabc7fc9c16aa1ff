import { pino } from 'pino';
import type { Logger } from '../util/logger.js';

export interface PlainLoggerOptions {
  /** Where each line goes; default stderr (stdout carries the command's output). */
  readonly write?: (text: string) => void;
  /** Lines to leave out, e.g. what the command's summary says anyway. */
  readonly omit?: (level: string, message: string) => boolean;
}

/**
 * The Logger of a command a person runs at a terminal (`feed`, `migrate`): plain lines,
 * `tidewatch COMMAND: MESSAGE`, followed by `: DETAIL` when the line has an `error` or `reason`
 * field, instead of the worker's JSON. Info and above. pino formats each call as a JSON line
 * and hands it to the destination below, which rewrites it.
 */
export function plainLogger(command: string, options: PlainLoggerOptions = {}): Logger {
  const write = options.write ?? ((text: string) => process.stderr.write(text));
  return pino(
    { base: null, timestamp: false, formatters: { level: (label) => ({ level: label }) } },
    {
      write: (json: string) => {
        const line = JSON.parse(json) as {
          level: string;
          msg?: string;
          error?: unknown;
          reason?: unknown;
        };
        const message = line.msg ?? '';
        if (options.omit?.(line.level, message) === true) return;
        const detail = line.error ?? line.reason;
        write(`tidewatch ${command}: ${message}${detail === undefined ? '' : `: ${detail}`}\n`);
      },
    },
  );
}
