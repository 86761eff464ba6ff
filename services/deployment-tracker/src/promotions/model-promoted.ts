import { randomUUID } from 'node:crypto';
import type { Placement } from '@modelreg/deployments';
import { buildEnvelope, type EventOrigin } from '@modelreg/events';
import { eventMessage, type OutgoingMessage } from '@modelreg/kafka';
import type { DeploymentTrackerDependencies } from '../deployment-tracker-dependencies';

/** The passing gate decision a promotion rests on. */
export interface PassedDecision {
  modelVersion: number;
  decisionEventId: string;
  policyId: string;
  policyVersion: number;
}

/** ModelPromoted for one surface, caused by the passing decision: what deployment controllers consume. */
export function modelPromotedMessage(
  deps: DeploymentTrackerDependencies,
  placement: Placement,
  decision: PassedDecision,
  origin: EventOrigin,
): { eventId: string; message: OutgoingMessage } {
  const eventId = randomUUID();
  const message = eventMessage(deps.codec, deps.topics, {
    type: 'ModelPromoted',
    data: {
      envelope: buildEnvelope('ModelPromoted', {
        eventId,
        occurredAt: Date.now(),
        producer: deps.producer,
        ...origin,
        causationId: decision.decisionEventId,
        modelName: placement.modelName,
        modelVersion: decision.modelVersion,
      }),
      ...placement,
      modelVersion: decision.modelVersion,
      gateDecisionEventId: decision.decisionEventId,
      policyId: decision.policyId,
      policyVersion: decision.policyVersion,
    },
  });
  return { eventId, message };
}
