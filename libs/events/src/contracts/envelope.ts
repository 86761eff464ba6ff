import type { EventPrincipal } from './principal';

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
  /** Who asked: the originating request's principal, carried on to the events it caused. */
  principal: EventPrincipal | null;
  /** The originating HTTP request's id, carried on to the events it caused. */
  requestId: string | null;
  /** Set by the outbox when it signs the event; null on events from outside parties. */
  signingKeyId: string | null;
  /** Ed25519 signature (base64) over the event encoded with this field null. */
  signature: string | null;
  /** SHA-256 (hex) of the previous event of this subject's stream on the same topic; null on a stream's first event. */
  previousEventHash: string | null;
}

export interface EventSubject {
  modelName: string;
  modelVersion: number | null;
}

/**
 * Where an event comes from: the request (or the event carrying a request's origin) that caused it.
 * The HTTP layer's RequestOrigin has this shape; events caused by events take `originOf(cause)`.
 */
export interface EventOrigin {
  correlationId: string;
  requestId: string | null;
  principal: EventPrincipal | null;
}

/** The origin an event hands on to the events it causes. */
export function originOf(cause: EventEnvelope): EventOrigin {
  return { correlationId: cause.correlationId, requestId: cause.requestId, principal: cause.principal };
}

/**
 * The origin handed on by an event an outside party wrote to an inbound topic (run submissions,
 * deployment reports over Kafka): only its correlation id. Its envelope's principal and request id
 * are the writer's own claims, unauthenticated (the topic is guarded by Kafka ACLs, not signatures).
 */
export function outsideOrigin(cause: EventEnvelope): EventOrigin {
  return { correlationId: cause.correlationId, requestId: null, principal: null };
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
  requestId?: string | null;
  principal?: EventPrincipal | null;
}

/** A new, unsigned envelope: the outbox signs and chains it when it stores the event. */
export function buildEnvelope(eventType: string, input: EnvelopeInput): EventEnvelope {
  return {
    eventId: input.eventId,
    eventType,
    occurredAt: input.occurredAt,
    producer: input.producer,
    correlationId: input.correlationId,
    causationId: input.causationId ?? null,
    subject: { modelName: input.modelName, modelVersion: input.modelVersion ?? null },
    principal: input.principal ?? null,
    requestId: input.requestId ?? null,
    signingKeyId: null,
    signature: null,
    previousEventHash: null,
  };
}
