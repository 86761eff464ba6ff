/** The broker could not be reached or refused a write; retrying later can help. */
export class KafkaUnavailableError extends Error {
  readonly retriable = true;
  readonly dependency = 'kafka';
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'KafkaUnavailableError';
  }
}

/**
 * The broker refused a record for good (too large, invalid, no such topic): sending it again can
 * never succeed, so it must be moved aside rather than retried.
 */
export class KafkaRecordRefusedError extends Error {
  readonly retriable = false;
  constructor(
    /** Why, for the dead-letter record: the broker's error type and what it means. */
    readonly reason: string,
    cause?: unknown,
  ) {
    super(`the broker refused the record(s): ${reason}`, { cause });
    this.name = 'KafkaRecordRefusedError';
  }
}

/** kafkajs gives up on an unreachable broker with these, which it does not mark retriable. */
const GAVE_UP = new Set([
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSConnectionError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
]);

/** True for kafkajs's own errors that say the broker is unreachable or busy, so retrying later can help. */
export function isKafkaConnectionError(error: unknown): boolean {
  if (error instanceof KafkaUnavailableError) return true;
  if (!(error instanceof Error) || !error.name.startsWith('KafkaJS')) return false;
  return (error as { retriable?: unknown }).retriable === true || GAVE_UP.has(error.name);
}

/**
 * Runs `attempt` again while it fails with a retriable Kafka error (a topic another instance created
 * a moment ago that this broker does not know yet, a leader moving), up to `attempts` tries.
 */
export async function retryWhileRetriable<T>(attempt: () => Promise<T>, options: { attempts?: number; delayMs?: number } = {}): Promise<T> {
  const attempts = options.attempts ?? 40;
  const delayMs = options.delayMs ?? 250;
  for (let tried = 1; ; tried += 1) {
    try {
      return await attempt();
    } catch (error) {
      if ((error as { retriable?: boolean }).retriable !== true || tried >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
