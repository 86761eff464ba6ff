import type { Placement } from './deployment-report';
import type { PlacementVerdict } from './promotion';

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

/**
 * What serves a placement now, every version that ever served it 100% (rollback targets), and its
 * deployments. Built only by `evolvePlacement`; every service that needs "what serves where" keeps
 * this state and nothing else.
 */
export interface PlacementState {
  placement: Placement;
  servingVersion: number | null;
  /** The deployment serving 100%; null when nothing serves, or when a rollback restored a version none of whose deployments is left. */
  servingDeploymentId: string | null;
  servingSince: number | null;
  servedVersions: number[];
  /**
   * The placement's deployments, ordered by start time then id. Ended ones (ROLLED_BACK, RETIRED)
   * play no part in any rule, so stores may leave them out when they load the state.
   */
  deployments: DeploymentRecord[];
}

/** What the tracker knows of a version from the lineage and gate topics. */
export interface VersionFacts {
  registered: boolean;
  latestVerdict: 'PASSED' | 'FAILED' | null;
  /** The latest decision's verdict on each placement it compared the version on. */
  placementVerdicts: PlacementVerdict[];
  /** Overall offline (validation) metrics from RunRegistered. */
  offlineMetrics: Record<string, number>;
}

export function emptyPlacement(placement: Placement): PlacementState {
  return { placement, servingVersion: null, servingDeploymentId: null, servingSince: null, servedVersions: [], deployments: [] };
}

/** A deployment that has ended never serves again and no report about it changes anything. */
export function hasEnded(record: DeploymentRecord): boolean {
  return record.status === 'ROLLED_BACK' || record.status === 'RETIRED';
}
