import type { GateEvaluated, RegistryEvent } from '@modelreg/events';
import { governingPolicy, type GatePolicy } from '@modelreg/gates';
import { decideOnRegistration, foldGateEvent, initialGateValidatorState, type GateValidatorState } from './gate-validator-state';

/** An event of the log with where and when the log recorded it. */
export interface LoggedEvent {
  event: RegistryEvent;
  topic: string;
  partition: number;
  offset: string;
  /** Broker append time (or producer create time), ms. */
  timestamp: number;
}

/**
 * The order the gate validator applied events in, as near as the log tells it: by the time each
 * was appended, then topic and offset. Within one partition of a topic that is the log order;
 * across topics it is the order of appending, which is the order of application as long as an
 * event is applied before the next one on another topic is appended (a registration is decided
 * before a deployment report about a later state of the model arrives).
 */
export function inLogOrder(events: readonly LoggedEvent[]): LoggedEvent[] {
  return [...events].sort(
    (a, b) =>
      a.timestamp - b.timestamp ||
      (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0) ||
      a.partition - b.partition ||
      Number(BigInt(a.offset) - BigInt(b.offset)),
  );
}

/**
 * Rebuilds the gate from the log: folds every event through the same steps as the live service
 * (`foldGateEvent`, `decideOnRegistration`) and returns the decisions registrations cause. The
 * log's own registration decisions are what is to be reproduced, so they are not folded in;
 * re-evaluations (asked for over HTTP, not derivable from the log) and policies are. An event id
 * seen before (a redelivery) changes nothing, as in the live event ledger. Pure.
 */
export function rebuildDecisions(events: readonly LoggedEvent[]): GateEvaluated[] {
  const states = new Map<string, GateValidatorState>();
  const policies = new Map<string, GatePolicy>();
  const seen = new Set<string>();
  const decisions: GateEvaluated[] = [];
  for (const { event } of inLogOrder(events)) {
    if (seen.has(event.data.envelope.eventId)) continue;
    seen.add(event.data.envelope.eventId);
    if (event.type === 'GatePolicyPublished') {
      const latest = policies.get(event.data.policyId);
      if (!latest || latest.version < event.data.policyVersion)
        policies.set(event.data.policyId, JSON.parse(event.data.document) as GatePolicy);
      continue;
    }
    if (event.type === 'GateEvaluated' && event.data.trigger === 'RunRegistered') continue;
    const modelName = event.data.envelope.subject.modelName;
    const state = foldGateEvent(states.get(modelName) ?? initialGateValidatorState(modelName), event);
    if (event.type !== 'RunRegistered') {
      states.set(modelName, state);
      continue;
    }
    const decision = decideOnRegistration(state, event.data, governingPolicy(modelName, [...policies.values()]));
    if (!decision.ok) {
      states.set(modelName, state);
      continue;
    }
    seen.add(decision.event.envelope.eventId);
    decisions.push(decision.event);
    states.set(modelName, foldGateEvent(state, { type: 'GateEvaluated', data: decision.event }));
  }
  return decisions;
}
