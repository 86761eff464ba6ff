import { isTransientPostgresError } from '@modelreg/postgres';

/**
 * Whether trying the same work again later can succeed. Retriable: a dependency away or busy
 * (an error marked `retriable: true` such as KafkaUnavailableError, PostgresUnavailableError or
 * StorageUnavailableError; a lost or refused database connection; SQLSTATE 08*, 53*, 57P01..57P03,
 * 40001, 40P01). Everything else, any error a handler throws unmarked and any Postgres error
 * about the data (class 22, 23...), fails the same way every time: the event is at fault.
 * The first error in the cause chain that says `retriable` decides.
 */
export function isRetriable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 8; depth += 1) {
    const marked = (current as { retriable?: unknown }).retriable;
    if (typeof marked === 'boolean' && current.name !== 'KafkaJSNumberOfRetriesExceeded') return marked;
    if (isTransientPostgresError(current)) return true;
    current = current.cause;
  }
  return false;
}

/** The reason a dead letter carries when the handler failed on an event. */
export function handlerFailureReason(error: unknown): string {
  if (!(error instanceof Error)) return `handler failed: ${String(error)}`;
  const { code, detail } = error as { code?: unknown; detail?: unknown };
  const sqlState = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? ` (SQLSTATE ${code})` : '';
  return `handler failed: ${error.message}${sqlState}${typeof detail === 'string' && detail ? `: ${detail}` : ''}`;
}
