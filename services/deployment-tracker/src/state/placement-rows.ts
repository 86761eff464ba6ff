import { byStart, hasEnded, type DeploymentRecord, type Placement, type PlacementState } from '@modelreg/deployments';

/** A row of `deployments.deployments` (bigint columns arrive as strings). */
export interface DeploymentRow {
  deployment_id: string;
  model_name: string;
  environment: string;
  service: string;
  surface: string;
  model_version: number;
  status: DeploymentRecord['status'];
  traffic_percent: number;
  baseline_version: number | null;
  started_at: string | number;
  last_report_at: string | number;
}

/** A row of `deployments.placements`. */
export interface PlacementRow {
  serving_version: number | null;
  serving_deployment_id: string | null;
  serving_since: string | number | null;
  served_versions: number[];
}

export const toRecord = (row: DeploymentRow): DeploymentRecord => ({
  deploymentId: row.deployment_id,
  placement: { modelName: row.model_name, service: row.service, surface: row.surface, environment: row.environment },
  modelVersion: row.model_version,
  status: row.status,
  trafficPercent: row.traffic_percent,
  baselineVersion: row.baseline_version,
  startedAt: Number(row.started_at),
  lastReportAt: Number(row.last_report_at),
});

const toRow = (record: DeploymentRecord): DeploymentRow => ({
  deployment_id: record.deploymentId,
  model_name: record.placement.modelName,
  environment: record.placement.environment,
  service: record.placement.service,
  surface: record.placement.surface,
  model_version: record.modelVersion,
  status: record.status,
  traffic_percent: record.trafficPercent,
  baseline_version: record.baselineVersion,
  started_at: record.startedAt,
  last_report_at: record.lastReportAt,
});

/** What the tracker stores of a placement's state: the placement row, and every deployment the last event may have changed. */
export function placementRows(state: PlacementState): { placement: PlacementRow; deployments: DeploymentRow[] } {
  return {
    placement: {
      serving_version: state.servingVersion,
      serving_deployment_id: state.servingDeploymentId,
      serving_since: state.servingSince,
      served_versions: state.servedVersions,
    },
    deployments: state.deployments.map(toRow),
  };
}

/** The placement's state from its rows; ended deployments are left out (no rule looks at them). */
export function placementFromRows(placement: Placement, row: PlacementRow, deployments: readonly DeploymentRow[]): PlacementState {
  return {
    placement,
    servingVersion: row.serving_version,
    servingDeploymentId: row.serving_deployment_id,
    servingSince: row.serving_since === null ? null : Number(row.serving_since),
    servedVersions: row.served_versions,
    deployments: deployments
      .map((row) => ({ ...toRecord(row), placement }))
      .filter((record) => !hasEnded(record))
      .sort(byStart),
  };
}
