/**
 * SQLSTATE classes where the server or the connection is the problem, not the statement:
 * 08 connection exception, 53 insufficient resources, 58 system error (I/O).
 */
const TRANSIENT_SQLSTATE_CLASSES = new Set(['08', '53', '58']);

/**
 * Single SQLSTATEs that retrying can cure: the server shutting down or restarting (57P01..57P03),
 * a cancelled statement (57014), a lock or snapshot conflict (55P03, 40001 serialization, 40P01
 * deadlock).
 */
const TRANSIENT_SQLSTATES = new Set(['57P01', '57P02', '57P03', '57014', '55P03', '40001', '40P01']);

/** Socket errors of the database connection (Node error codes). */
const NETWORK_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** What node-postgres says, without a code, when a connection drops or cannot be had. */
const LOST_CONNECTION = /^Connection terminated|timeout exceeded when trying to connect|is not queryable|Connection ended/;

/**
 * True when a Postgres operation failed because the database could not be reached or asked to
 * be retried; false for errors about the statement or its data (class 22 data exception, 23
 * integrity violation, 42 syntax...), which fail the same way every time.
 */
export function isTransientPostgresError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NETWORK_ERROR_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code)) return TRANSIENT_SQLSTATES.has(code) || TRANSIENT_SQLSTATE_CLASSES.has(code.slice(0, 2));
  }
  if (error instanceof AggregateError) return error.errors.some(isTransientPostgresError);
  return LOST_CONNECTION.test(error.message);
}
