import type { ArtifactRecord, GateEvaluated, ValidationMetrics } from '@modelreg/events';
import type { CarriedMetrics, GateModelState, GatePolicy, GateSubject, MetricPlace } from '@modelreg/gates';
import type { PoolClient } from '@modelreg/postgres';

/** SQL for the gate's state in schema `gates`. Every method runs in the caller's transaction. */
export const gateStore = {
  async saveSubject(client: PoolClient, subject: GateSubject): Promise<void> {
    await client.query(
      'INSERT INTO gates.subjects (model_name, model_version, metrics, artifacts) VALUES ($1, $2, $3, $4) ON CONFLICT (model_name, model_version) DO NOTHING',
      [subject.modelName, subject.modelVersion, JSON.stringify(subject.metrics), JSON.stringify(subject.artifacts)],
    );
  },

  async setServing(client: PoolClient, modelName: string, environment: string, modelVersion: number): Promise<void> {
    await client.query(
      `INSERT INTO gates.serving_full_traffic (model_name, environment, model_version) VALUES ($1, $2, $3)
       ON CONFLICT (model_name, environment) DO UPDATE SET model_version = EXCLUDED.model_version`,
      [modelName, environment, modelVersion],
    );
  },

  /** A retired deployment that was serving leaves nothing serving in that environment. */
  async clearServing(client: PoolClient, modelName: string, environment: string, modelVersion: number): Promise<void> {
    await client.query('DELETE FROM gates.serving_full_traffic WHERE model_name = $1 AND environment = $2 AND model_version = $3', [modelName, environment, modelVersion]);
  },

  /**
   * The part of a model's state a decision on `candidateVersion` can need: every latest verdict,
   * the serving versions, and the subjects of the candidate and of each possible baseline.
   */
  async loadState(client: PoolClient, modelName: string, candidateVersion: number): Promise<GateModelState> {
    const verdictRows = (await client.query('SELECT model_version, verdict FROM gates.latest_verdicts WHERE model_name = $1', [modelName])).rows as Array<{ model_version: number; verdict: 'PASSED' | 'FAILED' }>;
    const servingRows = (await client.query('SELECT environment, model_version FROM gates.serving_full_traffic WHERE model_name = $1', [modelName])).rows as Array<{ environment: string; model_version: number }>;
    const passedBefore = verdictRows.filter((row) => row.verdict === 'PASSED' && row.model_version < candidateVersion).map((row) => row.model_version);
    const wanted = new Set([candidateVersion, ...servingRows.map((row) => row.model_version), ...(passedBefore.length > 0 ? [Math.max(...passedBefore)] : [])]);
    const subjectRows = (await client.query('SELECT model_version, metrics, artifacts FROM gates.subjects WHERE model_name = $1 AND model_version = ANY($2::int[])', [modelName, [...wanted]])).rows as Array<{
      model_version: number;
      metrics: ValidationMetrics;
      artifacts: ArtifactRecord[];
    }>;
    return {
      modelName,
      subjects: new Map(subjectRows.map((row) => [row.model_version, { modelName, modelVersion: row.model_version, metrics: row.metrics, artifacts: row.artifacts }])),
      verdicts: new Map(verdictRows.map((row) => [row.model_version, row.verdict])),
      servingFullTraffic: Object.fromEntries(servingRows.map((row) => [row.environment, row.model_version])),
    };
  },

  async saveDecision(client: PoolClient, decision: GateEvaluated): Promise<void> {
    const { envelope } = decision;
    await client.query(
      `INSERT INTO gates.decisions (event_id, model_name, model_version, decided_at, verdict, baseline_version, policy_id, policy_version, trigger, decision)
       VALUES ($1, $2, $3, to_timestamp($4 / 1000.0), $5, $6, $7, $8, $9, $10)`,
      [envelope.eventId, decision.modelName, decision.candidateVersion, envelope.occurredAt, decision.verdict, decision.baselineVersion, decision.policy.policyId, decision.policy.policyVersion, decision.trigger, JSON.stringify(decision)],
    );
    await client.query(
      `INSERT INTO gates.latest_verdicts (model_name, model_version, verdict, event_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (model_name, model_version) DO UPDATE SET verdict = EXCLUDED.verdict, event_id = EXCLUDED.event_id`,
      [decision.modelName, decision.candidateVersion, decision.verdict, envelope.eventId],
    );
  },

  async listDecisions(client: PoolClient, modelName: string, modelVersion: number): Promise<GateEvaluated[]> {
    const rows = (await client.query('SELECT decision FROM gates.decisions WHERE model_name = $1 AND model_version = $2 ORDER BY decided_at, event_id', [modelName, modelVersion])).rows as Array<{ decision: GateEvaluated }>;
    return rows.map((row) => row.decision);
  },

  /** Every model with a registered version. */
  async registeredModels(client: PoolClient): Promise<string[]> {
    const rows = (await client.query('SELECT DISTINCT model_name FROM gates.subjects ORDER BY model_name')).rows as Array<{ model_name: string }>;
    return rows.map((row) => row.model_name);
  },

  /**
   * The metric names any registered version of these models carries, by place; `p99Metric` is the
   * name under which a target's `p99LatencyMs` field is read. Null when none of them has a version.
   */
  async metricsCarried(client: PoolClient, modelNames: readonly string[], p99Metric: string): Promise<CarriedMetrics | null> {
    if (modelNames.length === 0) return null;
    const rows = (
      await client.query(
        `WITH s AS (SELECT metrics FROM gates.subjects WHERE model_name = ANY($1::text[]))
         SELECT 'overall' AS place, k AS metric FROM s, jsonb_object_keys(s.metrics->'overall') AS k
         UNION SELECT 'slices', k FROM s, jsonb_array_elements(s.metrics->'slices') AS e, jsonb_object_keys(e->'metrics') AS k
         UNION SELECT 'fairness', k FROM s, jsonb_array_elements(s.metrics->'fairness') AS e, jsonb_object_keys(e->'metrics') AS k
         UNION SELECT 'operational', k FROM s, jsonb_array_elements(s.metrics->'operational') AS e, jsonb_object_keys(e->'metrics') AS k
         UNION SELECT 'operational', $2 FROM s, jsonb_array_elements(s.metrics->'operational') AS e WHERE jsonb_typeof(e->'p99LatencyMs') = 'number'`,
        [modelNames, p99Metric],
      )
    ).rows as Array<{ place: MetricPlace; metric: string }>;
    const carried: Record<MetricPlace, Set<string>> = { overall: new Set(), slices: new Set(), fairness: new Set(), operational: new Set() };
    for (const row of rows) carried[row.place].add(row.metric);
    return carried;
  },

  /** The latest version of every published policy. */
  async latestPolicies(client: PoolClient): Promise<GatePolicy[]> {
    const rows = (await client.query('SELECT DISTINCT ON (policy_id) document FROM gates.policies ORDER BY policy_id, policy_version DESC')).rows as Array<{ document: GatePolicy }>;
    return rows.map((row) => row.document);
  },
};
