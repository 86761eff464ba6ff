import type { ConsumedEvent } from '@modelreg/kafka';
import type { EventPayloads, RegistryEvent, RunRegistered } from '@modelreg/events';
import { evolvePlacement, type Placement, type PlacementEvent } from '@modelreg/deployments';
import { toModelVersionRow } from '@modelreg/projections';
import { copyRows, type PoolClient } from '@modelreg/postgres';
import { placementFromReadRows, placementReadRows, type DeploymentReadRow, type PlacementReadRow } from './placement-rows';

/**
 * Applies new events to the read models in `schema` (the live `projections`, or a rebuild).
 * Registrations, the bulk of the log, go in with set-based statements so a rebuild from offset 0
 * runs at bulk speed; the rest one by one, in log order. Called inside the event ledger's
 * transaction, with only the events not applied before.
 */
export function readModelWriter(schema: string) {
  return async (client: PoolClient, events: ConsumedEvent[]): Promise<void> => {
    await indexEvents(client, schema, events);
    // Registrations and decisions (the lineage and gates topics: never in one batch) are written set-based.
    const runs: RunRegistered[] = [];
    const decisions: Array<EventPayloads['GateEvaluated']> = [];
    const flush = async () => {
      await insertRuns(client, schema, runs.splice(0));
      await insertDecisions(client, schema, decisions.splice(0));
    };
    for (const { event } of events) {
      if (event.type === 'RunRegistered') runs.push(event.data);
      else if (event.type === 'GateEvaluated') decisions.push(event.data);
      else {
        await flush();
        await applyOne(client, schema, event);
      }
    }
    await flush();
  };
}

async function applyOne(client: PoolClient, schema: string, event: RegistryEvent): Promise<void> {
  switch (event.type) {
    case 'ReproductionRecorded':
      return insertReproduction(client, schema, event.data);
    case 'CanaryStarted':
    case 'CanaryTrafficChanged':
    case 'RolloutCompleted':
    case 'RolledBack':
    case 'DeploymentRetired':
      await applyDeployment(client, schema, event);
      return addToTimeline(client, schema, event);
    case 'OnlineMetricsReported':
      await insertOnlineMetrics(client, schema, event.data);
      return addToTimeline(client, schema, event);
    case 'AbTestConcluded':
      await insertAbTest(client, schema, event.data);
      return addToTimeline(client, schema, event);
    case 'ModelPromoted':
    case 'OfflineOnlineDivergenceDetected':
    case 'RollbackRecommended':
    case 'DeploymentReportRejected':
      return addToTimeline(client, schema, event);
    case 'RunRegistered':
    case 'GateEvaluated':
    case 'RunSubmitted':
    case 'GatePolicyPublished':
    case 'PolicyProposed':
    case 'PolicyApproved':
    case 'DeploymentReportSubmitted':
      // Indexed for audit (event_index); RunRegistered and GateEvaluated go through insertRuns and insertDecisions.
      return;
    default: {
      const unreachable: never = event;
      throw new Error(`unhandled ${String(unreachable)}`);
    }
  }
}

async function indexEvents(client: PoolClient, schema: string, events: ConsumedEvent[]): Promise<void> {
  await client.query(
    `INSERT INTO ${schema}.event_index (event_id, event_type, model_name, model_version, topic, kafka_partition,
        kafka_offset, occurred_at, logged_at)
     SELECT e.id, e.type, e.model, e.version, e.topic, e.part, e.off, to_timestamp(e.at / 1000.0), to_timestamp(e.logged / 1000.0)
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::text[], $6::int[], $7::bigint[], $8::bigint[], $9::bigint[])
        AS e(id, type, model, version, topic, part, off, at, logged)
     ON CONFLICT (event_id) DO NOTHING`,
    [
      events.map((c) => c.event.data.envelope.eventId),
      events.map((c) => c.event.type),
      events.map((c) => c.event.data.envelope.subject.modelName),
      events.map((c) => c.event.data.envelope.subject.modelVersion),
      events.map((c) => c.source.topic),
      events.map((c) => c.source.partition),
      events.map((c) => c.source.offset),
      events.map((c) => c.event.data.envelope.occurredAt),
      events.map((c) => c.timestamp),
    ],
  );
}

