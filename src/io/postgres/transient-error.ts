/** Node socket errors that mean "the server is not reachable right now". */
const TRANSIENT_NODE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs worth retrying the same batch for (PostgreSQL Appendix A): the server is restarting
 * or out of connection slots, or the transaction lost a race that a retry wins.
 */
const TRANSIENT_SQLSTATES: ReadonlySet<string> = new Set([
  '57P01', // admin_shutdown: server stopped or restarted
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or in recovery
  '53300', // too_many_connections
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

/**
 * pg reports a dropped socket with these messages and no code (pg's client.js and pool). They
 * are matched by prefix because pg appends details.
 */
const TRANSIENT_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Connection ended',
];

/**
 * True when `error` means Postgres is (briefly) unreachable or restarting, so the same batch
 * can be written again later; false for errors a retry would only repeat (bad SQL, bad data,
 * missing table).
 */
export function isTransientError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (TRANSIENT_NODE_CODES.has(code) || TRANSIENT_SQLSTATES.has(code)) return true;
      // Class 08: connection exception (SQLSTATE 08000, 08003, 08006, ...).
      if (/^08[0-9A-Z]{3}$/.test(code)) return true;
    }
    // AggregateError from a host name with several addresses (Node's happy eyeballs).
    if (e instanceof AggregateError && e.errors.some((inner) => isTransientError(inner))) {
      return true;
    }
    if (TRANSIENT_MESSAGES.some((prefix) => (e as Error).message.startsWith(prefix))) return true;
    e = e.cause;
  }
  return false;
}
