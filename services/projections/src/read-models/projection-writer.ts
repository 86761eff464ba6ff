import type { RunRegistered } from '@modelreg/events';
import type { ConsumedEvent } from '@modelreg/kafka';
import { toModelVersionRow } from '@modelreg/projections';
import type { PoolClient } from '@modelreg/postgres';

/**
 * Applies new events to the read models with set-based statements (one per table per batch), so
 * a rebuild from offset 0 runs at bulk speed. Called by the EventLedger inside its transaction,
 * with only the events not applied before.
 */
export async function applyToReadModels(client: PoolClient, events: ConsumedEvent[]): Promise<void> {
  await indexEvents(client, events);
  const runs: RunRegistered[] = [];
  for (const { event } of events) {
    switch (event.type) {
      case 'RunRegistered':
        runs.push(event.data);
        break;
      case 'RunSubmitted':
      case 'GateEvaluated':
      case 'GatePolicyPublished':
      case 'ModelPromoted':
      case 'CanaryStarted':
      case 'CanaryTrafficChanged':
      case 'RolloutCompleted':
      case 'RolledBack':
      case 'DeploymentRetired':
      case 'OnlineMetricsReported':
      case 'AbTestConcluded':
      case 'OfflineOnlineDivergenceDetected':
      case 'RollbackRecommended':
      case 'DeploymentReportRejected':
      case 'DeploymentReportSubmitted':
        // Indexed for audit; their read models come with the gate and deployment projections.
        break;
      default: {
        const unreachable: never = event;
        throw new Error(`unhandled ${String(unreachable)}`);
      }
    }
  }
  await insertRuns(client, runs);
}

async function indexEvents(client: PoolClient, events: ConsumedEvent[]): Promise<void> {
  await client.query(
    `INSERT INTO projections.event_index (event_id, event_type, model_name, model_version, topic, kafka_partition, kafka_offset, occurred_at)
     SELECT e.id, e.type, e.model, e.version, e.topic, e.part, e.off, to_timestamp(e.at / 1000.0)
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::text[], $6::int[], $7::bigint[], $8::bigint[]) AS e(id, type, model, version, topic, part, off, at)
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
    ],
  );
}

async function insertRuns(client: PoolClient, runs: RunRegistered[]): Promise<void> {
  if (runs.length === 0) return;
  const rows = runs.map(toModelVersionRow);
  await client.query(
    `WITH inserted AS (
       INSERT INTO projections.model_versions
         (model_name, model_version, training_run_id, registered_at, code_repository, code_commit, code_hash, environment_fingerprint, lineage, event_id)
       SELECT r.model, r.version, r.run, to_timestamp(r.at / 1000.0), r.repo, r.commit, r.hash, r.env, r.lineage, r.id
         FROM unnest($1::text[], $2::int[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[], $10::uuid[])
           AS r(model, version, run, at, repo, commit, hash, env, lineage, id)
       ON CONFLICT (model_name, model_version) DO NOTHING
       RETURNING model_name, model_version, registered_at
     )
     INSERT INTO projections.models (model_name, latest_version, version_count, first_registered_at, last_registered_at)
     SELECT model_name, max(model_version), count(*), min(registered_at), max(registered_at) FROM inserted GROUP BY model_name
     ON CONFLICT (model_name) DO UPDATE SET
       latest_version = GREATEST(models.latest_version, EXCLUDED.latest_version),
       version_count = models.version_count + EXCLUDED.version_count,
       first_registered_at = LEAST(models.first_registered_at, EXCLUDED.first_registered_at),
       last_registered_at = GREATEST(models.last_registered_at, EXCLUDED.last_registered_at)`,
    [
      rows.map((r) => r.modelName),
      rows.map((r) => r.modelVersion),
      rows.map((r) => r.trainingRunId),
      rows.map((r) => r.registeredAt),
      rows.map((r) => r.codeRepository),
      rows.map((r) => r.codeCommit),
      rows.map((r) => r.codeHash),
      rows.map((r) => r.environmentFingerprint),
      rows.map((r) => JSON.stringify(r.lineage)),
      rows.map((r) => r.eventId),
    ],
  );
}
