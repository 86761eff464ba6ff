import { placementVerdicts, type DeploymentRecord, type Placement, type PlacementState, type VersionFacts } from '@modelreg/deployments';
import type { GateEvaluated } from '@modelreg/events';
import { verdictFacts, type DecisionTrust, type VerdictRow } from './decision-trust';
import type { GatePolicy } from '@modelreg/gates';
import type { Pool, PoolClient } from '@modelreg/postgres';
import { placementFromRows, placementRows, toRecord, type DeploymentRow, type PlacementRow } from './placement-rows';

const PLACEMENT_WHERE = 'model_name = $1 AND environment = $2 AND service = $3 AND surface = $4';
const placementParams = (p: Placement) => [p.modelName, p.environment, p.service, p.surface];
const VERSION_COLUMNS =
  'registered, offline_metrics, latest_verdict, placement_verdicts, ' +
  'latest_decision_event_id, policy_id, policy_version, latest_decision_record';

/** SQL for the tracker's state in schema `deployments`; every method runs in the caller's transaction. */
export const deploymentStore = {
  async findDeployment(client: Pool | PoolClient, deploymentId: string): Promise<DeploymentRecord | null> {
    const row = (await client.query('SELECT * FROM deployments.deployments WHERE deployment_id = $1', [deploymentId])).rows[0] as
      DeploymentRow | undefined;
    return row ? toRecord(row) : null;
  },

  /**
   * The placement's state (its row and live deployments), created empty if new, locked for the
   * rest of the transaction: reports on one surface apply one at a time.
   */
  async lockPlacement(client: PoolClient, placement: Placement): Promise<PlacementState> {
    await client.query(
      `INSERT INTO deployments.placements (model_name, environment, service, surface) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      placementParams(placement),
    );
    const row = (
      await client.query(
        `SELECT serving_version, serving_deployment_id, serving_since, served_versions ` +
          `FROM deployments.placements WHERE ${PLACEMENT_WHERE} FOR UPDATE`,
        placementParams(placement),
      )
    ).rows[0] as PlacementRow;
    const deployments = (
      await client.query(
        `SELECT * FROM deployments.deployments WHERE ${PLACEMENT_WHERE} AND status IN ('CANARY', 'SERVING', 'SUPERSEDED')`,
        placementParams(placement),
      )
    ).rows as DeploymentRow[];
    return placementFromRows(placement, row, deployments);
  },

  /** Stores the placement's state as the fold left it: its row, and the deployments that differ from `before`. */
  async savePlacement(client: PoolClient, before: PlacementState, state: PlacementState): Promise<void> {
    const unchanged = new Set(before.deployments.map((record) => JSON.stringify(record)));
    const rows = placementRows({ ...state, deployments: state.deployments.filter((record) => !unchanged.has(JSON.stringify(record))) });
    const p = rows.placement;
    await client.query(
      'UPDATE deployments.placements SET serving_version = $5, serving_deployment_id = $6, serving_since = $7, served_versions = $8 ' +
        `WHERE ${PLACEMENT_WHERE}`,
      [...placementParams(state.placement), p.serving_version, p.serving_deployment_id, p.serving_since, p.served_versions],
    );
    for (const d of rows.deployments) {
      await client.query(
        `INSERT INTO deployments.deployments (deployment_id, model_name, environment, service, surface, model_version,
           status, traffic_percent, baseline_version, started_at, last_report_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (deployment_id) DO UPDATE SET model_version = EXCLUDED.model_version, status = EXCLUDED.status,
           traffic_percent = EXCLUDED.traffic_percent, baseline_version = EXCLUDED.baseline_version,
           started_at = EXCLUDED.started_at, last_report_at = EXCLUDED.last_report_at`,
        [
          d.deployment_id,
          d.model_name,
          d.environment,
          d.service,
          d.surface,
          d.model_version,
          d.status,
          d.traffic_percent,
          d.baseline_version,
          d.started_at,
          d.last_report_at,
        ],
      );
    }
  },

  /** Each version's facts; its verdicts as `trust` believes them (from the signed record, when keys are configured). */
  async versionFacts(
    client: PoolClient,
    modelName: string,
    versions: number[],
    trust: DecisionTrust | null,
  ): Promise<Map<number, VersionFacts>> {
    const rows = (
      await client.query(
        `SELECT model_version, ${VERSION_COLUMNS} FROM deployments.versions WHERE model_name = $1 AND model_version = ANY($2::int[])`,
        [modelName, versions],
      )
    ).rows as Array<VerdictRow & { model_version: number; registered: boolean; offline_metrics: Record<string, number> }>;
    return new Map(
      rows.map((row) => [
        row.model_version,
        { registered: row.registered, offlineMetrics: row.offline_metrics, ...verdictFacts(row, modelName, row.model_version, trust) },
      ]),
    );
  },

  async latestOnlineMetrics(client: PoolClient, placement: Placement, versions: number[]): Promise<Map<number, Record<string, number>>> {
    const rows = (
      await client.query(
        `SELECT model_version, metrics FROM deployments.online_metrics WHERE ${PLACEMENT_WHERE} AND model_version = ANY($5::int[])`,
        [...placementParams(placement), versions],
      )
    ).rows as Array<{ model_version: number; metrics: Record<string, number> }>;
    return new Map(rows.map((row) => [row.model_version, row.metrics]));
  },

  async saveOnlineMetrics(
    client: PoolClient,
    placement: Placement,
    modelVersion: number,
    windowEnd: number,
    metrics: Record<string, number>,
  ): Promise<void> {
    await client.query(
      `INSERT INTO deployments.online_metrics (model_name, environment, service, surface, model_version, window_end, metrics)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (model_name, environment, service, surface, model_version)
       DO UPDATE SET window_end = EXCLUDED.window_end, metrics = EXCLUDED.metrics
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

  /** The version's latest gate decision: its overall verdict and its verdict on each placement. */
  async recordVerdict(client: PoolClient, decision: GateEvaluated, record: Buffer | null): Promise<void> {
    await client.query(
      `INSERT INTO deployments.versions (model_name, model_version, latest_verdict, placement_verdicts,
        latest_decision_event_id, policy_id, policy_version, latest_decision_record)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (model_name, model_version) DO UPDATE SET
         latest_verdict = EXCLUDED.latest_verdict, placement_verdicts = EXCLUDED.placement_verdicts,
         latest_decision_event_id = EXCLUDED.latest_decision_event_id, policy_id = EXCLUDED.policy_id,
         policy_version = EXCLUDED.policy_version, latest_decision_record = EXCLUDED.latest_decision_record`,
      [
        decision.modelName,
        decision.candidateVersion,
        decision.verdict,
        JSON.stringify(placementVerdicts(decision)),
        decision.envelope.eventId,
        decision.policy.policyId,
        decision.policy.policyVersion,
        record,
      ],
    );
  },

  /** The facts of a version and the decision its latest verdict comes from, for an explicit promotion. */
  async latestDecision(
    client: PoolClient,
    modelName: string,
    modelVersion: number,
    trust: DecisionTrust | null,
  ): Promise<(VersionFacts & { decisionEventId: string | null; policyId: string | null; policyVersion: number | null }) | null> {
    const row = (
      await client.query(`SELECT ${VERSION_COLUMNS} FROM deployments.versions WHERE model_name = $1 AND model_version = $2`, [
        modelName,
        modelVersion,
      ])
    ).rows[0] as (VerdictRow & { registered: boolean; offline_metrics: Record<string, number> }) | undefined;
    if (!row) return null;
    return { registered: row.registered, offlineMetrics: row.offline_metrics, ...verdictFacts(row, modelName, modelVersion, trust) };
  },

  async recordPolicy(client: PoolClient, policy: GatePolicy): Promise<void> {
    await client.query(
      'INSERT INTO deployments.policies (policy_id, policy_version, document) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [policy.policyId, policy.version, JSON.stringify(policy)],
    );
  },

  async latestPolicies(client: PoolClient): Promise<GatePolicy[]> {
    const rows = (
      await client.query('SELECT DISTINCT ON (policy_id) document FROM deployments.policies ORDER BY policy_id, policy_version DESC')
    ).rows as Array<{ document: GatePolicy }>;
    return rows.map((row) => row.document);
  },

  /** Every placement's state of a model (optionally in one environment), ordered by environment, service, surface. */
  async placementStates(db: Pool | PoolClient, modelName: string, environment: string | null): Promise<PlacementState[]> {
    const rows = (
      await db.query(
        'SELECT environment, service, surface, serving_version, serving_deployment_id, serving_since, served_versions ' +
          'FROM deployments.placements WHERE model_name = $1 AND ($2::text IS NULL OR environment = $2) ORDER BY 1, 2, 3',
        [modelName, environment],
      )
    ).rows as Array<PlacementRow & { environment: string; service: string; surface: string }>;
    const deployments = (
      await db.query(
        'SELECT * FROM deployments.deployments WHERE model_name = $1 AND ($2::text IS NULL OR environment = $2) ' +
          "AND status IN ('CANARY', 'SERVING', 'SUPERSEDED')",
        [modelName, environment],
      )
    ).rows as DeploymentRow[];
    return rows.map((row) => {
      const placement = { modelName, environment: row.environment, service: row.service, surface: row.surface };
      return placementFromRows(
        placement,
        row,
        deployments.filter((d) => d.environment === row.environment && d.service === row.service && d.surface === row.surface),
      );
    });
  },

  async placementsOf(client: PoolClient, modelName: string): Promise<Placement[]> {
    const rows = (
      await client.query('SELECT environment, service, surface FROM deployments.placements WHERE model_name = $1 ORDER BY 1, 2, 3', [
        modelName,
      ])
    ).rows as Array<{ environment: string; service: string; surface: string }>;
    return rows.map((row) => ({ modelName, ...row }));
  },
};
