import type { EventEnvelope } from './envelope';

/** Where a deployment lives: one surface of one service in one environment. */
export interface DeploymentPlacement {
  deploymentId: string;
  modelName: string;
  service: string;
  surface: string;
  environment: string;
}

/** Mirrors schemas/deployments/CanaryStarted (latest version). */
export interface CanaryStarted extends DeploymentPlacement {
  envelope: EventEnvelope;
  modelVersion: number;
  trafficPercent: number;
  baselineVersion: number | null;
  startedAt: number;
}

/** Mirrors schemas/deployments/RolledBack (latest version). */
export interface RolledBack extends DeploymentPlacement {
  envelope: EventEnvelope;
  fromVersion: number;
  toVersion: number;
  reason: string;
  triggerMetric: string | null;
  triggerValue: number | null;
  rolledBackAt: number;
}

/** Mirrors schemas/deployments/ModelPromoted. */
export interface ModelPromoted {
  envelope: EventEnvelope;
  modelName: string;
  modelVersion: number;
  service: string;
  surface: string;
  environment: string;
  gateDecisionEventId: string;
  policyId: string;
  policyVersion: number;
}

export interface CanaryTrafficChanged extends DeploymentPlacement {
  envelope: EventEnvelope;
  modelVersion: number;
  fromPercent: number;
  toPercent: number;
  changedAt: number;
}

export interface RolloutCompleted extends DeploymentPlacement {
  envelope: EventEnvelope;
  modelVersion: number;
  previousVersion: number | null;
  completedAt: number;
}

export interface DeploymentRetired extends DeploymentPlacement {
  envelope: EventEnvelope;
  modelVersion: number;
  reason: string;
  retiredAt: number;
}

/** Where a version runs, without a deployment id (metrics and tests are about a version on a surface). */
export interface SurfaceRef {
  modelName: string;
  service: string;
  surface: string;
  environment: string;
}

export interface OnlineMetricsReported extends SurfaceRef {
  envelope: EventEnvelope;
  modelVersion: number;
  windowStart: number;
  windowEnd: number;
  metrics: Record<string, number>;
}

export interface AbMetricResult {
  metric: string;
  controlValue: number;
  treatmentValue: number;
  relativeLift: number;
  confidenceLow: number;
  confidenceHigh: number;
  confidenceLevel: number;
  controlSamples: number;
  treatmentSamples: number;
}

export interface AbTestConcluded extends SurfaceRef {
  envelope: EventEnvelope;
  testId: string;
  controlVersion: number;
  treatmentVersion: number;
  results: AbMetricResult[];
  decision: 'SHIP_TREATMENT' | 'KEEP_CONTROL' | 'INCONCLUSIVE';
  concludedAt: number;
}

export interface OfflineOnlineDivergenceDetected extends SurfaceRef {
  envelope: EventEnvelope;
  modelVersion: number;
  metric: string;
  offlineValue: number;
  onlineValue: number;
  tolerance: number;
  policyId: string;
  policyVersion: number;
  onlineMetricsEventId: string;
}

export interface RollbackRecommended extends DeploymentPlacement {
  envelope: EventEnvelope;
  modelVersion: number;
  baselineVersion: number | null;
  metric: string;
  canaryValue: number;
  baselineValue: number | null;
  guardrail: string;
  policyId: string;
  policyVersion: number;
  onlineMetricsEventId: string;
}

export interface DeploymentReportRejected {
  envelope: EventEnvelope;
  reportId: string;
  kind: string;
  deploymentId: string | null;
  modelName: string;
  modelVersion: number | null;
  rule: string;
  reason: string;
  report: string;
}

export type DeploymentReportKind =
  | 'CANARY_STARTED'
  | 'CANARY_TRAFFIC_CHANGED'
  | 'ROLLOUT_COMPLETED'
  | 'ROLLED_BACK'
  | 'DEPLOYMENT_RETIRED'
  | 'ONLINE_METRICS'
  | 'AB_TEST_CONCLUDED';

export interface DeploymentReportSubmitted {
  envelope: EventEnvelope;
  reportId: string;
  kind: DeploymentReportKind;
  reportedAt: number;
  /** JSON object: the same fields as the HTTP request body of this kind. */
  body: string;
}
