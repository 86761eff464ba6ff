import type { EventName } from './contracts/registry-event';

/**
 * Topic layout: one topic per bounded context, keyed by model name so each model's history is
 * ordered, plus inbound topics for outside producers and one dead-letter topic.
 */
export interface TopicNames {
  lineage: string;
  gates: string;
  deployments: string;
  runSubmissions: string;
  deploymentReports: string;
  deadLetter: string;
}

export type TopicRole = keyof TopicNames;

export function topicNames(prefix: string): TopicNames {
  return {
    lineage: `${prefix}.lineage.v1`,
    gates: `${prefix}.gates.v1`,
    deployments: `${prefix}.deployments.v1`,
    runSubmissions: `${prefix}.run-submissions.v1`,
    deploymentReports: `${prefix}.deployment-reports.v1`,
    deadLetter: `${prefix}.dead-letter.v1`,
  };
}

export const TOPIC_ROLE_OF_EVENT: Readonly<Record<EventName, TopicRole>> = {
  RunSubmitted: 'runSubmissions',
  RunRegistered: 'lineage',
  GateEvaluated: 'gates',
  GatePolicyPublished: 'gates',
  ReproductionRecorded: 'gates',
  PolicyProposed: 'gates',
  PolicyApproved: 'gates',
  ModelPromoted: 'deployments',
  CanaryStarted: 'deployments',
  CanaryTrafficChanged: 'deployments',
  RolloutCompleted: 'deployments',
  RolledBack: 'deployments',
  DeploymentRetired: 'deployments',
  OnlineMetricsReported: 'deployments',
  AbTestConcluded: 'deployments',
  OfflineOnlineDivergenceDetected: 'deployments',
  RollbackRecommended: 'deployments',
  DeploymentReportRejected: 'deployments',
  DeploymentReportSubmitted: 'deploymentReports',
};

/**
 * Why an event of `eventType` read from `topic` must not be applied, or null when it belongs there.
 * Each topic carries only its own events (TOPIC_ROLE_OF_EVENT): a RunRegistered on the
 * deployment-reports topic did not come from ingestion, whoever could write there. Topics that are
 * not one of `topics` (a test's own) are not checked.
 */
export function misplacedEventReason(topics: TopicNames, topic: string, eventType: EventName): string | null {
  const role = (Object.keys(topics) as TopicRole[]).find((candidate) => topics[candidate] === topic);
  if (role === undefined) return null;
  const home = TOPIC_ROLE_OF_EVENT[eventType];
  return home === role ? null : `misplaced event: ${eventType} does not belong on ${topic} (it is appended to ${topics[home]} only)`;
}
