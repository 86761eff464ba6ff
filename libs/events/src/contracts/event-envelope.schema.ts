import { z } from 'zod';
import { named } from '@modelreg/validation';

/** The JSON shape of an event's EventEnvelope (./envelope.ts) where an answer carries the event as it was appended. */
export const EventPrincipalSchema = named('EventPrincipal', z.object({ subject: z.string(), issuer: z.string(), roles: z.array(z.string()) }));

export const EventEnvelopeSchema = named('EventEnvelope', z.object({
  eventId: z.string(),
  eventType: z.string(),
  occurredAt: z.int().describe('UTC milliseconds since the epoch, as the Avro event carries it'),
  producer: z.string(),
  correlationId: z.string(),
  causationId: z.string().nullable(),
  subject: z.object({ modelName: z.string(), modelVersion: z.int().nullable() }),
  principal: EventPrincipalSchema.nullable(),
  requestId: z.string().nullable(),
  signingKeyId: z.string().nullable(),
  signature: z.string().nullable(),
  previousEventHash: z.string().nullable(),
}));
