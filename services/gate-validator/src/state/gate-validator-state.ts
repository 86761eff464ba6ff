import {
  emptyPlacement,
  evolvePlacement,
  isPlacementEvent,
  liveDeployments,
  samePlacement,
  type PlacementState,
} from '@modelreg/deployments';
import { originOf, type RegistryEvent, type RunRegistered } from '@modelreg/events';
import { decide, evolve, initialGateState, type GateDecision, type GateModelState, type GatePolicy } from '@modelreg/gates';
import { SERVICE_NAME } from '../gate-validator.constants';

/** What the gate validator knows of one model: the gate's state, and the placement fold's state of each placement. */
export interface GateValidatorState {
  gate: GateModelState;
  placements: readonly PlacementState[];
}

export function initialGateValidatorState(modelName: string): GateValidatorState {
  return { gate: initialGateState(modelName), placements: [] };
}

/**
 * Folds one event into the state: deployment events through the deployments' placement fold, the
 * rest through the gate's `evolve`. The live service (load, fold, save) and the rebuild (in
 * memory, from offset 0) both go through here.
 */
export function foldGateEvent(state: GateValidatorState, event: RegistryEvent): GateValidatorState {
  if (!isPlacementEvent(event)) return { ...state, gate: evolve(state.gate, event) };
  const { modelName, service, surface, environment } = event.data;
  const where = { modelName, service, surface, environment };
  const current = state.placements.find((placement) => samePlacement(placement.placement, where)) ?? emptyPlacement(where);
  const next = evolvePlacement(current, event);
  return withPlacements(state, [...state.placements.filter((placement) => placement !== current), next]);
}

/** The state with these placements, the gate seeing what serves each. */
export function withPlacements(state: GateValidatorState, placements: readonly PlacementState[]): GateValidatorState {
  const serving = placements.map(({ placement, servingVersion }) => ({
    service: placement.service,
    surface: placement.surface,
    environment: placement.environment,
    servingVersion,
  }));
  return { placements, gate: { ...state.gate, placements: serving } };
}

/**
 * The decision a registration causes: under the policy governing the model then, at the time of
 * the registration, named after the service (not an instance), so the rebuild reproduces it.
 */
export function decideOnRegistration(state: GateValidatorState, registered: RunRegistered, policy: GatePolicy): GateDecision {
  const { envelope, modelName, modelVersion } = registered;
  return decide(
    {
      modelName,
      candidateVersion: modelVersion,
      trigger: 'RunRegistered',
      policy,
      occurredAt: envelope.occurredAt,
      producer: SERVICE_NAME,
      origin: originOf(envelope),
      causationId: envelope.eventId,
    },
    state.gate,
  );
}

/** What the gate validator stores of a placement: its state without ended deployments (no rule looks at them). */
export function placementDocument(state: PlacementState): PlacementState {
  return { ...state, deployments: liveDeployments(state) };
}
