/** The broker could not be reached or refused a write; retrying later can help. */
export class KafkaUnavailableError extends Error {
  readonly retriable = true;
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'KafkaUnavailableError';
  }
}
