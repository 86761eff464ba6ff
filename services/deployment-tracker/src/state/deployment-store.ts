import type { DeploymentRecord, Placement, PlacementState, VersionFacts } from '@modelreg/deployments';
import type { GatePolicy } from '@modelreg/gates';
import type { PoolClient } from '@modelreg/postgres';

interface DeploymentRow {
  deployment_id: string;
  model_name: string;
  environment: string;
  service: string;
  surface: string;
  model_version: number;
  status: DeploymentRecord['status'];
  traffic_percent: number;
  baseline_version: number | null;
  started_at: string;
  last_report_at: string;
}

const toRecord = (row: DeploymentRow): DeploymentRecord => ({
  deploymentId: row.deployment_id,
  placement: { modelName: row.model_name, service: row.service, surface: row.surface, environment: row.environment },
  modelVersion: row.model_version,
  status: row.status,
  trafficPercent: row.traffic_percent,
  baselineVersion: row.baseline_version,
  startedAt: Number(row.started_at),
  lastReportAt: Number(row.last_report_at),
});

const PLACEMENT_WHERE = 'model_name = $1 AND environment = $2 AND service = $3 AND surface = $4';
const placementParams = (p: Placement) => [p.modelName, p.environment, p.service, p.surface];

/** SQL for the tracker's state in schema `deployments`; every method runs in the caller's transaction. */
export const deploymentStore = {
  async findDeployment(client: PoolClient, deploymentId: string): Promise<DeploymentRecord | null> {
    const row = (await client.query('SELECT * FROM deployments.deployments WHERE deployment_id = $1', [deploymentId])).rows[0] as DeploymentRow | undefined;
    return row ? toRecord(row) : null;
  },

  /** The placement, created empty if new, locked for the rest of the transaction: reports on one surface apply one at a time. */
  async lockPlacement(client: PoolClient, placement: Placement): Promise<PlacementState> {
    await client.query(`INSERT INTO deployments.placements (model_name, environment, service, surface) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, placementParams(placement));
    const row = (await client.query(`SELECT serving_version, serving_deployment_id, serving_since, served_versions FROM deployments.placements WHERE ${PLACEMENT_WHERE} FOR UPDATE`, placementParams(placement))).rows[0] as {
      serving_version: number | null;
      serving_deployment_id: string | null;
      serving_since: string | null;
      served_versions: number[];
    };
    return { placement, servingVersion: row.serving_version, servingDeploymentId: row.serving_deployment_id, servingSince: row.serving_since === null ? null : Number(row.serving_since), servedVersions: row.served_versions };
  },

  async savePlacement(client: PoolClient, state: PlacementState): Promise<void> {
    await client.query(`UPDATE deployments.placements SET serving_version = $5, serving_deployment_id = $6, serving_since = $7, served_versions = $8 WHERE ${PLACEMENT_WHERE}`, [
      ...placementParams(state.placement),
      state.servingVersion,
      state.servingDeploymentId,
      state.servingSince,
      state.servedVersions,
    ]);
  },

  async saveDeployment(client: PoolClient, record: DeploymentRecord): Promise<void> {
    const p = record.placement;
    await client.query(
      `INSERT INTO deployments.deployments (deployment_id, model_name, environment, service, surface, model_version, status, traffic_percent, baseline_version, started_at, last_report_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (deployment_id) DO UPDATE SET status = EXCLUDED.status, traffic_percent = EXCLUDED.traffic_percent, last_report_at = EXCLUDED.last_report_at`,
      [record.deploymentId, p.modelName, p.environment, p.service, p.surface, record.modelVersion, record.status, record.trafficPercent, record.baselineVersion, record.startedAt, record.lastReportAt],
    );
  },

  async supersede(client: PoolClient, deploymentId: string, at: number): Promise<void> {
    await client.query("UPDATE deployments.deployments SET status = 'SUPERSEDED', traffic_percent = 0, last_report_at = GREATEST(last_report_at, $2) WHERE deployment_id = $1 AND status = 'SERVING'", [deploymentId, at]);
  },

  async runningCanaries(client: PoolClient, placement: Placement): Promise<DeploymentRecord[]> {
    const rows = (await client.query(`SELECT * FROM deployments.deployments WHERE ${PLACEMENT_WHERE} AND status = 'CANARY' ORDER BY deployment_id`, placementParams(placement))).rows as DeploymentRow[];
    return rows.map(toRecord);
  },

  async versionFacts(client: PoolClient, modelName: string, versions: number[]): Promise<Map<number, VersionFacts>> {
    const rows = (await client.query('SELECT model_version, registered, offline_metrics, latest_verdict FROM deployments.versions WHERE model_name = $1 AND model_version = ANY($2::int[])', [modelName, versions])).rows as Array<{
      model_version: number;
      registered: boolean;
      offline_metrics: Record<string, number>;
      latest_verdict: 'PASSED' | 'FAILED' | null;
    }>;
    return new Map(rows.map((row) => [row.model_version, { registered: row.registered, latestVerdict: row.latest_verdict, offlineMetrics: row.offline_metrics }]));
  },

  async latestOnlineMetrics(client: PoolClient, placement: Placement, versions: number[]): Promise<Map<number, Record<string, number>>> {
    const rows = (await client.query(`SELECT model_version, metrics FROM deployments.online_metrics WHERE ${PLACEMENT_WHERE} AND model_version = ANY($5::int[])`, [...placementParams(placement), versions])).rows as Array<{ model_version: number; metrics: Record<string, number> }>;
    return new Map(rows.map((row) => [row.model_version, row.metrics]));
  },

  async saveOnlineMetrics(client: PoolClient, placement: Placement, modelVersion: number, windowEnd: number, metrics: Record<string, number>): Promise<void> {
    await client.query(
      `INSERT INTO deployments.online_metrics (model_name, environment, service, surface, model_version, window_end, metrics) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (model_name, environment, service, surface, model_version) DO UPDATE SET window_end = EXCLUDED.window_end, metrics = EXCLUDED.metrics
       WHERE online_metrics.window_end <= EXCLUDED.window_end`,
      [...placementParams(placement), modelVersion, windowEnd, JSON.stringify(metrics)],
    );
  },

  async recordVersion(client: PoolClient, modelName: string, modelVersion: number, offlineMetrics: Record<string, number>): Promise<void> {
    await client.query(
      `INSERT INTO deployments.versions (model_name, model_version, registered, offline_metrics) VALUES ($1, $2, true, $3)
       ON CONFLICT (model_name, model_version) DO UPDATE SET registered = true, offline_metrics = EXCLUDED.offline_metrics`,
      [modelName, modelVersion, JSON.stringify(offlineMetrics)],
    );
  },

  async recordVerdict(client: PoolClient, modelName: string, modelVersion: number, verdict: 'PASSED' | 'FAILED', eventId: string, policyId: string, policyVersion: number): Promise<void> {
    await client.query(
      `INSERT INTO deployments.versions (model_name, model_version, latest_verdict, latest_decision_event_id, policy_id, policy_version) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (model_name, model_version) DO UPDATE SET latest_verdict = EXCLUDED.latest_verdict, latest_decision_event_id = EXCLUDED.latest_decision_event_id, policy_id = EXCLUDED.policy_id, policy_version = EXCLUDED.policy_version`,
      [modelName, modelVersion, verdict, eventId, policyId, policyVersion],
    );
  },

  async recordPolicy(client: PoolClient, policy: GatePolicy): Promise<void> {
    await client.query('INSERT INTO deployments.policies (policy_id, policy_version, document) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [policy.policyId, policy.version, JSON.stringify(policy)]);
  },

  async latestPolicies(client: PoolClient): Promise<GatePolicy[]> {
    const rows = (await client.query('SELECT DISTINCT ON (policy_id) document FROM deployments.policies ORDER BY policy_id, policy_version DESC')).rows as Array<{ document: GatePolicy }>;
    return rows.map((row) => row.document);
  },

  async placementsOf(client: PoolClient, modelName: string): Promise<Placement[]> {
    const rows = (await client.query('SELECT environment, service, surface FROM deployments.placements WHERE model_name = $1 ORDER BY 1, 2, 3', [modelName])).rows as Array<{ environment: string; service: string; surface: string }>;
    return rows.map((row) => ({ modelName, ...row }));
  },
};
