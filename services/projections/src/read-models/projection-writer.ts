import type { RegistryEvent, RunRegistered } from '@modelreg/events';
import type { ConsumedEvent, PartitionBatch } from '@modelreg/kafka';
import { isNewPosition, toModelVersionRow } from '@modelreg/projections';
import { withTransaction, type Pool, type PoolClient } from '@modelreg/postgres';

export interface BatchResult {
  applied: number;
  skippedDuplicates: number;
  skippedPositions: number;
}

/**
 * Applies one partition's batch in one transaction together with the next offset to read, so a
 * crash anywhere leaves either all of the batch or none of it. An event at an offset already
 * applied, or with an event id already applied, changes nothing.
 */
export class ProjectionWriter {
  constructor(
    private readonly pool: Pool,
    private readonly consumerGroup: string,
  ) {}

  applyBatch(batch: PartitionBatch): Promise<BatchResult> {
    return withTransaction(this.pool, async (client) => {
      const position = await client.query(
        'SELECT next_offset::text AS next FROM projections.consumer_positions WHERE consumer_group = $1 AND topic = $2 AND kafka_partition = $3 FOR UPDATE',
        [this.consumerGroup, batch.topic, batch.partition],
      );
      const nextOffset = (position.rows[0] as { next: string } | undefined)?.next ?? null;
      const result: BatchResult = { applied: 0, skippedDuplicates: 0, skippedPositions: 0 };
      for (const consumed of batch.events) {
        if (!isNewPosition(consumed.source.offset, nextOffset)) {
          result.skippedPositions += 1;
        } else if (await recordApplied(client, consumed)) {
          await applyEvent(client, consumed.event);
          result.applied += 1;
        } else {
          result.skippedDuplicates += 1;
        }
      }
      const last = batch.events[batch.events.length - 1];
      if (last && isNewPosition(last.source.offset, nextOffset)) {
        await client.query(
          `INSERT INTO projections.consumer_positions (consumer_group, topic, kafka_partition, next_offset) VALUES ($1, $2, $3, $4)
           ON CONFLICT (consumer_group, topic, kafka_partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now()`,
          [this.consumerGroup, batch.topic, batch.partition, (BigInt(last.source.offset) + 1n).toString()],
        );
      }
      return result;
    });
  }
}

/** True when this event id was not applied before. */
async function recordApplied(client: PoolClient, consumed: ConsumedEvent): Promise<boolean> {
  const { envelope } = consumed.event.data;
  const inserted = await client.query(
    `INSERT INTO projections.applied_events (event_id, event_type, model_name, model_version, topic, kafka_partition, kafka_offset, occurred_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, to_timestamp($8 / 1000.0)) ON CONFLICT (event_id) DO NOTHING`,
    [envelope.eventId, consumed.event.type, envelope.subject.modelName, envelope.subject.modelVersion, consumed.source.topic, consumed.source.partition, consumed.source.offset, envelope.occurredAt],
  );
  return inserted.rowCount === 1;
}

async function applyEvent(client: PoolClient, event: RegistryEvent): Promise<void> {
  switch (event.type) {
    case 'RunRegistered':
      return applyRunRegistered(client, event.data);
    case 'GateEvaluated':
    case 'CanaryStarted':
    case 'RolledBack':
      // Recorded in applied_events (the audit index); their read models come with the gate and deployment projections.
      return;
    default: {
      const unreachable: never = event;
      throw new Error(`unhandled ${String(unreachable)}`);
    }
  }
}

async function applyRunRegistered(client: PoolClient, event: RunRegistered): Promise<void> {
  const row = toModelVersionRow(event);
  await client.query(
    `INSERT INTO projections.model_versions
       (model_name, model_version, training_run_id, registered_at, code_repository, code_commit, code_hash, environment_fingerprint, lineage, event_id)
     VALUES ($1, $2, $3, to_timestamp($4 / 1000.0), $5, $6, $7, $8, $9, $10)
     ON CONFLICT (model_name, model_version) DO NOTHING`,
    [row.modelName, row.modelVersion, row.trainingRunId, row.registeredAt, row.codeRepository, row.codeCommit, row.codeHash, row.environmentFingerprint, JSON.stringify(row.lineage), row.eventId],
  );
  await client.query(
    `INSERT INTO projections.models (model_name, latest_version, version_count, first_registered_at, last_registered_at)
     VALUES ($1, $2, 1, to_timestamp($3 / 1000.0), to_timestamp($3 / 1000.0))
     ON CONFLICT (model_name) DO UPDATE SET
       latest_version = GREATEST(models.latest_version, EXCLUDED.latest_version),
       version_count = models.version_count + 1,
       first_registered_at = LEAST(models.first_registered_at, EXCLUDED.first_registered_at),
       last_registered_at = GREATEST(models.last_registered_at, EXCLUDED.last_registered_at)`,
    [row.modelName, row.modelVersion, row.registeredAt],
  );
}
