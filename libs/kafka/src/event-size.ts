import { HEADER_EVENT_TYPE, type OutgoingMessage } from './outgoing-message';

/** Bytes a v2 record batch spends besides its records (its header), so one record of N bytes makes a batch of N + this. */
export const RECORD_BATCH_HEADER_BYTES = 61;
/**
 * A record's own framing in a v2 batch at its widest: length, attributes, timestamp and offset deltas, key
 * and value lengths, header count.
 */
const RECORD_FRAMING_BYTES = 5 + 1 + 10 + 5 + 5 + 5 + 5;
/** Key and value lengths of one header at their widest. */
const HEADER_FRAMING_BYTES = 10;

/**
 * The size of a message as one uncompressed Kafka record (key, value, headers and framing): what
 * MAX_EVENT_BYTES bounds. An upper bound, so a record within it is never refused by the broker.
 */
export function recordBytes(message: OutgoingMessage): number {
  let bytes = RECORD_FRAMING_BYTES + Buffer.byteLength(message.key) + message.value.length;
  for (const [name, value] of Object.entries(message.headers))
    bytes += HEADER_FRAMING_BYTES + Buffer.byteLength(name) + Buffer.byteLength(value);
  return bytes;
}

/**
 * Room kept for the seal the outbox adds to an event as it queues it (key id, previous event hash,
 * Ed25519 signature in base64, their union branches): the checked size is the unsealed size plus this.
 */
export const SEAL_RESERVE_BYTES = 256;

/**
 * An event larger than the largest the registry appends (MAX_EVENT_BYTES): retrying cannot help; the request
 * is refused (413) or dead-lettered.
 */
export class EventTooLargeError extends Error {
  readonly retriable = false;
  constructor(
    readonly eventType: string,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(
      `the ${eventType} event would be ${bytes} bytes, more than the ${limit} bytes an event may have (MAX_EVENT_BYTES); ` +
        'nothing was recorded',
    );
    this.name = 'EventTooLargeError';
  }
}

/**
 * The messages, once each is known to fit in MAX_EVENT_BYTES. Call it before anything is written, so a
 * request is never acknowledged with an event the broker would refuse.
 */
export function ensureEventsFit(messages: OutgoingMessage[], maxEventBytes: number): OutgoingMessage[] {
  for (const message of messages) {
    const bytes = recordBytes(message) + SEAL_RESERVE_BYTES;
    if (bytes > maxEventBytes) throw new EventTooLargeError(message.headers[HEADER_EVENT_TYPE] ?? 'unnamed', bytes, maxEventBytes);
  }
  return messages;
}
