import type { BatchHandler, ConsumedEvent, DeadLetter, PartitionBatch } from '@modelreg/kafka';
import { withTransaction, type Pool, type PoolClient } from '@modelreg/postgres';

/**
 * Applies only what is new, exactly once in effect: inside one transaction it skips events at
 * offsets below the partition's stored position and events whose id was applied before, lets
 * `apply` change state for the rest, and stores the next position, all committed together.
 * A crash anywhere leaves all of a batch or none of it; a redelivery changes nothing.
 */
export class EventLedger {
  constructor(
    private readonly pool: Pool,
    /** The service's own Postgres schema, holding applied_events and consumer_positions. */
    private readonly schema: string,
    private readonly consumerGroup: string,
  ) {}

  /** A BatchHandler for BatchConsumer: runs `apply` on the new events of each partition batch. */
  handler(apply: (client: PoolClient, events: ConsumedEvent[]) => Promise<DeadLetter[] | void>): BatchHandler {
    return (batch) => this.applyBatch(batch, apply);
  }

  applyBatch(batch: PartitionBatch, apply: (client: PoolClient, events: ConsumedEvent[]) => Promise<DeadLetter[] | void>): Promise<DeadLetter[]> {
    return withTransaction(this.pool, async (client) => {
      const fresh = await this.claim(client, batch);
      const rejected = fresh.length > 0 ? ((await apply(client, fresh)) ?? []) : [];
      await this.advance(client, batch);
      return rejected;
    });
  }

  private async claim(client: PoolClient, batch: PartitionBatch): Promise<ConsumedEvent[]> {
    const position = await client.query(
      `SELECT next_offset::text AS next FROM ${this.schema}.consumer_positions WHERE consumer_group = $1 AND topic = $2 AND kafka_partition = $3 FOR UPDATE`,
      [this.consumerGroup, batch.topic, batch.partition],
    );
    const nextOffset = BigInt((position.rows[0] as { next: string } | undefined)?.next ?? '0');
    const candidates = batch.events.filter((consumed) => BigInt(consumed.source.offset) >= nextOffset);
    if (candidates.length === 0) return [];
    const inserted = await client.query(
      `INSERT INTO ${this.schema}.applied_events (event_id, consumer_group, topic, kafka_partition, kafka_offset)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::bigint[])
       ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
      [
        candidates.map((c) => c.event.data.envelope.eventId),
        candidates.map(() => this.consumerGroup),
        candidates.map((c) => c.source.topic),
        candidates.map((c) => c.source.partition),
        candidates.map((c) => c.source.offset),
      ],
    );
    const claimed = new Set((inserted.rows as Array<{ event_id: string }>).map((row) => row.event_id));
    // The same event id twice within one batch: the first occurrence wins.
    return candidates.filter((c) => claimed.delete(c.event.data.envelope.eventId));
  }

  private async advance(client: PoolClient, batch: PartitionBatch): Promise<void> {
    const last = batch.events[batch.events.length - 1];
    if (!last) return;
    await client.query(
      `INSERT INTO ${this.schema}.consumer_positions (consumer_group, topic, kafka_partition, next_offset) VALUES ($1, $2, $3, $4)
       ON CONFLICT (consumer_group, topic, kafka_partition) DO UPDATE SET next_offset = GREATEST(consumer_positions.next_offset, EXCLUDED.next_offset), updated_at = now()`,
      [this.consumerGroup, batch.topic, batch.partition, (BigInt(last.source.offset) + 1n).toString()],
    );
  }
}
