/** Postgres SQLSTATEs of a server that is shutting down, starting up or unreachable. */
/** 57014: the statement ran past its timeout, so the database is too busy to answer in time. */
const UNAVAILABLE_SQLSTATES = new Set([
  '57014',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
]);
/** Socket errors of a dependency that went away. */
const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
]);
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /^Connection is closed/,
  /the database system is (shutting down|starting up|in recovery mode)/,
  // The driver's own limits: no answer within the read timeout, no pooled connection in time.
  /^Query read timeout$/,
  /^timeout exceeded when trying to connect$/,
];

/**
 * Whether an error means a dependency (Postgres, Redis) is down rather than that the request
 * or the code is wrong: the caller gets 503 and retries, instead of a 500 that reads as a bug.
 * TypeORM wraps the driver's error in `driverError`, so both are looked at.
 */
export function isDependencyUnavailable(error: unknown): boolean {
  for (
    let candidate = error, depth = 0;
    depth < 3 && typeof candidate === 'object' && candidate !== null;
    depth += 1
  ) {
    const { code, message, driverError } = candidate as {
      code?: unknown;
      message?: unknown;
      driverError?: unknown;
    };
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_SOCKET_CODES.has(code)))
      return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message)))
      return true;
    candidate = driverError;
  }
  return false;
}
