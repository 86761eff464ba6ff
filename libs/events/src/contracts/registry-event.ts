import type { CanaryStarted, RolledBack } from './deployment-events';
import type { GateEvaluated, GatePolicyPublished } from './gate-evaluated';
import type { RunRegistered, RunSubmitted } from './run-registered';

/** Every event the registry appends, by its schema's record name. */
export interface EventPayloads {
  RunSubmitted: RunSubmitted;
  RunRegistered: RunRegistered;
  GateEvaluated: GateEvaluated;
  GatePolicyPublished: GatePolicyPublished;
  CanaryStarted: CanaryStarted;
  RolledBack: RolledBack;
}

export type EventName = keyof EventPayloads;

/** A decoded event, discriminated by `type` so handlers can switch exhaustively. */
export type RegistryEvent = { [K in EventName]: { type: K; data: EventPayloads[K] } }[EventName];

export const EVENT_NAMES: readonly EventName[] = ['RunSubmitted', 'RunRegistered', 'GateEvaluated', 'GatePolicyPublished', 'CanaryStarted', 'RolledBack'];

export function isEventName(name: string): name is EventName {
  return (EVENT_NAMES as readonly string[]).includes(name);
}
