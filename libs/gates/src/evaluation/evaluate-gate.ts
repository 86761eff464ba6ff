import type { CheckResult } from '@modelreg/events';
import type { CheckDefinition, CheckKind, GatePolicy } from '../policy/gate-policy';
import type { CheckContext, GateSubject } from './check-context';
import { evaluateArtifactFormat } from './checks/artifact-format.check';
import { evaluateArtifactSignature } from './checks/artifact-signature.check';
import { evaluateArtifactSize } from './checks/artifact-size.check';
import { evaluateGroupDisparity } from './checks/group-disparity.check';
import { evaluateMetricChange } from './checks/metric-change.check';
import { evaluateMetricThreshold } from './checks/metric-threshold.check';
import { evaluateOperational } from './checks/operational.check';
import { evaluateSliceChange } from './checks/slice-change.check';
import { evaluateSliceThreshold } from './checks/slice-threshold.check';

type CheckEvaluator<K extends CheckKind> = (check: Extract<CheckDefinition, { kind: K }>, context: CheckContext) => CheckResult[];

/** One evaluator per check kind; the type makes a new kind without an evaluator a compile error. */
const EVALUATORS: { [K in CheckKind]: CheckEvaluator<K> } = {
  'metric-threshold': evaluateMetricThreshold,
  'metric-change': evaluateMetricChange,
  'slice-threshold': evaluateSliceThreshold,
  'slice-change': evaluateSliceChange,
  'group-disparity': evaluateGroupDisparity,
  'artifact-size': evaluateArtifactSize,
  'artifact-format': evaluateArtifactFormat,
  'artifact-signature': evaluateArtifactSignature,
  operational: evaluateOperational,
};

export interface GateEvaluation {
  checks: CheckResult[];
  verdict: 'PASSED' | 'FAILED';
  eligibleForDeployment: boolean;
}

/**
 * Evaluates a candidate against its baseline under a policy. Pure and deterministic: the same
 * inputs give the same checks in the same order (policy order, then slice/group/target order).
 * The verdict passes only when no check failed; skipped checks are reported, never silently passed.
 */
export function evaluateGate(candidate: GateSubject, baseline: GateSubject | null, policy: GatePolicy): GateEvaluation {
  const context: CheckContext = {
    candidate,
    baseline,
    tolerance: policy.tolerance,
    blockWithoutBaseline: policy.baseline.whenMissing === 'block',
    trustedSigners: policy.trustedSigners ?? [],
  };
  const checks = policy.checks.flatMap((check) => (EVALUATORS[check.kind] as CheckEvaluator<typeof check.kind>)(check as never, context));
  const passed = checks.every((check) => check.outcome !== 'FAILED');
  return { checks, verdict: passed ? 'PASSED' : 'FAILED', eligibleForDeployment: passed };
}
