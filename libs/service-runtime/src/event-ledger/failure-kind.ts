import { isPostgresConnectionError } from '@modelreg/postgres';

/**
 * Whether trying the same work again later can succeed. Retriable: a dependency away or busy (an
 * error marked `retriable: true` such as KafkaUnavailableError, PostgresUnavailableError or
 * ObjectStoreUnavailableError; a lost or refused database connection, isPostgresConnectionError;
 * a statement the server asks to retry, RETRY_SQLSTATE; a database not set up for the statement,
 * ENVIRONMENT_SQLSTATE_CLASSES). Everything else, any error a handler throws unmarked and any
 * Postgres error about the data (class 22, 23...), fails the same way every time: the event is at
 * fault. The first error in the cause chain that says `retriable` decides.
 */
export function isRetriable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 8; depth += 1) {
    const marked = (current as { retriable?: unknown }).retriable;
    if (typeof marked === 'boolean' && current.name !== 'KafkaJSNumberOfRetriesExceeded') return marked;
    if (
      isPostgresConnectionError(current) ||
      RETRY_SQLSTATE.test(sqlState(current)) ||
      ENVIRONMENT_SQLSTATE_CLASSES.has(sqlState(current).slice(0, 2))
    )
      return true;
    if (current instanceof AggregateError && current.errors.some(isRetriable)) return true;
    current = current.cause;
  }
  return false;
}

/**
 * Statements the server gives up on for reasons of the moment, beyond a lost connection: 53*
 * insufficient resources, 58* I/O error, 57014 cancelled (statement timeout), 55P03 lock not
 * available (lock timeout), 40001 serialization failure, 40P01 deadlock.
 */
const RETRY_SQLSTATE = /^(53[0-9A-Z]{3}|58[0-9A-Z]{3}|57014|55P03|40001|40P01)$/;

/**
 * SQLSTATE classes that say the database is not set up for the statement, whatever the event:
 * 42 undefined table/column or no privilege, 28 authorization, 3D no database, 3F no schema.
 * Every event would fail alike, so these wait (readiness names the stalled partition) for a fix
 * instead of dead-lettering the whole log.
 */
const ENVIRONMENT_SQLSTATE_CLASSES = new Set(['42', '28', '3D', '3F']);

/** The error's SQLSTATE, or '' when it has none. */
function sqlState(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : '';
}

/** The reason a dead letter carries when the handler failed on an event. */
export function handlerFailureReason(error: unknown): string {
  if (!(error instanceof Error)) return `handler failed: ${String(error)}`;
  const { detail } = error as { detail?: unknown };
  const code = sqlState(error);
  return `handler failed: ${error.message}${code ? ` (SQLSTATE ${code})` : ''}${typeof detail === 'string' && detail ? `: ${detail}` : ''}`;
}
