export type { DeploymentReport, Placement } from './deployment-report';
export { REPORT_KINDS } from './deployment-report';
export { validateDeploymentReport, readPlacement, PLACEMENT_NAME_PATTERN, PLACEMENT_NAME_HINT } from './validate-report';
export type { ReportValidationOptions } from './validate-report';
export type { DeploymentRecord, DeploymentStatus, PlacementState, VersionFacts } from './deployment-state';
export { emptyPlacement } from './deployment-state';
export { decideReport } from './deployment-decider';
export type { DeploymentFact, OnlineContext, Rejection, ReportDecision, ReportContext } from './deployment-decider';
export { evolveDeployment, evolvePlacement } from './deployment-evolve';
