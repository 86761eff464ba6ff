/** A message that cannot be turned into an event. Never retriable: it goes to the dead-letter topic. */
export class EventDecodeError extends Error {
  readonly retriable = false;
  constructor(
    message: string,
    readonly fingerprintHex?: string,
  ) {
    super(message);
    this.name = 'EventDecodeError';
  }
}

/** An event value that does not fit its schema; names the first field at fault. */
export class EventEncodeError extends Error {
  readonly retriable = false;
  constructor(
    message: string,
    readonly fieldPath: string,
  ) {
    super(message);
    this.name = 'EventEncodeError';
  }
}
