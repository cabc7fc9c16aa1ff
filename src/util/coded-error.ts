/**
 * An error with a fixed code from an `as const` list (undici's `UND_ERR_*`, platformatic's
 * `PLT_KFK_*`): the code is what callers branch on and what metrics and dead letters use as a
 * label; the message is for people. Each adapter subclasses it with its own list and `name`.
 */
export class CodedError<Code extends string> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
