import { originOf, type ReproductionRecorded, type RunRegistered } from '@modelreg/events';
import { recordReproduction, type GatePolicy } from '@modelreg/gates';
import type { VersionLineage } from '@modelreg/lineage';
import type { PoolClient } from '@modelreg/postgres';
import { SERVICE_NAME } from '../gate-validator.constants';

/** A registration's lineage: the event without its envelope. */
function lineageOf(registered: RunRegistered): VersionLineage {
  const { envelope: _envelope, ...lineage } = registered;
  return lineage;
}

const versionKey = (modelName: string, version: number) => `${modelName}\u0000${version}`;

/**
 * Keeps every registration's lineage and, for a run registered as a reproduction of an earlier
 * version, compares the two (`recordReproduction`, under the model's governing policy). One per
 * batch of registrations: `prepare` reads the originals the batch names at once, `compare` runs
 * per registration in log order (an original registered earlier in the batch counts, as if stored
 * already), `save` stores the batch's lineage in one statement.
 */
export class ReproductionRecorder {
  private readonly stored = new Map<string, VersionLineage>();
  private readonly seen = new Map<string, VersionLineage>();
  private readonly registrations: RunRegistered[] = [];

  /** Reads the stored lineage of every original these registrations name. */
  async prepare(client: PoolClient, registrations: readonly RunRegistered[]): Promise<void> {
    const originals = registrations.flatMap((r) => (r.reproductionOf ? [{ modelName: r.modelName, version: r.reproductionOf }] : []));
    if (originals.length === 0) return;
    const rows = (
      await client.query(
        'SELECT l.model_name, l.model_version, l.lineage FROM gates.lineage l JOIN unnest($1::text[], ' +
          '$2::int[]) AS o(model_name, model_version) USING (model_name, model_version)',
        [originals.map((o) => o.modelName), originals.map((o) => o.version)],
      )
    ).rows as Array<{ model_name: string; model_version: number; lineage: VersionLineage }>;
    for (const row of rows) this.stored.set(versionKey(row.model_name, row.model_version), row.lineage);
  }

  /**
   * Notes the registration's lineage; for a reproduction, the comparison to queue (ReproductionRecorded),
   * or why nothing was recorded when the original's lineage is unknown here (registered before this table existed).
   */
  compare(registered: RunRegistered, policy: GatePolicy): { recorded: ReproductionRecorded } | { notCompared: string } | null {
    const lineage = lineageOf(registered);
    const key = versionKey(registered.modelName, registered.modelVersion);
    this.registrations.push(registered);
    if (!this.seen.has(key)) this.seen.set(key, lineage);
    if (!registered.reproductionOf) return null;
    const originalKey = versionKey(registered.modelName, registered.reproductionOf);
    // The stored row wins over one seen in the batch, as the first insert of a key does.
    const original = this.stored.get(originalKey) ?? this.seen.get(originalKey);
    if (!original)
      return {
        notCompared:
          `reproduction not compared: the lineage of ${registered.modelName} ` + `v${registered.reproductionOf} is not known to the gate`,
      };
    const { envelope } = registered;
    return {
      recorded: recordReproduction({
        original,
        reproduction: lineage,
        policy,
        occurredAt: envelope.occurredAt,
        producer: SERVICE_NAME,
        origin: originOf(envelope),
        causationId: envelope.eventId,
      }),
    };
  }

  /** Stores the lineage of every registration compared (the first of each version, unless stored already). */
  async save(client: PoolClient): Promise<void> {
    if (this.registrations.length === 0) return;
    const rows = this.registrations.map((registered) => ({
      modelName: registered.modelName,
      modelVersion: registered.modelVersion,
      lineage: lineageOf(registered),
    }));
    await client.query(
      `INSERT INTO gates.lineage (model_name, model_version, lineage)
       SELECT l->>'modelName', (l->>'modelVersion')::int, l->'lineage' FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY
         AS e(l, n) ORDER BY n
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(rows)],
    );
  }
}
