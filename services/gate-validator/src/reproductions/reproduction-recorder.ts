import { originOf, type RunRegistered } from '@modelreg/events';
import { recordReproduction, type GatePolicy } from '@modelreg/gates';
import { eventMessage } from '@modelreg/kafka';
import type { VersionLineage } from '@modelreg/lineage';
import type { PoolClient } from '@modelreg/postgres';
import type { GateValidatorDependencies } from '../gate-validator-dependencies';
import { SERVICE_NAME } from '../gate-validator.constants';

/**
 * Keeps every registration's lineage and, for a run registered as a reproduction of an earlier
 * version, compares the two (`recordReproduction`, under the model's governing policy) and queues
 * ReproductionRecorded in the same transaction. Answers why nothing was recorded when the
 * original's lineage is unknown here (registered before this table existed), else null.
 */
export async function recordLineageAndReproduction(client: PoolClient, deps: GateValidatorDependencies, registered: RunRegistered, policy: GatePolicy): Promise<string | null> {
  const { envelope, ...lineage } = registered;
  await client.query('INSERT INTO gates.lineage (model_name, model_version, lineage) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [registered.modelName, registered.modelVersion, JSON.stringify(lineage)]);
  if (!registered.reproductionOf) return null;
  const row = (await client.query('SELECT lineage FROM gates.lineage WHERE model_name = $1 AND model_version = $2', [registered.modelName, registered.reproductionOf])).rows[0] as { lineage: VersionLineage } | undefined;
  if (!row) return `reproduction not compared: the lineage of ${registered.modelName} v${registered.reproductionOf} is not known to the gate`;
  const record = recordReproduction({
    original: row.lineage,
    reproduction: lineage,
    policy,
    occurredAt: envelope.occurredAt,
    producer: SERVICE_NAME,
    origin: originOf(envelope),
    causationId: envelope.eventId,
  });
  // Through the relay, which seals and chains it like every event this service appends.
  await deps.relay.enqueue(client, [eventMessage(deps.codec, deps.topics, { type: 'ReproductionRecorded', data: record })]);
  return null;
}
