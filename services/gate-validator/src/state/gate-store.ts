import type { PlacementState } from '@modelreg/deployments';
import type { ArtifactRecord, GateEvaluated, ValidationMetrics } from '@modelreg/events';
import { DEFAULT_POLICY, initialGateState, type CarriedMetrics, type GatePolicy, type MetricPlace } from '@modelreg/gates';
import type { Pool, PoolClient } from '@modelreg/postgres';
import { placementDocument, withPlacements, type GateValidatorState } from './gate-validator-state';

type Queryable = Pool | PoolClient;

/**
 * SQL for the gate's state in schema `gates`: it stores what `foldGateEvent` computes and decides
 * nothing. Every method runs in the caller's transaction.
 */
export const gateStore = {
  /**
   * The part of a model's state an event can need: every latest verdict, every placement, and the
   * subjects of the candidate (if any) and of each possible baseline.
   */
  async loadState(client: PoolClient, modelName: string, candidateVersion: number | null): Promise<GateValidatorState> {
    const verdictRows = (await client.query('SELECT model_version, verdict FROM gates.latest_verdicts WHERE model_name = $1', [modelName])).rows as Array<{ model_version: number; verdict: 'PASSED' | 'FAILED' }>;
    const placementRows = (await client.query('SELECT state FROM gates.placements WHERE model_name = $1', [modelName])).rows as Array<{ state: PlacementState }>;
    const placements = placementRows.map((row) => row.state);
    const gate = { ...initialGateState(modelName), verdicts: new Map(verdictRows.map((row) => [row.model_version, row.verdict])) };
    const state = withPlacements({ gate, placements: [] }, placements);
    if (candidateVersion === null) return state;
    const passedBefore = verdictRows.filter((row) => row.verdict === 'PASSED' && row.model_version < candidateVersion).map((row) => row.model_version);
    const serving = placements.map((p) => p.servingVersion).filter((version): version is number => version !== null);
    const wanted = new Set([candidateVersion, ...serving, ...(passedBefore.length > 0 ? [Math.max(...passedBefore)] : [])]);
    const subjectRows = (await client.query('SELECT model_version, metrics, artifacts FROM gates.subjects WHERE model_name = $1 AND model_version = ANY($2::int[])', [modelName, [...wanted]])).rows as Array<{
      model_version: number;
      metrics: ValidationMetrics;
      artifacts: ArtifactRecord[];
    }>;
    return { ...state, gate: { ...state.gate, subjects: new Map(subjectRows.map((row) => [row.model_version, { modelName, modelVersion: row.model_version, metrics: row.metrics, artifacts: row.artifacts }])) } };
  },

  /** Stores what changed between two states of a model: new subjects, changed verdicts, changed placements. */
  async saveState(client: PoolClient, before: GateValidatorState, after: GateValidatorState): Promise<void> {
    const modelName = after.gate.modelName;
    for (const [version, subject] of after.gate.subjects) {
      if (before.gate.subjects.has(version)) continue;
      await client.query('INSERT INTO gates.subjects (model_name, model_version, metrics, artifacts) VALUES ($1, $2, $3, $4) ON CONFLICT (model_name, model_version) DO NOTHING', [
        modelName,
        version,
        JSON.stringify(subject.metrics),
        JSON.stringify(subject.artifacts),
      ]);
    }
    for (const [version, verdict] of after.gate.verdicts) {
      if (before.gate.verdicts.get(version) === verdict) continue;
      await client.query(
        `INSERT INTO gates.latest_verdicts (model_name, model_version, verdict) VALUES ($1, $2, $3)
         ON CONFLICT (model_name, model_version) DO UPDATE SET verdict = EXCLUDED.verdict`,
        [modelName, version, verdict],
      );
    }
    for (const placement of after.placements) {
      if (before.placements.includes(placement)) continue;
      const { environment, service, surface } = placement.placement;
      await client.query(
        `INSERT INTO gates.placements (model_name, environment, service, surface, state) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (model_name, environment, service, surface) DO UPDATE SET state = EXCLUDED.state`,
        [modelName, environment, service, surface, JSON.stringify(placementDocument(placement))],
      );
    }
  },

  /** Appends a decision to the decisions on record (what GET …/decisions lists); false when that decision (same id) is there already. */
  async saveDecision(client: PoolClient, decision: GateEvaluated): Promise<boolean> {
    const { envelope } = decision;
    const inserted = await client.query(
      `INSERT INTO gates.decisions (event_id, model_name, model_version, decided_at, verdict, baseline_version, policy_id, policy_version, trigger, decision)
       VALUES ($1, $2, $3, to_timestamp($4 / 1000.0), $5, $6, $7, $8, $9, $10) ON CONFLICT (event_id) DO NOTHING`,
      [envelope.eventId, decision.modelName, decision.candidateVersion, envelope.occurredAt, decision.verdict, decision.baselineVersion, decision.policy.policyId, decision.policy.policyVersion, decision.trigger, JSON.stringify(decision)],
    );
    return (inserted.rowCount ?? 0) > 0;
  },

  /** The placement fold's state of every placement of the model, ordered by environment, service, surface. */
  async placements(db: Queryable, modelName: string): Promise<PlacementState[]> {
    const rows = (await db.query('SELECT state FROM gates.placements WHERE model_name = $1 ORDER BY environment, service, surface', [modelName])).rows as Array<{ state: PlacementState }>;
    return rows.map((row) => row.state);
  },

  async isRegistered(db: Queryable, modelName: string, modelVersion: number): Promise<boolean> {
    return ((await db.query('SELECT 1 FROM gates.subjects WHERE model_name = $1 AND model_version = $2', [modelName, modelVersion])).rowCount ?? 0) > 0;
  },

  async listDecisions(db: Queryable, modelName: string, modelVersion: number): Promise<GateEvaluated[]> {
    const rows = (await db.query('SELECT decision FROM gates.decisions WHERE model_name = $1 AND model_version = $2 ORDER BY decided_at, event_id', [modelName, modelVersion])).rows as Array<{ decision: GateEvaluated }>;
    return rows.map((row) => row.decision);
  },

  /** Every decision on record caused by a registration, by event id. */
  async registrationDecisions(db: Queryable): Promise<GateEvaluated[]> {
    const rows = (await db.query("SELECT decision FROM gates.decisions WHERE trigger = 'RunRegistered' ORDER BY model_name, model_version, decided_at, event_id")).rows as Array<{ decision: GateEvaluated }>;
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
  async latestPolicies(db: Queryable): Promise<GatePolicy[]> {
    const rows = (await db.query('SELECT DISTINCT ON (policy_id) document FROM gates.policies ORDER BY policy_id, policy_version DESC')).rows as Array<{ document: GatePolicy }>;
    return rows.map((row) => row.document);
  },

  /** A published policy version, or the built-in default as version 1 of "default". */
  async policyVersion(db: Queryable, policyId: string, version: number): Promise<GatePolicy | null> {
    if (policyId === DEFAULT_POLICY.policyId && version === DEFAULT_POLICY.version) return DEFAULT_POLICY;
    const row = (await db.query('SELECT document FROM gates.policies WHERE policy_id = $1 AND policy_version = $2', [policyId, version])).rows[0] as { document: GatePolicy } | undefined;
    return row?.document ?? null;
  },
};
