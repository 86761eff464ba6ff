import type {
  AbTestConcluded,
  CanaryStarted,
  CanaryTrafficChanged,
  DeploymentReportRejected,
  DeploymentReportSubmitted,
  DeploymentRetired,
  ModelPromoted,
  OfflineOnlineDivergenceDetected,
  OnlineMetricsReported,
  RollbackRecommended,
  RolledBack,
  RolloutCompleted,
} from './deployment-events';
import type { GateEvaluated, GatePolicyPublished, PolicyApproved, PolicyProposed } from './gate-evaluated';
import type { ReproductionRecorded } from './reproduction-recorded';
import type { RunRegistered, RunSubmitted } from './run-registered';

/** Every event the registry appends, by its schema's record name. */
export interface EventPayloads {
  RunSubmitted: RunSubmitted;
  RunRegistered: RunRegistered;
  GateEvaluated: GateEvaluated;
  GatePolicyPublished: GatePolicyPublished;
  ReproductionRecorded: ReproductionRecorded;
  PolicyProposed: PolicyProposed;
  PolicyApproved: PolicyApproved;
  ModelPromoted: ModelPromoted;
  CanaryStarted: CanaryStarted;
  CanaryTrafficChanged: CanaryTrafficChanged;
  RolloutCompleted: RolloutCompleted;
  RolledBack: RolledBack;
  DeploymentRetired: DeploymentRetired;
  OnlineMetricsReported: OnlineMetricsReported;
  AbTestConcluded: AbTestConcluded;
  OfflineOnlineDivergenceDetected: OfflineOnlineDivergenceDetected;
  RollbackRecommended: RollbackRecommended;
  DeploymentReportRejected: DeploymentReportRejected;
  DeploymentReportSubmitted: DeploymentReportSubmitted;
}

export type EventName = keyof EventPayloads;

/** A decoded event, discriminated by `type` so handlers can switch exhaustively. */
export type RegistryEvent = { [K in EventName]: { type: K; data: EventPayloads[K] } }[EventName];

export const EVENT_NAMES: readonly EventName[] = [
  'RunSubmitted',
  'RunRegistered',
  'GateEvaluated',
  'GatePolicyPublished',
  'PolicyProposed',
  'PolicyApproved',
  'ReproductionRecorded',
  'ModelPromoted',
  'CanaryStarted',
  'CanaryTrafficChanged',
  'RolloutCompleted',
  'RolledBack',
  'DeploymentRetired',
  'OnlineMetricsReported',
  'AbTestConcluded',
  'OfflineOnlineDivergenceDetected',
  'RollbackRecommended',
  'DeploymentReportRejected',
  'DeploymentReportSubmitted',
];

export function isEventName(name: string): name is EventName {
  return (EVENT_NAMES as readonly string[]).includes(name);
}
