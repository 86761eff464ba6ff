export type {
  GatePolicy,
  CheckDefinition,
  CheckKind,
  Bound,
  ChangeRequirement,
  SliceSelection,
  BaselinePolicy,
  BaselineRule,
  Guardrails,
  CanaryGuardrail,
  Deviation,
  Direction,
  ReproductionTolerance,
} from './policy/gate-policy';
export { recordReproduction } from './reproduction/compare-reproduction';
export type { RecordReproduction } from './reproduction/compare-reproduction';
export { DEFAULT_POLICY } from './policy/default-policy';
export { validatePolicy, readBound, POLICY_ID_PATTERN } from './policy/validate-policy';
export { selectPolicy, policyContentHash, patternSpecificity, policiesInForce, governingPolicy } from './policy/policy-selection';
export { modelsMatching, policyMetricWarnings } from './policy/policy-metric-warnings';
export type { CarriedMetrics, MetricPlace } from './policy/policy-metric-warnings';
export { evaluateGate } from './evaluation/evaluate-gate';
export { P99_LATENCY_METRIC } from './evaluation/checks/operational.check';
export type { GateEvaluation } from './evaluation/evaluate-gate';
export type { GateSubject } from './evaluation/check-context';
export { compareWithBound, compareChange, compareDeviation, formatNumber } from './evaluation/bound-comparison';
export { selectSlices } from './evaluation/slice-selection';
export { resolveBaselines } from './baseline/resolve-baseline';
export type { BaselineFacts, ResolvedBaseline, PlacementRef, ServingPlacement } from './baseline/resolve-baseline';
export { decisionId } from './decision-id';
export { decide, evolve, initialGateState } from './gate-decider';
export type { GateModelState, EvaluateGate, GateDecision, GateTrigger } from './gate-decider';
export { isLoosening } from './policy/policy-loosening';
export { decideApproval, POLICY_ADMIN_ROLE, type ApprovalDecision, type Approver } from './policy/policy-approval';
export {
  CheckDefinitionSchema,
  BaselineEvaluation,
  GateCheckResult,
  GateDecisionList,
  GateDecisionSchema,
  gateDecisionJson,
  PlacementSchema,
  PolicyApproval,
  PolicyDocumentSchema,
  PolicyList,
  PolicyProposal,
  PolicyPublication,
  PublishedPolicy,
  ReEvaluationRequest,
} from './contract';