/**
 * Registrations arrive by COPY into a per-connection staging table, then one set-based statement
 * moves them in: for a batch of thousands, building and parsing a jsonb[] array parameter cost
 * more than the insert itself (measured: docs/BENCHMARKS.md, replay).
 */
const STAGE_REGISTRATIONS = `CREATE TEMP TABLE IF NOT EXISTS staged_registrations (
  seq integer NOT NULL, model_name text NOT NULL, model_version integer NOT NULL, training_run_id text NOT NULL,
  registered_at bigint NOT NULL, code_repository text NOT NULL, code_commit text NOT NULL, code_hash text NOT NULL,
  environment_fingerprint text NOT NULL, lineage jsonb NOT NULL, event_id uuid NOT NULL
) ON COMMIT DELETE ROWS`;
const STAGED_COLUMNS = [
  'seq',
  'model_name',
  'model_version',
  'training_run_id',
  'registered_at',
  'code_repository',
  'code_commit',
  'code_hash',
  'environment_fingerprint',
  'lineage',
  'event_id',
];

async function insertRuns(client: PoolClient, schema: string, runs: RunRegistered[]): Promise<void> {
  if (runs.length === 0) return;
  await client.query(STAGE_REGISTRATIONS);
  await copyRows(
    client,
    'pg_temp.staged_registrations',
    STAGED_COLUMNS,
    runs.map((run, seq) => {
      const r = toModelVersionRow(run);
      return [
        seq,
        r.modelName,
        r.modelVersion,
        r.trainingRunId,
        r.registeredAt,
        r.codeRepository,
        r.codeCommit,
        r.codeHash,
        r.environmentFingerprint,
        JSON.stringify(r.lineage),
        r.eventId,
      ];
    }),
  );
  // Staged rows are consumed here: a transaction may stage several runs of registrations between other events.
  await client.query(
    `WITH staged AS (DELETE FROM pg_temp.staged_registrations RETURNING *),
     inserted AS (
       INSERT INTO ${schema}.model_versions
         (model_name, model_version, training_run_id, registered_at, code_repository, code_commit, code_hash,
          environment_fingerprint, lineage, event_id)
       SELECT model_name, model_version, training_run_id, to_timestamp(registered_at / 1000.0),
              code_repository, code_commit, code_hash, environment_fingerprint, lineage, event_id
         FROM staged ORDER BY seq
       ON CONFLICT (model_name, model_version) DO NOTHING
       RETURNING model_name, model_version, registered_at
     )
     INSERT INTO ${schema}.models (model_name, latest_version, version_count, first_registered_at, last_registered_at)
     SELECT model_name, max(model_version), count(*), min(registered_at), max(registered_at) FROM inserted GROUP BY model_name
     ON CONFLICT (model_name) DO UPDATE SET
       latest_version = GREATEST(models.latest_version, EXCLUDED.latest_version),
       version_count = models.version_count + EXCLUDED.version_count,
       first_registered_at = LEAST(models.first_registered_at, EXCLUDED.first_registered_at),
       last_registered_at = GREATEST(models.last_registered_at, EXCLUDED.last_registered_at)`,
  );
  const snapshots = runs.flatMap((run) =>
    run.dataSnapshots.map((snapshot) => [snapshot.snapshotId, run.modelName, run.modelVersion] as const),
  );
  await client.query(
    `INSERT INTO ${schema}.version_data_snapshots (snapshot_id, model_name, model_version) ` +
      `SELECT * FROM unnest($1::text[], $2::text[], $3::int[]) ON CONFLICT DO NOTHING`,
    [snapshots.map((s) => s[0]), snapshots.map((s) => s[1]), snapshots.map((s) => s[2])],
  );
  const features = runs.flatMap((run) =>
    run.features.map((feature) => [feature.name, feature.version, run.modelName, run.modelVersion] as const),
  );
  await client.query(
    `INSERT INTO ${schema}.version_features (feature_name, feature_version, model_name, model_version) ` +
      `SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) ON CONFLICT DO NOTHING`,
    [features.map((f) => f[0]), features.map((f) => f[1]), features.map((f) => f[2]), features.map((f) => f[3])],
  );
}

