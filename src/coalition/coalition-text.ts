import { LineCounter, parseDocument } from 'yaml';
import type { Coalition } from './coalition.js';
import { CoalitionError, type CoalitionIssue } from './coalition-error.js';
import { type ParseCoalitionOptions, parseCoalition } from './parse-coalition.js';

/**
 * Parses the text of a coalition file (YAML; JSON is YAML) and checks it (parse-coalition.ts).
 * A key given twice (two `ca:` members) is a `duplicate` listed with the other problems — the
 * YAML parser would otherwise keep the last one silently; any other YAML error stops here, as
 * the document behind it cannot be trusted.
 */
/** A YAML mapping key at the start of the text: quoted, or plain up to the `:`. */
const KEY_AT = /^(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^:\s]+)/;

export function parseCoalitionText(text: string, options: ParseCoalitionOptions): Coalition {
  const lines = new LineCounter();
  const document = parseDocument(text, { prettyErrors: false, lineCounter: lines });
  const issues: CoalitionIssue[] = document.errors.map((error) => {
    const at = lines.linePos(error.pos[0]);
    return {
      code: error.code === 'DUPLICATE_KEY' ? 'duplicate' : 'yaml',
      path: `line ${at.line}, column ${at.col}`,
      message:
        error.code === 'DUPLICATE_KEY'
          ? `key ${KEY_AT.exec(text.slice(error.pos[0]))?.[0] ?? ''} given twice`
          : error.message,
    };
  });
  if (issues.some((issue) => issue.code === 'yaml')) {
    throw new CoalitionError(options.source, issues);
  }
  return parseCoalition(document.toJS(), { ...options, issues });
}
