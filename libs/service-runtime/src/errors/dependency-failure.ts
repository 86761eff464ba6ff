import { isKafkaConnectionError } from '@modelreg/kafka';
import { isPostgresConnectionError } from '@modelreg/postgres';

/** What a client is told when a dependency is down: retry later, this one is why. */
export interface DependencyFailure {
  /** `postgres`, `kafka`, `s3`, or `unknown` for a retriable error that names none. */
  dependency: string;
  message: string;
}

/**
 * Classifies an error thrown while serving a request: a failure of a dependency that may come back
 * (our adapters' errors marked `retriable`, and raw pg and kafkajs connection errors), or null for
 * everything else. Follows `cause` so a wrapped connection error is still recognised.
 */
export function dependencyFailure(error: unknown, depth = 0): DependencyFailure | null {
  if (!(error instanceof Error) || depth > 4) return null;
  const marked = error as { retriable?: unknown; dependency?: unknown };
  if (marked.retriable === true && typeof marked.dependency === 'string') return { dependency: marked.dependency, message: error.message };
  if (isPostgresConnectionError(error)) return { dependency: 'postgres', message: error.message };
  if (isKafkaConnectionError(error)) return { dependency: 'kafka', message: error.message };
  const fromCause = dependencyFailure(error.cause, depth + 1);
  if (fromCause) return fromCause;
  return marked.retriable === true ? { dependency: 'unknown', message: error.message } : null;
}