/** Decisions travel as one JSON document: node-pg escapes a jsonb[] parameter character by character. */
async function insertDecisions(client: PoolClient, schema: string, decisions: Array<EventPayloads['GateEvaluated']>): Promise<void> {
  if (decisions.length === 0) return;
  const rows = decisions.map((decision) => ({
    eventId: decision.envelope.eventId,
    modelName: decision.modelName,
    modelVersion: decision.candidateVersion,
    occurredAt: decision.envelope.occurredAt,
    verdict: decision.verdict,
    eligible: decision.eligibleForDeployment,
    baselineVersion: decision.baselineVersion,
    baselineRule: decision.baselineRule,
    policyId: decision.policy.policyId,
    policyVersion: decision.policy.policyVersion,
    policyHash: decision.policy.contentHash,
    trigger: decision.trigger,
    checks: decision.checks,
    baselines: decision.baselines,
  }));
  await client.query(
    `INSERT INTO ${schema}.gate_decisions (event_id, model_name, model_version, decided_at, verdict, eligible,
        baseline_version, baseline_rule, policy_id, policy_version, policy_hash, trigger, checks, baselines)
     SELECT (d->>'eventId')::uuid, d->>'modelName', (d->>'modelVersion')::int, to_timestamp((d->>'occurredAt')::float8 / 1000.0),
            d->>'verdict', (d->>'eligible')::boolean, (d->>'baselineVersion')::int, d->>'baselineRule', d->>'policyId',
            (d->>'policyVersion')::int, d->>'policyHash', d->>'trigger', d->'checks', d->'baselines'
       FROM jsonb_array_elements($1::jsonb) AS e(d)
     ON CONFLICT (event_id) DO NOTHING`,
    [JSON.stringify(rows)],
  );
}

/** The comparison is kept whole (artifacts, metrics, lineage, environment, sentences) for the version page and the API. */
async function insertReproduction(client: PoolClient, schema: string, record: EventPayloads['ReproductionRecorded']): Promise<void> {
  const { artifacts, metrics, lineageDifferences, environment, differences } = record;
  await client.query(
    `INSERT INTO ${schema}.reproductions (event_id, model_name, model_version, reproduced_version, outcome, recorded_at,
        policy_id, policy_version, policy_hash, comparison)
     VALUES ($1, $2, $3, $4, $5, to_timestamp($6 / 1000.0), $7, $8, $9, $10) ON CONFLICT (event_id) DO NOTHING`,
    [
      record.envelope.eventId,
      record.modelName,
      record.modelVersion,
      record.reproducedVersion,
      record.outcome,
      record.envelope.occurredAt,
      record.policy.policyId,
      record.policy.policyVersion,
      record.policy.contentHash,
      JSON.stringify({ artifacts, metrics, lineageDifferences, environment, differences }),
    ],
  );
}

type DeploymentEvent = Extract<RegistryEvent, { type: PlacementEvent['type'] }>;

const PLACEMENT_WHERE = 'model_name = $1 AND environment = $2 AND service = $3 AND surface = $4';
const ms = (column: string) => `round(extract(epoch FROM ${column}) * 1000)::float8 AS ${column}`;

