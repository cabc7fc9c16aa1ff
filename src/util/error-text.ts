/** The message of any thrown value, for error texts and logs. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
