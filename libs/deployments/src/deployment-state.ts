import type { Placement } from './deployment-report';

export type DeploymentStatus = 'CANARY' | 'SERVING' | 'SUPERSEDED' | 'ROLLED_BACK' | 'RETIRED';

/** One rollout attempt of a version on a placement: canary, then serving, until rolled back, superseded or retired. */
export interface DeploymentRecord {
  deploymentId: string;
  placement: Placement;
  modelVersion: number;
  status: DeploymentStatus;
  trafficPercent: number;
  baselineVersion: number | null;
  startedAt: number;
  /** reportedAt of the last report applied; earlier reports are out of order. */
  lastReportAt: number;
}

/** What serves a placement now, and every version that ever served it 100% (rollback targets). */
export interface PlacementState {
  placement: Placement;
  servingVersion: number | null;
  servingDeploymentId: string | null;
  servingSince: number | null;
  servedVersions: number[];
}

/** What the tracker knows of a version from the lineage and gate topics. */
export interface VersionFacts {
  registered: boolean;
  latestVerdict: 'PASSED' | 'FAILED' | null;
  /** Overall offline (validation) metrics from RunRegistered. */
  offlineMetrics: Record<string, number>;
}

export function emptyPlacement(placement: Placement): PlacementState {
  return { placement, servingVersion: null, servingDeploymentId: null, servingSince: null, servedVersions: [] };
}
