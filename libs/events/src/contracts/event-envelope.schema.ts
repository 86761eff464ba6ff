import { z } from 'zod';
import { IsoTime, isoTime, named } from '@modelreg/validation';
import type { EventEnvelope } from './envelope';

/** The JSON shape of an event's EventEnvelope (./envelope.ts) where an answer carries the event as it was appended (`envelopeJson`). */
export const EventPrincipalSchema = named(
  'EventPrincipal',
  z.object({ subject: z.string(), issuer: z.string(), roles: z.array(z.string()) }),
);

export const EventEnvelopeSchema = named(
  'EventEnvelope',
  z.object({
    eventId: z.string(),
    eventType: z.string(),
    occurredAt: IsoTime,
    producer: z.string(),
    correlationId: z.string(),
    causationId: z.string().nullable(),
    subject: z.object({ modelName: z.string(), modelVersion: z.int().nullable() }),
    principal: EventPrincipalSchema.nullable(),
    requestId: z.string().nullable(),
    signingKeyId: z.string().nullable(),
    signature: z.string().nullable(),
    previousEventHash: z.string().nullable(),
  }),
);

/**
 * An envelope as answers carry it: the appended fields, the time in ISO 8601 (the signature covers the Avro
 * record, see the audit export).
 */
export function envelopeJson(envelope: EventEnvelope) {
  return { ...envelope, occurredAt: isoTime(envelope.occurredAt) };
}
