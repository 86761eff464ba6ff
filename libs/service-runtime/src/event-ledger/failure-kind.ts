import { isTransientPostgresError } from '@modelreg/postgres';

/**
 * Whether trying the same work again later can succeed. Retriable: a dependency away or busy (an
 * error marked `retriable: true` such as KafkaUnavailableError, PostgresUnavailableError or
 * ObjectStoreUnavailableError; a lost or refused database connection; see
 * isTransientPostgresError for the SQLSTATEs; a database not set up for the statement, see
 * ENVIRONMENT_SQLSTATE_CLASSES). Everything else, any error a handler throws
 * unmarked and any Postgres error about the data (class 22, 23...), fails the same way every
 * time: the event is at fault. The first error in the cause chain that says `retriable` decides.
 */
export function isRetriable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 8; depth += 1) {
    const marked = (current as { retriable?: unknown }).retriable;
    if (typeof marked === 'boolean' && current.name !== 'KafkaJSNumberOfRetriesExceeded') return marked;
    if (isTransientPostgresError(current) || isEnvironmentFault(current)) return true;
    current = current.cause;
  }
  return false;
}

/**
 * SQLSTATE classes that say the database is not set up for the statement, whatever the event:
 * 42 undefined table/column or no privilege, 28 authorization, 3D no database, 3F no schema.
 * Every event would fail alike, so these wait (readiness names the stalled partition) for a fix
 * instead of dead-lettering the whole log.
 */
const ENVIRONMENT_SQLSTATE_CLASSES = new Set(['42', '28', '3D', '3F']);

function isEnvironmentFault(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && ENVIRONMENT_SQLSTATE_CLASSES.has(code.slice(0, 2));
}

/** The reason a dead letter carries when the handler failed on an event. */
export function handlerFailureReason(error: unknown): string {
  if (!(error instanceof Error)) return `handler failed: ${String(error)}`;
  const { code, detail } = error as { code?: unknown; detail?: unknown };
  const sqlState = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? ` (SQLSTATE ${code})` : '';
  return `handler failed: ${error.message}${sqlState}${typeof detail === 'string' && detail ? `: ${detail}` : ''}`;
}