/** Loads the placement's state from the read models, applies the placement fold, and stores the result. */
async function applyDeployment(client: PoolClient, schema: string, event: DeploymentEvent): Promise<void> {
  const { modelName, environment, service, surface } = event.data;
  const placement: Placement = { modelName, environment, service, surface };
  const key = [modelName, environment, service, surface];
  const row = (
    await client.query(
      `SELECT serving_version, serving_deployment_id, ${ms('serving_since')}, served_versions ` +
        `FROM ${schema}.placements WHERE ${PLACEMENT_WHERE}`,
      key,
    )
  ).rows[0] as PlacementReadRow | undefined;
  const deployments = (
    await client.query(
      `SELECT deployment_id, model_version, status, traffic_percent, baseline_version, ${ms('started_at')}, ${ms('updated_at')} ` +
        `FROM ${schema}.deployments WHERE ${PLACEMENT_WHERE} AND status IN ('CANARY', 'SERVING', 'SUPERSEDED')`,
      key,
    )
  ).rows as DeploymentReadRow[];
  const before = placementFromReadRows(placement, row ?? null, deployments);
  const after = evolvePlacement(before, event);
  const unchanged = new Set(before.deployments.map((record) => JSON.stringify(record)));
  const rows = placementReadRows({ ...after, deployments: after.deployments.filter((record) => !unchanged.has(JSON.stringify(record))) });
  const p = rows.placement;
  await client.query(
    `INSERT INTO ${schema}.placements (model_name, environment, service, surface, serving_version, serving_deployment_id,
        serving_since, served_versions)
     VALUES ($1, $2, $3, $4, $5, $6, to_timestamp($7 / 1000.0), $8)
     ON CONFLICT (model_name, environment, service, surface) DO UPDATE SET
       serving_version = EXCLUDED.serving_version, serving_deployment_id = EXCLUDED.serving_deployment_id,
       serving_since = EXCLUDED.serving_since, served_versions = EXCLUDED.served_versions`,
    [...key, p.serving_version, p.serving_deployment_id, p.serving_since, p.served_versions],
  );
  for (const d of rows.deployments) {
    await client.query(
      `INSERT INTO ${schema}.deployments (deployment_id, model_name, environment, service, surface, model_version, status,
        traffic_percent, baseline_version, started_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, to_timestamp($10 / 1000.0), to_timestamp($11 / 1000.0))
       ON CONFLICT (deployment_id) DO UPDATE SET model_version = EXCLUDED.model_version, status = EXCLUDED.status,
         traffic_percent = EXCLUDED.traffic_percent, baseline_version = EXCLUDED.baseline_version,
         started_at = EXCLUDED.started_at, updated_at = EXCLUDED.updated_at`,
      [d.deployment_id, ...key, d.model_version, d.status, d.traffic_percent, d.baseline_version, d.started_at, d.updated_at],
    );
  }
}

async function addToTimeline(client: PoolClient, schema: string, event: RegistryEvent): Promise<void> {
  const { envelope, ...details } = event.data as unknown as { envelope: RegistryEvent['data']['envelope'] } & Record<string, unknown>;
  const str = (key: string) => (typeof details[key] === 'string' ? (details[key] as string) : null);
  await client.query(
    `INSERT INTO ${schema}.deployment_timeline (event_id, model_name, model_version, occurred_at, event_type, deployment_id,
        environment, service, surface, details, principal, request_id)
     VALUES ($1, $2, $3, to_timestamp($4 / 1000.0), $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (event_id) DO NOTHING`,
    [
      envelope.eventId,
      envelope.subject.modelName,
      envelope.subject.modelVersion,
      envelope.occurredAt,
      event.type,
      str('deploymentId'),
      str('environment'),
      str('service'),
      str('surface'),
      JSON.stringify(details),
      envelope.principal ? JSON.stringify(envelope.principal) : null,
      envelope.requestId,
    ],
  );
}

async function insertOnlineMetrics(client: PoolClient, schema: string, m: EventPayloads['OnlineMetricsReported']): Promise<void> {
  await client.query(
    `INSERT INTO ${schema}.online_metrics (event_id, model_name, model_version, environment, service, surface, window_start,
        window_end, metrics)
     VALUES ($1, $2, $3, $4, $5, $6, to_timestamp($7 / 1000.0), to_timestamp($8 / 1000.0), $9) ON CONFLICT (event_id) DO NOTHING`,
    [
      m.envelope.eventId,
      m.modelName,
      m.modelVersion,
      m.environment,
      m.service,
      m.surface,
      m.windowStart,
      m.windowEnd,
      JSON.stringify(m.metrics),
    ],
  );
}

async function insertAbTest(client: PoolClient, schema: string, t: EventPayloads['AbTestConcluded']): Promise<void> {
  await client.query(
    `INSERT INTO ${schema}.ab_tests (event_id, test_id, model_name, environment, service, surface, control_version,
        treatment_version, decision, results, concluded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, to_timestamp($11 / 1000.0)) ON CONFLICT (event_id) DO NOTHING`,
    [
      t.envelope.eventId,
      t.testId,
      t.modelName,
      t.environment,
      t.service,
      t.surface,
      t.controlVersion,
      t.treatmentVersion,
      t.decision,
      JSON.stringify(t.results),
      t.concludedAt,
    ],
  );
}
