import type { AbMetricResult, DeploymentReportKind } from '@modelreg/events';

/** A surface of a service in an environment, for one model: where versions serve. */
export interface Placement {
  modelName: string;
  service: string;
  surface: string;
  environment: string;
}

interface ReportBase {
  reportId: string;
  /** When the controller says it happened, UTC ms; never further in the future than the allowed skew. */
  reportedAt: number;
}

/** What deployment controllers report, over HTTP or Kafka; validated the same way on both paths. */
export type DeploymentReport =
  | (ReportBase & {
      kind: 'CANARY_STARTED';
      deploymentId: string;
      placement: Placement;
      modelVersion: number;
      trafficPercent: number;
      baselineVersion: number | null;
    })
  | (ReportBase & { kind: 'CANARY_TRAFFIC_CHANGED'; deploymentId: string; trafficPercent: number })
  | (ReportBase & { kind: 'ROLLOUT_COMPLETED'; deploymentId: string })
  | (ReportBase & {
      kind: 'ROLLED_BACK';
      deploymentId: string;
      toVersion: number;
      reason: string;
      triggerMetric: string | null;
      triggerValue: number | null;
    })
  | (ReportBase & { kind: 'DEPLOYMENT_RETIRED'; deploymentId: string; reason: string })
  | (ReportBase & {
      kind: 'ONLINE_METRICS';
      placement: Placement;
      modelVersion: number;
      windowStart: number;
      windowEnd: number;
      metrics: Record<string, number>;
    })
  | (ReportBase & {
      kind: 'AB_TEST_CONCLUDED';
      testId: string;
      placement: Placement;
      controlVersion: number;
      treatmentVersion: number;
      results: AbMetricResult[];
      decision: 'SHIP_TREATMENT' | 'KEEP_CONTROL' | 'INCONCLUSIVE';
    });

export const REPORT_KINDS: readonly DeploymentReportKind[] = [
  'CANARY_STARTED',
  'CANARY_TRAFFIC_CHANGED',
  'ROLLOUT_COMPLETED',
  'ROLLED_BACK',
  'DEPLOYMENT_RETIRED',
  'ONLINE_METRICS',
  'AB_TEST_CONCLUDED',
];
