export type { DeploymentReport, Placement } from './deployment-report';
export { REPORT_KINDS } from './deployment-report';
export { validateDeploymentReport, readPlacement, PLACEMENT_NAME_PATTERN, PLACEMENT_NAME_HINT } from './validate-report';
export type { ReportValidationOptions } from './validate-report';
export type { DeploymentRecord, DeploymentStatus, PlacementState, VersionFacts } from './deployment-state';
export { emptyPlacement, hasEnded } from './deployment-state';
export { decideReport } from './deployment-decider';
export type { DeploymentFact, OnlineContext, Rejection, ReportDecision, ReportContext } from './deployment-decider';
export { evolvePlacement, servingView, placementJson, liveDeployments, samePlacement, byStart, isPlacementEvent } from './placement-fold';
export type { PlacementEvent, ServingView } from './placement-fold';
export { placementVerdicts, promotionTargets, verdictOn } from './promotion';
export type { PlacementVerdict } from './promotion';
export {
  PlacementServing,
  PlacementsQuery,
  DeploymentPlacementList,
  DeploymentReportOutcome,
  DeploymentReportSchema,
  DeploymentView,
  PromotionAnswer,
  PromotionRequest,
} from './contract/deployment-report.contract';
