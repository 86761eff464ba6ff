import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { decide, governingPolicy, type GateDecision, type GatePolicy, type GateTrigger } from '@modelreg/gates';
import { eventMessage, type ConsumedEvent, type DeadLetter } from '@modelreg/kafka';
import type { PoolClient } from '@modelreg/postgres';
import { enqueueOutbox } from '@modelreg/service-runtime';
import type { GateValidatorDependencies } from '../gate-validator-dependencies';
import { GATE_VALIDATOR_DEPENDENCIES, GATES_SCHEMA } from '../gate-validator.constants';
import { gateStore } from '../state/gate-store';

export interface EvaluationRequest {
  modelName: string;
  modelVersion: number;
  trigger: GateTrigger;
  correlationId: string;
  causationId: string | null;
  /** A specific policy (re-evaluation under a newer or another policy); otherwise the one bound to the model. */
  policy?: GatePolicy;
}

/**
 * Turns the log into decisions: records what it needs of each event and evaluates every newly
 * registered version. A decision and its GateEvaluated event are committed together (outbox).
 */
@Injectable()
export class GateEvaluationService {
  constructor(@Inject(GATE_VALIDATOR_DEPENDENCIES) private readonly deps: GateValidatorDependencies) {}

  /** Applies consumed events inside the event ledger's transaction; returns what it could not use. */
  async applyEvents(client: PoolClient, events: ConsumedEvent[]): Promise<DeadLetter[]> {
    const rejected: DeadLetter[] = [];
    for (const consumed of events) {
      const { event } = consumed;
      switch (event.type) {
        case 'RunRegistered': {
          const { modelName, modelVersion, metrics, artifacts, envelope } = event.data;
          await gateStore.saveSubject(client, { modelName, modelVersion, metrics, artifacts });
          const decision = await this.evaluate(client, { modelName, modelVersion, trigger: 'RunRegistered', correlationId: envelope.correlationId, causationId: envelope.eventId });
          if (!decision.ok) rejected.push({ source: consumed.source, reason: `gate not evaluated: ${decision.reason}` });
          break;
        }
        case 'RolledBack':
          await gateStore.setServing(client, event.data.modelName, event.data.environment, event.data.toVersion);
          break;
        case 'RolloutCompleted':
          await gateStore.setServing(client, event.data.modelName, event.data.environment, event.data.modelVersion);
          break;
        case 'DeploymentRetired':
          await gateStore.clearServing(client, event.data.modelName, event.data.environment, event.data.modelVersion);
          break;
        case 'RunSubmitted':
        case 'GateEvaluated':
        case 'GatePolicyPublished':
        case 'ModelPromoted':
        case 'CanaryStarted':
        case 'CanaryTrafficChanged':
        case 'OnlineMetricsReported':
        case 'AbTestConcluded':
        case 'OfflineOnlineDivergenceDetected':
        case 'RollbackRecommended':
        case 'DeploymentReportRejected':
        case 'DeploymentReportSubmitted':
          break;
        default: {
          const unreachable: never = event;
          throw new Error(`unhandled ${String(unreachable)}`);
        }
      }
    }
    return rejected;
  }

  /** Decides on a version now and, when it could, records the decision and queues GateEvaluated. */
  async evaluate(client: PoolClient, request: EvaluationRequest): Promise<GateDecision> {
    const policy = request.policy ?? (await this.policyFor(client, request.modelName));
    const state = await gateStore.loadState(client, request.modelName, request.modelVersion);
    const decision = decide(
      {
        modelName: request.modelName,
        candidateVersion: request.modelVersion,
        trigger: request.trigger,
        policy,
        eventId: randomUUID(),
        occurredAt: Date.now(),
        producer: this.deps.producer,
        correlationId: request.correlationId,
        causationId: request.causationId,
      },
      state,
    );
    if (decision.ok) {
      await gateStore.saveDecision(client, decision.event);
      await enqueueOutbox(client, GATES_SCHEMA, [eventMessage(this.deps.codec, this.deps.topics, { type: 'GateEvaluated', data: decision.event })]);
    }
    return decision;
  }

  /** The policy governing the model under the policies published so far. */
  async policyFor(client: PoolClient, modelName: string): Promise<GatePolicy> {
    return governingPolicy(modelName, await gateStore.latestPolicies(client));
  }
}
