import { EventTooLargeError, type ConsumedEvent, type DeadLetter } from '@modelreg/kafka';
import { runSubmittedToSubmissionJson, validateRunSubmission } from '@modelreg/lineage';
import { outsideOrigin } from '@modelreg/events';
import type { PoolClient } from '@modelreg/postgres';
import type { FieldError } from '@modelreg/validation';
import type { RunRegistrationService } from './run-registration.service';

/**
 * The Kafka path for training clusters: each RunSubmitted is validated exactly like a POST
 * /v1/runs body and registered in the event ledger's transaction; what cannot be registered
 * goes to the dead-letter topic with the fields at fault. Registration is idempotent by training
 * run id, and the ledger applies each submission once, so a redelivery is a no-op.
 */
export async function applyRunSubmissions(
  registrations: RunRegistrationService,
  client: PoolClient,
  events: ConsumedEvent[],
): Promise<DeadLetter[]> {
  const rejected: DeadLetter[] = [];
  for (const consumed of events) {
    const reason = await registerSubmission(registrations, client, consumed);
    if (reason) rejected.push({ source: consumed.source, reason });
  }
  return rejected;
}

async function registerSubmission(
  registrations: RunRegistrationService,
  client: PoolClient,
  consumed: ConsumedEvent,
): Promise<string | null> {
  const { event } = consumed;
  if (event.type !== 'RunSubmitted') return `unexpected ${event.type} on the run-submissions topic`;
  const validated = validateRunSubmission(runSubmittedToSubmissionJson(event.data));
  if (!validated.ok) return `invalid run submission: ${describe(validated.errors)}`;
  const outcome = await registrations
    .registerWithin(client, validated.value, outsideOrigin(event.data.envelope), event.data.envelope.eventId)
    .catch((error: unknown) => {
      if (error instanceof EventTooLargeError) return { kind: 'too-large' as const, message: error.message };
      throw error;
    });
  switch (outcome.kind) {
    case 'registered':
    case 'already-registered':
      return null;
    case 'invalid':
      return `invalid run submission: ${describe(outcome.errors)}`;
    case 'conflict':
      return `conflict: ${outcome.message}`;
    case 'too-large':
      return `event too large: ${outcome.message}`;
    default: {
      const unreachable: never = outcome;
      throw new Error(`unhandled ${String(unreachable)}`);
    }
  }
}

function describe(errors: FieldError[]): string {
  return errors.map((error) => `${error.field} ${error.message}`).join('; ');
}
