import { Inject, Injectable } from '@nestjs/common';
import { isPlacementEvent, placementJson } from '@modelreg/deployments';
import { decide, governingPolicy, type GateDecision, type GatePolicy } from '@modelreg/gates';
import type { EventOrigin, GateEvaluated } from '@modelreg/events';
import { eventMessage, type ConsumedEvent, type DeadLetter } from '@modelreg/kafka';
import { withTransaction, type PoolClient } from '@modelreg/postgres';
import type { GateValidatorDependencies } from '../gate-validator-dependencies';
import { GATE_VALIDATOR_DEPENDENCIES, SERVICE_NAME } from '../gate-validator.constants';
import { gateStore } from '../state/gate-store';
import { recordLineageAndReproduction } from '../reproductions/reproduction-recorder';
import { decideOnRegistration, foldGateEvent, type GateValidatorState } from '../state/gate-validator-state';

export interface ReEvaluationRequest {
  modelName: string;
  modelVersion: number;
  origin: EventOrigin;
  /** When it was asked for: the decision's time. */
  requestedAt: number;
  /** A specific policy (re-evaluation under a newer or another policy); otherwise the one bound to the model. */
  policy?: GatePolicy;
}

/**
 * Turns the log into decisions: folds each event into the model's state (load, fold, save) and
 * decides on every newly registered version. A decision, the state it leads to and its
 * GateEvaluated event are committed together (outbox).
 */
@Injectable()
export class GateEvaluationService {
  constructor(@Inject(GATE_VALIDATOR_DEPENDENCIES) private readonly deps: GateValidatorDependencies) {}

  /** Applies consumed events inside the event ledger's transaction; returns what it could not use. */
  async applyEvents(client: PoolClient, events: ConsumedEvent[]): Promise<DeadLetter[]> {
    const rejected: DeadLetter[] = [];
    for (const consumed of events) {
      const { event } = consumed;
      if (event.type === 'RunRegistered') {
        const before = await gateStore.loadState(client, event.data.modelName, event.data.modelVersion);
        const registered = foldGateEvent(before, event);
        const policy = await this.policyFor(client, event.data.modelName);
        const decision = decideOnRegistration(registered, event.data, policy);
        if (!decision.ok) rejected.push({ source: consumed.source, reason: `gate not evaluated: ${decision.reason}` });
        await this.record(client, before, registered, decision);
        const notCompared = await recordLineageAndReproduction(client, this.deps, event.data, policy);
        if (notCompared) rejected.push({ source: consumed.source, reason: notCompared });
      } else if (isPlacementEvent(event)) {
        const before = await gateStore.loadState(client, event.data.modelName, null);
        await gateStore.saveState(client, before, foldGateEvent(before, event));
      }
    }
    return rejected;
  }

  /** Decides on a version again, now, and records the decision (HTTP re-evaluation); null for a version the gate has not seen. */
  reEvaluate(request: ReEvaluationRequest): Promise<GateDecision | null> {
    return withTransaction(this.deps.pool, (client) => this.reEvaluateIn(client, request));
  }

  private async reEvaluateIn(client: PoolClient, request: ReEvaluationRequest): Promise<GateDecision | null> {
    if (!(await gateStore.isRegistered(client, request.modelName, request.modelVersion))) return null;
    const state = await gateStore.loadState(client, request.modelName, request.modelVersion);
    const policy = request.policy ?? (await this.policyFor(client, request.modelName));
    const decision = decide(
      { modelName: request.modelName, candidateVersion: request.modelVersion, trigger: 'ReEvaluationRequested', policy, occurredAt: request.requestedAt, producer: SERVICE_NAME, origin: request.origin, causationId: null },
      state.gate,
    );
    await this.record(client, state, state, decision);
    return decision;
  }

  /** Every decision on a version, oldest first. */
  decisions(modelName: string, modelVersion: number): Promise<GateEvaluated[]> {
    return gateStore.listDecisions(this.deps.pool, modelName, modelVersion);
  }

  /** What the gate takes to serve each placement of the model (its baselines), as the placement fold left it. */
  async placements(modelName: string) {
    return (await gateStore.placements(this.deps.pool, modelName)).map((state) => ({ modelName: state.placement.modelName, ...placementJson(state) }));
  }

  private async policyFor(client: PoolClient, modelName: string): Promise<GatePolicy> {
    return governingPolicy(modelName, await gateStore.latestPolicies(client));
  }

  /** Saves the state a decision leads to (its verdict folded in), the decision, and queues GateEvaluated. */
  private async record(client: PoolClient, before: GateValidatorState, state: GateValidatorState, decision: GateDecision): Promise<void> {
    if (!decision.ok) return gateStore.saveState(client, before, state);
    await gateStore.saveState(client, before, foldGateEvent(state, { type: 'GateEvaluated', data: decision.event }));
    if (!(await gateStore.saveDecision(client, decision.event))) return;
    await this.deps.relay.enqueue(client, [eventMessage(this.deps.codec, this.deps.topics, { type: 'GateEvaluated', data: decision.event })]);
    this.deps.metrics.gateDecisions.inc({ verdict: decision.event.verdict, trigger: decision.event.trigger });
  }
}
