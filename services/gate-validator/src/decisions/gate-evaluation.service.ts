import { Inject, Injectable } from '@nestjs/common';
import { isPlacementEvent, placementJson } from '@modelreg/deployments';
import { decide, governingPolicy, type GateDecision, type GatePolicy } from '@modelreg/gates';
import type { EventOrigin, GateEvaluated, ReproductionRecorded } from '@modelreg/events';
import { eventMessage, type ConsumedEvent, type DeadLetter } from '@modelreg/kafka';
import { withTransaction, type PoolClient } from '@modelreg/postgres';
import type { GateValidatorDependencies } from '../gate-validator-dependencies';
import { GATE_VALIDATOR_DEPENDENCIES, SERVICE_NAME } from '../gate-validator.constants';
import { gateStore } from '../state/gate-store';
import { ReproductionRecorder } from '../reproductions/reproduction-recorder';
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

  /**
   * Applies consumed events inside the event ledger's transaction; returns what it could not use.
   * The batch is folded in memory, in log order, from the states loaded once for its models; then
   * the states, decisions, lineage and queued events are written set-based, a few statements per
   * batch rather than a dozen per event. Its events are queued in one call, in log order, so each
   * stream's chain head is locked and moved once per batch.
   */
  async applyEvents(client: PoolClient, events: ConsumedEvent[]): Promise<DeadLetter[]> {
    const registrations = events.flatMap(({ event }) => (event.type === 'RunRegistered' ? [event.data] : []));
    const candidates = new Map<string, number[]>();
    for (const { event } of events) {
      if (event.type !== 'RunRegistered' && !isPlacementEvent(event)) continue;
      const versions = candidates.get(event.data.modelName) ?? [];
      if (event.type === 'RunRegistered') versions.push(event.data.modelVersion);
      candidates.set(event.data.modelName, versions);
    }
    if (candidates.size === 0) return [];
    const loaded = await gateStore.loadStates(client, candidates);
    const states = new Map(loaded);
    const policies = registrations.length > 0 ? await gateStore.latestPolicies(client) : [];
    const reproductions = new ReproductionRecorder();
    await reproductions.prepare(client, registrations);
    const rejected: DeadLetter[] = [];
    const queued: Array<{ type: 'GateEvaluated'; data: GateEvaluated } | { type: 'ReproductionRecorded'; data: ReproductionRecorded }> = [];
    for (const consumed of events) {
      const { event } = consumed;
      if (event.type === 'RunRegistered') {
        const registered = foldGateEvent(states.get(event.data.modelName) as GateValidatorState, event);
        const policy = governingPolicy(event.data.modelName, policies);
        const decision = decideOnRegistration(registered, event.data, policy);
        if (!decision.ok) rejected.push({ source: consumed.source, reason: `gate not evaluated: ${decision.reason}` });
        states.set(
          event.data.modelName,
          decision.ok ? foldGateEvent(registered, { type: 'GateEvaluated', data: decision.event }) : registered,
        );
        if (decision.ok) queued.push({ type: 'GateEvaluated', data: decision.event });
        const reproduction = reproductions.compare(event.data, policy);
        if (reproduction && 'notCompared' in reproduction) rejected.push({ source: consumed.source, reason: reproduction.notCompared });
        if (reproduction && 'recorded' in reproduction) queued.push({ type: 'ReproductionRecorded', data: reproduction.recorded });
      } else if (isPlacementEvent(event)) {
        states.set(event.data.modelName, foldGateEvent(states.get(event.data.modelName) as GateValidatorState, event));
      }
    }
    await gateStore.saveStates(
      client,
      [...states].map(([modelName, after]) => ({ before: loaded.get(modelName) as GateValidatorState, after })),
    );
    await this.queue(client, queued);
    await reproductions.save(client);
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
      {
        modelName: request.modelName,
        candidateVersion: request.modelVersion,
        trigger: 'ReEvaluationRequested',
        policy,
        occurredAt: request.requestedAt,
        producer: SERVICE_NAME,
        origin: request.origin,
        causationId: null,
      },
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
    return (await gateStore.placements(this.deps.pool, modelName)).map((state) => ({
      modelName: state.placement.modelName,
      ...placementJson(state),
    }));
  }

  private async policyFor(client: PoolClient, modelName: string): Promise<GatePolicy> {
    return governingPolicy(modelName, await gateStore.latestPolicies(client));
  }

  /** Saves the state a decision leads to (its verdict folded in), the decision, and queues GateEvaluated. */
  private async record(client: PoolClient, before: GateValidatorState, state: GateValidatorState, decision: GateDecision): Promise<void> {
    if (!decision.ok) return gateStore.saveState(client, before, state);
    await gateStore.saveState(client, before, foldGateEvent(state, { type: 'GateEvaluated', data: decision.event }));
    await this.queue(client, [{ type: 'GateEvaluated', data: decision.event }]);
  }

  /**
   * Records the decisions among these events (a decision on record already, same id, is neither
   * recorded nor queued again) and queues the events, in their order, in one relay call.
   */
  private async queue(
    client: PoolClient,
    events: ReadonlyArray<{ type: 'GateEvaluated'; data: GateEvaluated } | { type: 'ReproductionRecorded'; data: ReproductionRecorded }>,
  ): Promise<void> {
    const added = await gateStore.saveDecisions(
      client,
      events.flatMap((event) => (event.type === 'GateEvaluated' ? [event.data] : [])),
    );
    const fresh = events.filter((event) => event.type !== 'GateEvaluated' || added.delete(event.data.envelope.eventId));
    if (fresh.length === 0) return;
    await this.deps.relay.enqueue(
      client,
      fresh.map((event) => eventMessage(this.deps.codec, this.deps.topics, event)),
    );
    for (const event of fresh)
      if (event.type === 'GateEvaluated') this.deps.metrics.gateDecisions.inc({ verdict: event.data.verdict, trigger: event.data.trigger });
  }
}
