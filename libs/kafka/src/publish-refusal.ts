/**
 * Produce errors that no retry can fix: the records themselves are at fault. Everything else
 * (a broker down, a leader moving, a timeout, an authorization an operator can fix) is retriable.
 * kafkajs marks CORRUPT_MESSAGE retriable too: the broker reports it for bytes damaged in transit.
 */
const REFUSALS = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD', 'INVALID_TOPIC_EXCEPTION']);

/**
 * Why the broker refused a send for good (`MESSAGE_TOO_LARGE: …`), or null when retrying can help.
 * kafkajs wraps the broker's protocol error (`type`) in retry errors; the chain is walked via `cause`.
 */
export function publishRefusal(error: unknown): string | null {
  const seen = new Set<unknown>();
  for (
    let current = error;
    current && typeof current === 'object' && !seen.has(current);
    current = (current as { cause?: unknown }).cause
  ) {
    seen.add(current);
    const { type, message } = current as { type?: unknown; message?: unknown };
    if (typeof type === 'string' && REFUSALS.has(type)) return `${type}: ${String(message)}`;
  }
  return null;
}
