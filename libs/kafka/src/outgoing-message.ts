import type { EventCodec, RegistryEvent, TopicNames } from '@modelreg/events';
import { TOPIC_ROLE_OF_EVENT } from '@modelreg/events';

/** A record ready for the bus: already encoded, keyed by model name. */
export interface OutgoingMessage {
  topic: string;
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

export const HEADER_EVENT_TYPE = 'modelreg-event-type';
export const HEADER_EVENT_ID = 'modelreg-event-id';
export const HEADER_CORRELATION_ID = 'modelreg-correlation-id';
/** The id of the event this one answers, where it answers one: traces follow it (see docs/OPERATIONS.md). */
export const HEADER_CAUSATION_ID = 'modelreg-causation-id';

/** Encodes an event for its context's topic. The key is the model name so one model's history stays ordered. */
export function eventMessage(codec: EventCodec, topics: TopicNames, event: RegistryEvent): OutgoingMessage {
  const { envelope } = event.data;
  return {
    topic: topics[TOPIC_ROLE_OF_EVENT[event.type]],
    key: envelope.subject.modelName,
    value: codec.encode(event),
    headers: {
      [HEADER_EVENT_TYPE]: event.type,
      [HEADER_EVENT_ID]: envelope.eventId,
      [HEADER_CORRELATION_ID]: envelope.correlationId,
      ...(envelope.causationId ? { [HEADER_CAUSATION_ID]: envelope.causationId } : {}),
    },
  };
}
