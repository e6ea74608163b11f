/** Socket-level and postgres.js connection failures: the database is unreachable, not the query wrong. */
const connectionCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

/** SQLSTATEs meaning the server is going away or full: admin/crash shutdown, cannot connect now, too many connections. */
const unavailableStates = new Set(['57P01', '57P02', '57P03', '53300']);

function codeOf(error: object): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * True when `error` (or anything in its `cause` chain or an AggregateError's `errors`) says a
 * dependency such as PostgreSQL is unreachable: connection error codes, SQLSTATE class 08
 * (connection exception), 57P01–57P03 and 53300. Drizzle wraps driver errors, hence the walk.
 */
export function isUnavailableError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 8) return false;
  const code = codeOf(error);
  if (code !== undefined && (connectionCodes.has(code) || unavailableStates.has(code) || /^08[0-9A-Z]{3}$/.test(code))) {
    return true;
  }
  if (error instanceof AggregateError && error.errors.some((inner) => isUnavailableError(inner, depth + 1))) {
    return true;
  }
  return 'cause' in error && isUnavailableError(error.cause, depth + 1);
}
