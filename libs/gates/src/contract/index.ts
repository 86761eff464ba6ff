export {
  BaselineEvaluation,
  GateCheckResult,
  GateDecisionList,
  GateDecisionSchema,
  gateDecisionJson,
  PlacementSchema,
  ReEvaluationRequest,
} from './gate-decision.contract';
export {
  CheckDefinitionSchema,
  PolicyApproval,
  PolicyDocumentSchema,
  PolicyList,
  PolicyProposal,
  PolicyPublication,
  PublishedPolicy,
} from './gate-policy.contract';
