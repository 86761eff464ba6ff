/** Mirrors schemas/common/EventEnvelope.avsc, embedded in every event. */
export interface EventEnvelope {
  eventId: string;
  eventType: string;
  /** UTC milliseconds since the epoch. */
  occurredAt: number;
  producer: string;
  correlationId: string;
  causationId: string | null;
  subject: EventSubject;
}

export interface EventSubject {
  modelName: string;
  modelVersion: number | null;
}

/** What the caller supplies; ids and time are inputs so domain code stays pure. */
export interface EnvelopeInput {
  eventId: string;
  occurredAt: number;
  producer: string;
  correlationId: string;
  causationId?: string | null;
  modelName: string;
  modelVersion?: number | null;
}

export function buildEnvelope(eventType: string, input: EnvelopeInput): EventEnvelope {
  return {
    eventId: input.eventId,
    eventType,
    occurredAt: input.occurredAt,
    producer: input.producer,
    correlationId: input.correlationId,
    causationId: input.causationId ?? null,
    subject: { modelName: input.modelName, modelVersion: input.modelVersion ?? null },
  };
}
