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
    const states = await gateStore.loadStates(client, new Map([[modelName, candidateVersion === null ? [] : [candidateVersion]]]));
    return states.get(modelName) as GateValidatorState;
  },

  /**
   * `loadState` for many models in three queries (a batch): each model's state holds the subjects
   * of every candidate listed for it and of each possible baseline of each, as the tables are now.
   */
  async loadStates(client: PoolClient, candidates: ReadonlyMap<string, readonly number[]>): Promise<Map<string, GateValidatorState>> {
    const models = [...candidates.keys()];
    const verdictRows = (
      await client.query('SELECT model_name, model_version, verdict FROM gates.latest_verdicts WHERE model_name = ANY($1::text[])', [
        models,
      ])
    ).rows as Array<{ model_name: string; model_version: number; verdict: 'PASSED' | 'FAILED' }>;
    const placementRows = (
      await client.query('SELECT model_name, state FROM gates.placements WHERE model_name = ANY($1::text[])', [models])
    ).rows as Array<{ model_name: string; state: PlacementState }>;
    const states = new Map<string, GateValidatorState>();
    const wanted: Array<{ modelName: string; version: number }> = [];
    for (const [modelName, versions] of candidates) {
      const verdicts = verdictRows.filter((row) => row.model_name === modelName);
      const placements = placementRows.filter((row) => row.model_name === modelName).map((row) => row.state);
      const gate = { ...initialGateState(modelName), verdicts: new Map(verdicts.map((row) => [row.model_version, row.verdict])) };
      states.set(modelName, withPlacements({ gate, placements: [] }, placements));
      const serving = placements.map((p) => p.servingVersion).filter((version): version is number => version !== null);
      const subjectVersions = new Set(versions.length > 0 ? serving : []);
      for (const candidate of versions) {
        const passedBefore = verdicts
          .filter((row) => row.verdict === 'PASSED' && row.model_version < candidate)
          .map((row) => row.model_version);
        subjectVersions.add(candidate);
        if (passedBefore.length > 0) subjectVersions.add(Math.max(...passedBefore));
      }
      for (const version of subjectVersions) wanted.push({ modelName, version });
    }
    if (wanted.length === 0) return states;
    const subjectRows = (
      await client.query(
        'SELECT s.model_name, s.model_version, s.metrics, s.artifacts FROM gates.subjects s JOIN ' +
          'unnest($1::text[], $2::int[]) AS w(model_name, model_version) USING (model_name, model_version)',
        [wanted.map((w) => w.modelName), wanted.map((w) => w.version)],
      )
    ).rows as Array<{ model_name: string; model_version: number; metrics: ValidationMetrics; artifacts: ArtifactRecord[] }>;
    for (const [modelName, state] of states) {
      const subjects = subjectRows
        .filter((row) => row.model_name === modelName)
        .map(
          (row) =>
            [row.model_version, { modelName, modelVersion: row.model_version, metrics: row.metrics, artifacts: row.artifacts }] as const,
        );
      states.set(modelName, { ...state, gate: { ...state.gate, subjects: new Map(subjects) } });
    }
    return states;
  },

  /** Stores what changed between two states of a model: new subjects, changed verdicts, changed placements. */
  async saveState(client: PoolClient, before: GateValidatorState, after: GateValidatorState): Promise<void> {
    await gateStore.saveStates(client, [{ before, after }]);
  },

  /** `saveState` for many models (one change each) in at most three statements. */
  async saveStates(client: PoolClient, changes: ReadonlyArray<{ before: GateValidatorState; after: GateValidatorState }>): Promise<void> {
    const subjects: Array<{ modelName: string; version: number; metrics: ValidationMetrics; artifacts: readonly ArtifactRecord[] }> = [];
    const verdicts: Array<{ modelName: string; version: number; verdict: string }> = [];
    const placements: Array<{ modelName: string; placement: PlacementState }> = [];
    for (const { before, after } of changes) {
      const modelName = after.gate.modelName;
      for (const [version, subject] of after.gate.subjects) {
        if (!before.gate.subjects.has(version))
          subjects.push({ modelName, version, metrics: subject.metrics, artifacts: subject.artifacts });
      }
      for (const [version, verdict] of after.gate.verdicts) {
        if (before.gate.verdicts.get(version) !== verdict) verdicts.push({ modelName, version, verdict });
      }
      for (const placement of after.placements) if (!before.placements.includes(placement)) placements.push({ modelName, placement });
    }
    // Documents travel as one JSON parameter: node-pg escapes a jsonb[] parameter character by character.
    if (subjects.length > 0) {
      await client.query(
        `INSERT INTO gates.subjects (model_name, model_version, metrics, artifacts)
         SELECT s->>'modelName', (s->>'version')::int, s->'metrics', s->'artifacts' FROM jsonb_array_elements($1::jsonb) AS e(s)
         ON CONFLICT (model_name, model_version) DO NOTHING`,
        [JSON.stringify(subjects)],
      );
    }
    if (verdicts.length > 0) {
      await client.query(
        `INSERT INTO gates.latest_verdicts (model_name, model_version, verdict) SELECT * FROM unnest($1::text[], $2::int[], $3::text[])
         ON CONFLICT (model_name, model_version) DO UPDATE SET verdict = EXCLUDED.verdict`,
        [verdicts.map((v) => v.modelName), verdicts.map((v) => v.version), verdicts.map((v) => v.verdict)],
      );
    }
    if (placements.length > 0) {
      const rows = placements.map(({ modelName, placement }) => {
        const { environment, service, surface } = placement.placement;
        return { modelName, environment, service, surface, state: placementDocument(placement) };
      });
      await client.query(
        `INSERT INTO gates.placements (model_name, environment, service, surface, state)
         SELECT p->>'modelName', p->>'environment', p->>'service', p->>'surface', p->'state' FROM jsonb_array_elements($1::jsonb) AS e(p)
         ON CONFLICT (model_name, environment, service, surface) DO UPDATE SET state = EXCLUDED.state`,
        [JSON.stringify(rows)],
      );
    }
  },

  /**
   * Appends decisions to the decisions on record (what GET …/decisions lists) in one statement;
   * answers the ids it added (a decision whose id is there already, or came earlier in the list, is not).
   */
  async saveDecisions(client: PoolClient, decisions: readonly GateEvaluated[]): Promise<Set<string>> {
    if (decisions.length === 0) return new Set();
    const inserted = await client.query(
      `INSERT INTO gates.decisions (event_id, model_name, model_version, decided_at, verdict, baseline_version, policy_id,
        policy_version, trigger, decision)
       SELECT (d->'envelope'->>'eventId')::uuid, d->>'modelName', (d->>'candidateVersion')::int,
         to_timestamp((d->'envelope'->>'occurredAt')::float8 / 1000.0), d->>'verdict',
              (d->>'baselineVersion')::int, d->'policy'->>'policyId', (d->'policy'->>'policyVersion')::int, d->>'trigger', d
       FROM jsonb_array_elements($1::jsonb) AS e(d)
       ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
      [JSON.stringify(decisions)],
    );
    return new Set((inserted.rows as Array<{ event_id: string }>).map((row) => row.event_id));
  },

  /** The placement fold's state of every placement of the model, ordered by environment, service, surface. */
  async placements(db: Queryable, modelName: string): Promise<PlacementState[]> {
    const rows = (
      await db.query('SELECT state FROM gates.placements WHERE model_name = $1 ORDER BY environment, service, surface', [modelName])
    ).rows as Array<{ state: PlacementState }>;
    return rows.map((row) => row.state);
  },

  async isRegistered(db: Queryable, modelName: string, modelVersion: number): Promise<boolean> {
    return (
      ((await db.query('SELECT 1 FROM gates.subjects WHERE model_name = $1 AND model_version = $2', [modelName, modelVersion])).rowCount ??
        0) > 0
    );
  },

  async listDecisions(db: Queryable, modelName: string, modelVersion: number): Promise<GateEvaluated[]> {
    const rows = (
      await db.query('SELECT decision FROM gates.decisions WHERE model_name = $1 AND model_version = $2 ORDER BY decided_at, event_id', [
        modelName,
        modelVersion,
      ])
    ).rows as Array<{ decision: GateEvaluated }>;
    return rows.map((row) => row.decision);
  },

  /** Every decision on record caused by a registration, by event id. */
  async registrationDecisions(db: Queryable): Promise<GateEvaluated[]> {
    const rows = (
      await db.query(
        "SELECT decision FROM gates.decisions WHERE trigger = 'RunRegistered' ORDER BY model_name, model_version, decided_at, event_id",
      )
    ).rows as Array<{ decision: GateEvaluated }>;
    return rows.map((row) => row.decision);
  },

  /** Every model with a registered version. */
  async registeredModels(client: PoolClient): Promise<string[]> {
    const rows = (await client.query('SELECT DISTINCT model_name FROM gates.subjects ORDER BY model_name')).rows as Array<{
      model_name: string;
    }>;
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
         UNION SELECT 'operational', $2 FROM s, jsonb_array_elements(s.metrics->'operational') AS e WHERE
           jsonb_typeof(e->'p99LatencyMs') = 'number'`,
        [modelNames, p99Metric],
      )
    ).rows as Array<{ place: MetricPlace; metric: string }>;
    const carried: Record<MetricPlace, Set<string>> = {
      overall: new Set(),
      slices: new Set(),
      fairness: new Set(),
      operational: new Set(),
    };
    for (const row of rows) carried[row.place].add(row.metric);
    return carried;
  },

  /** The latest version of every published policy. */
  async latestPolicies(db: Queryable): Promise<GatePolicy[]> {
    const rows = (await db.query('SELECT DISTINCT ON (policy_id) document FROM gates.policies ORDER BY policy_id, policy_version DESC'))
      .rows as Array<{ document: GatePolicy }>;
    return rows.map((row) => row.document);
  },

  /** A published policy version, or the built-in default as version 1 of "default". */
  async policyVersion(db: Queryable, policyId: string, version: number): Promise<GatePolicy | null> {
    if (policyId === DEFAULT_POLICY.policyId && version === DEFAULT_POLICY.version) return DEFAULT_POLICY;
    const row = (await db.query('SELECT document FROM gates.policies WHERE policy_id = $1 AND policy_version = $2', [policyId, version]))
      .rows[0] as { document: GatePolicy } | undefined;
    return row?.document ?? null;
  },
};
