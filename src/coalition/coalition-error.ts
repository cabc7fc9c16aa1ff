import { CodedError } from '../util/coded-error.js';

/** Why a coalition file was refused. One fixed list: callers and tests branch on it. */
export const COALITION_ERROR_CODES = [
  /** The file could not be read. */
  'read',
  /** Not YAML (a syntax error the parser names with its line). */
  'yaml',
  /** The wrong shape: a missing or unknown key, a value of the wrong type. */
  'schema',
  /** A member id Kafka topics and Postgres roles cannot carry (member-id.ts). */
  'member_id',
  /** Two member ids that map to the same Postgres role name. */
  'id_collision',
  /** A member named (parent, module, `to`, `inside`, a zone's `members`) that is not in `members`. */
  'unknown_member',
  /** A zone named (`area`, `inside`) that is not in the zones given. */
  'unknown_zone',
  /** A chain of `parent`s that comes back to where it started. */
  'parent_cycle',
  /** A module output that is neither `tracks` nor an alert kind. */
  'unknown_output',
  /** A member that belongs to no module: it would contribute and receive nothing. */
  'no_module',
  /** The same key or list entry twice. */
  'duplicate',
  /** A member that would receive one output from two modules (two pictures on one topic). */
  'output_overlap',
  /** An `inside` rule naming a member the contributor's `to` leaves out: `inside` only narrows. */
  'inside_widens',
] as const;

export type CoalitionErrorCode = (typeof COALITION_ERROR_CODES)[number];

/** One thing wrong with a coalition file, at a dotted path in it (`release.no.to.1`). */
export interface CoalitionIssue {
  readonly code: CoalitionErrorCode;
  /** Dotted path of the bad value (`(root)` for the document, `line 3` for a YAML error). */
  readonly path: string;
  readonly message: string;
}

/**
 * A coalition file Tidewatch will not load. It lists every problem found, not just the first
 * (an officer fixing a file should not need one run per mistake); `code` is the first one's.
 */
export class CoalitionError extends CodedError<CoalitionErrorCode> {
  override readonly name = 'CoalitionError';
  /** The file (or the name the caller gave the document). */
  readonly source: string;
  readonly issues: readonly CoalitionIssue[];

  constructor(source: string, issues: readonly CoalitionIssue[], options?: { cause?: unknown }) {
    const first = issues[0];
    if (first === undefined) throw new RangeError('CoalitionError: no issues.');
    const lines = issues.map((issue) => `\n  ${issue.path}: ${issue.message} [${issue.code}]`);
    super(
      first.code,
      `${source}: ${issues.length === 1 ? '1 problem' : `${issues.length} problems`}:${lines.join('')}`,
      options,
    );
    this.source = source;
    this.issues = issues;
  }
}
