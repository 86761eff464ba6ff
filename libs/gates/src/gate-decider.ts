import { buildEnvelope, type GateEvaluated, type RegistryEvent } from '@modelreg/events';
import { resolveBaseline } from './baseline/resolve-baseline';
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
  /** Version serving 100% of a surface most recently, per environment. */
  servingFullTraffic: Readonly<Record<string, number>>;
}

export type GateTrigger = 'RunRegistered' | 'ReEvaluationRequested';

/** Command: decide on a candidate. Ids and time are inputs so the decision is reproducible. */
export interface EvaluateGate {
  modelName: string;
  candidateVersion: number;
  trigger: GateTrigger;
  policy: GatePolicy;
  eventId: string;
  occurredAt: number;
  producer: string;
  correlationId: string;
  causationId: string | null;
}

export type GateDecision = { ok: true; event: GateEvaluated } | { ok: false; reason: string };

export function initialGateState(modelName: string): GateModelState {
  return { modelName, subjects: new Map(), verdicts: new Map(), servingFullTraffic: {} };
}

/** Decides a gate: resolves the baseline under the policy's rule, evaluates every check, and records it all. Pure. */
export function decide(command: EvaluateGate, state: GateModelState): GateDecision {
  const candidate = state.subjects.get(command.candidateVersion);
  if (!candidate) return { ok: false, reason: `${command.modelName} v${command.candidateVersion} is not registered` };
  const passedVersions = [...state.verdicts.entries()].filter(([, verdict]) => verdict === 'PASSED').map(([version]) => version);
  const serving = state.servingFullTraffic[command.policy.baseline.environment] ?? null;
  const baseline = resolveBaseline(command.policy.baseline, { servingFullTraffic: serving, passedVersions }, command.candidateVersion);
  const baselineSubject = baseline.version === null ? null : (state.subjects.get(baseline.version) ?? null);
  if (baseline.version !== null && !baselineSubject) return { ok: false, reason: `baseline v${baseline.version} of ${command.modelName} is not known to the gate` };
  const evaluation = evaluateGate(candidate, baselineSubject, command.policy);
  return {
    ok: true,
    event: {
      envelope: buildEnvelope('GateEvaluated', {
        eventId: command.eventId,
        occurredAt: command.occurredAt,
        producer: command.producer,
        correlationId: command.correlationId,
        causationId: command.causationId,
        modelName: command.modelName,
        modelVersion: command.candidateVersion,
      }),
      modelName: command.modelName,
      candidateVersion: command.candidateVersion,
      baselineVersion: baseline.version,
      baselineRule: baseline.rule,
      policy: { policyId: command.policy.policyId, policyVersion: command.policy.version, contentHash: policyContentHash(command.policy) },
      trigger: command.trigger,
      checks: evaluation.checks,
      verdict: evaluation.verdict,
      eligibleForDeployment: evaluation.eligibleForDeployment,
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
    case 'RolledBack':
      return { ...state, servingFullTraffic: { ...state.servingFullTraffic, [event.data.environment]: event.data.toVersion } };
    case 'RolloutCompleted':
      return { ...state, servingFullTraffic: { ...state.servingFullTraffic, [event.data.environment]: event.data.modelVersion } };
    case 'DeploymentRetired': {
      if (state.servingFullTraffic[event.data.environment] !== event.data.modelVersion) return state;
      const { [event.data.environment]: _retired, ...rest } = state.servingFullTraffic;
      return { ...state, servingFullTraffic: rest };
    }
    case 'RunSubmitted':
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
      return state;
    default: {
      const unreachable: never = event;
      throw new Error(`unhandled ${String(unreachable)}`);
    }
  }
}
