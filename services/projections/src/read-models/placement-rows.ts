import { byStart, hasEnded, type DeploymentRecord, type Placement, type PlacementState } from '@modelreg/deployments';

/** A row of the `deployments` read model, times in ms (the writer converts to and from timestamptz). */
export interface DeploymentReadRow {
  deployment_id: string;
  model_version: number;
  status: DeploymentRecord['status'];
  traffic_percent: number;
  baseline_version: number | null;
  started_at: number;
  updated_at: number;
}

/** A row of the `placements` read model, time in ms. */
export interface PlacementReadRow {
  serving_version: number | null;
  serving_deployment_id: string | null;
  serving_since: number | null;
  served_versions: number[];
}

/** What the read models hold of a placement's state. */
export function placementReadRows(state: PlacementState): { placement: PlacementReadRow; deployments: DeploymentReadRow[] } {
  return {
    placement: {
      serving_version: state.servingVersion,
      serving_deployment_id: state.servingDeploymentId,
      serving_since: state.servingSince,
      served_versions: state.servedVersions,
    },
    deployments: state.deployments.map((record) => ({
      deployment_id: record.deploymentId,
      model_version: record.modelVersion,
      status: record.status,
      traffic_percent: record.trafficPercent,
      baseline_version: record.baselineVersion,
      started_at: record.startedAt,
      updated_at: record.lastReportAt,
    })),
  };
}

/** The placement's state from the read models; ended deployments are left out (no rule looks at them). */
export function placementFromReadRows(
  placement: Placement,
  row: PlacementReadRow | null,
  deployments: readonly DeploymentReadRow[],
): PlacementState {
  return {
    placement,
    servingVersion: row?.serving_version ?? null,
    servingDeploymentId: row?.serving_deployment_id ?? null,
    servingSince: row?.serving_since ?? null,
    servedVersions: row?.served_versions ?? [],
    deployments: deployments
      .map((d): DeploymentRecord => ({
        deploymentId: d.deployment_id,
        placement,
        modelVersion: d.model_version,
        status: d.status,
        trafficPercent: d.traffic_percent,
        baselineVersion: d.baseline_version,
        startedAt: d.started_at,
        lastReportAt: d.updated_at,
      }))
      .filter((record) => !hasEnded(record))
      .sort(byStart),
  };
}
