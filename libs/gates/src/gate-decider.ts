import { buildEnvelope, type EventOrigin, type GateEvaluated, type PlacementBaseline, type RegistryEvent } from '@modelreg/events';
import { resolveBaselines, type ServingPlacement } from './baseline/resolve-baseline';
import { decisionId } from './decision-id';
import type { GateSubject } from './evaluation/check-context';
import { evaluateGate } from './evaluation/evaluate-gate';
import type { GatePolicy } from './policy/gate-policy';
import { policyContentHash } from './policy/policy-selection';

/** What the gate knows about one model, built by `evolve` from the log. */
export interface GateModelState {
  modelName: string;
  subjects: ReadonlyMap<number, GateSubject>;
  /** Latest verdict per version. */
  verdicts: ReadonlyMap<number, 'PASSED' | 'FAILED'>;
  /**
   * What serves each placement of the model. The deployments' placement fold decides it (the gate
   * validator folds deployment events with it), so every service agrees on what serves where.
   */
  placements: readonly ServingPlacement[];
}

export type GateTrigger = 'RunRegistered' | 'ReEvaluationRequested';

/**
 * Command: decide on a candidate. Time is an input (the causing event's time, or the request's),
 * and the decision's id is derived from its inputs, so the same inputs give the same decision.
 */
export interface EvaluateGate {
  modelName: string;
  candidateVersion: number;
  trigger: GateTrigger;
  policy: GatePolicy;
  occurredAt: number;
  producer: string;
  /** The originating request's correlation id, request id and principal (the causing event's, where one caused it). */
  origin: EventOrigin;
  causationId: string | null;
}

export type GateDecision = { ok: true; event: GateEvaluated } | { ok: false; reason: string };

export function initialGateState(modelName: string): GateModelState {
  return { modelName, subjects: new Map(), verdicts: new Map(), placements: [] };
}

/**
 * Decides a gate: resolves one baseline per placement serving in the policy's environment (or the
 * latest passed version when none serves), evaluates every check against each, and records it all.
 * The verdict passes only when every evaluation passed; the top-level baseline and checks are the
 * first failing evaluation's, else the first one's. Pure.
 */
export function decide(command: EvaluateGate, state: GateModelState): GateDecision {
  const candidate = state.subjects.get(command.candidateVersion);
  if (!candidate) return { ok: false, reason: `${command.modelName} v${command.candidateVersion} is not registered` };
  const passedVersions = [...state.verdicts.entries()].filter(([, verdict]) => verdict === 'PASSED').map(([version]) => version);
  const baselines: PlacementBaseline[] = [];
  for (const baseline of resolveBaselines(
    command.policy.baseline,
    { placements: state.placements, passedVersions },
    command.candidateVersion,
  )) {
    const baselineSubject = baseline.version === null ? null : (state.subjects.get(baseline.version) ?? null);
    if (baseline.version !== null && !baselineSubject)
      return { ok: false, reason: `baseline v${baseline.version} of ${command.modelName} is not known to the gate` };
    const evaluation = evaluateGate(candidate, baselineSubject, command.policy);
    baselines.push({
      placement: baseline.placement,
      baselineVersion: baseline.version,
      baselineRule: baseline.rule,
      checks: evaluation.checks,
      verdict: evaluation.verdict,
      eligibleForDeployment: evaluation.eligibleForDeployment,
    });
  }
  const primary = (baselines.find((baseline) => baseline.verdict === 'FAILED') ?? baselines[0]) as PlacementBaseline;
  const policy = {
    policyId: command.policy.policyId,
    policyVersion: command.policy.version,
    contentHash: policyContentHash(command.policy),
  };
  const eventId = decisionId({
    modelName: command.modelName,
    candidateVersion: command.candidateVersion,
    trigger: command.trigger,
    causationId: command.causationId,
    correlationId: command.origin.correlationId,
    occurredAt: command.occurredAt,
    policyHash: policy.contentHash,
    baselines: baselines.map((baseline) => ({ placement: baseline.placement, version: baseline.baselineVersion })),
  });
  return {
    ok: true,
    event: {
      envelope: buildEnvelope('GateEvaluated', {
        eventId,
        occurredAt: command.occurredAt,
        producer: command.producer,
        ...command.origin,
        causationId: command.causationId,
        modelName: command.modelName,
        modelVersion: command.candidateVersion,
      }),
      modelName: command.modelName,
      candidateVersion: command.candidateVersion,
      baselineVersion: primary.baselineVersion,
      baselineRule: primary.baselineRule,
      policy,
      trigger: command.trigger,
      checks: primary.checks,
      verdict: baselines.every((baseline) => baseline.verdict === 'PASSED') ? 'PASSED' : 'FAILED',
      eligibleForDeployment: baselines.every((baseline) => baseline.eligibleForDeployment),
      baselines,
    },
  };
}

/** Folds one event of the model's history into the gate's state. */
export function evolve(state: GateModelState, event: RegistryEvent): GateModelState {
  switch (event.type) {
    case 'RunRegistered': {
      const { modelName, modelVersion, metrics, artifacts } = event.data;
      return { ...state, subjects: new Map(state.subjects).set(modelVersion, { modelName, modelVersion, metrics, artifacts }) };
    }
    case 'GateEvaluated':
      return { ...state, verdicts: new Map(state.verdicts).set(event.data.candidateVersion, event.data.verdict) };
    case 'CanaryStarted':
    case 'CanaryTrafficChanged':
    case 'RolloutCompleted':
    case 'RolledBack':
    case 'DeploymentRetired':
      // What serves where is the placement fold's (libs/deployments); the gate validator applies it.
      return state;
    case 'RunSubmitted':
    case 'GatePolicyPublished':
    case 'ReproductionRecorded':
    case 'PolicyProposed':
    case 'PolicyApproved':
    case 'ModelPromoted':
    case 'OnlineMetricsReported':
    case 'AbTestConcluded':
    case 'OfflineOnlineDivergenceDetected':
    case 'RollbackRecommended':
    case 'DeploymentReportRejected':
    case 'DeploymentReportSubmitted':
      return state;
    default: {
      const unreachable: never = event;
      throw new Error(`unhandled ${String(unreachable)}`);
    }
  }
}
