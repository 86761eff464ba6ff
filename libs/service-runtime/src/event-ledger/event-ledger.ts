import { deadLetterMessage, type ConsumedEvent, type DeadLetter, type PartitionBatch } from '@modelreg/kafka';
import { withTransaction, type Pool, type PoolClient } from '@modelreg/postgres';
import type { EventVerifier } from '../integrity/event-verifier';
import { enqueueOutbox } from '../outbox/outbox-tables';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Applies the new events of a batch inside the ledger's transaction; returns the events it rejects. */
export type ApplyEvents = (client: PoolClient, events: ConsumedEvent[]) => Promise<DeadLetter[] | void>;

/**
 * Applies only what is new, exactly once in effect: inside one transaction it skips records at
 * offsets below the partition's stored position and events whose id was applied before, deals
 * with the rest, queues their dead letters in the outbox and stores the next position, all
 * committed together. A crash anywhere leaves all of a batch or none of it; a redelivery changes
 * nothing, and no dead letter is lost or written twice. With a verifier, an event not applied before
 * is applied only if its signature and chain hold (a replayed old event already applied stays a
 * no-op; one never applied breaks the chain); the rest is dead-lettered with the reason.
 */
export class EventLedger {
  constructor(
    private readonly pool: Pool,
    /** The service's own Postgres schema, holding applied_events, consumer_positions and outbox. */
    private readonly schema: string,
    private readonly consumerGroup: string,
    private readonly deadLetterTopic: string,
    /** Told the reasons of the dead letters each transaction committed (metrics). */
    private readonly onDeadLettered: (reasons: string[]) => void = () => undefined,
    /** Advisory lock taken shared before anything else in each transaction (see `LedgerConsumerOptions.sharedLock`). */
    private readonly sharedLock: string | null = null,
    /** Why an event must not be applied where it was read (misplacedEventReason), or null. */
    private readonly misplacedReason: (consumed: ConsumedEvent) => string | null = () => null,
    /** Checks signatures and chains on signed topics; null where no keyring is configured. */
    private readonly verifier: EventVerifier | null = null,
  ) {}

  /**
   * Lets `apply` change state for the batch's new events; dead-letters what it rejects and the
   * undecodable records. Resolves to the number of events applied.
   */
  applyBatch(batch: PartitionBatch, apply: ApplyEvents): Promise<number> {
    return this.settle(batch, async (client, fresh) => ({
      applied: fresh.length,
      rejected: fresh.length > 0 ? ((await apply(client, fresh)) ?? []) : [],
    }));
  }

  /** Dead-letters the batch's new events with `reason` (and its undecodable records), recording their ids as applied. */
  async deadLetterBatch(batch: PartitionBatch, reason: string): Promise<void> {
    await this.settle(batch, async (_client, fresh) => ({
      applied: 0,
      rejected: fresh.map((consumed) => ({ source: consumed.source, reason })),
    }));
  }

  private async settle(
    batch: PartitionBatch,
    work: (client: PoolClient, fresh: ConsumedEvent[]) => Promise<{ applied: number; rejected: DeadLetter[] }>,
  ): Promise<number> {
    let reasons: string[] = [];
    const applied = await withTransaction(this.pool, async (client) => {
      // First, before any table is named: a transaction that waited here resolves the schema's tables after the holder committed.
      if (this.sharedLock) await client.query('SELECT pg_advisory_xact_lock_shared(hashtext($1))', [this.sharedLock]);
      const position = await this.lockPosition(client, batch);
      const unseen = batch.events.filter((consumed) => BigInt(consumed.source.offset) >= position);
      // A misplaced event's id is not claimed: the genuine event with that id may still come, on its own topic.
      const misplaced = unseen.flatMap((consumed) => {
        const reason = this.misplacedReason(consumed);
        return reason === null ? [] : [{ source: consumed.source, reason }];
      });
      const placed = unseen.filter((consumed) => !misplaced.some((letter) => letter.source === consumed.source));
      // An id that is not a UUID cannot be recorded as applied; the position alone guards its redelivery.
      const unrecordable = placed.filter((consumed) => !UUID.test(consumed.event.data.envelope.eventId));
      const recordable = placed.filter((consumed) => !unrecordable.includes(consumed));
      const { believed, refused } = this.verifier
        ? await this.verifier.verify(client, this.schema, this.consumerGroup, await this.notApplied(client, recordable))
        : { believed: recordable, refused: [] };
      const fresh = await this.claim(client, believed);
      const { applied, rejected } = await work(client, fresh);
      const undecodable = batch.undecodable.filter((letter) => BigInt(letter.source.offset) >= position);
      const invalidIds = unrecordable.map((consumed) => ({
        source: consumed.source,
        reason: `invalid event id: ${JSON.stringify(consumed.event.data.envelope.eventId)} is not a UUID`,
      }));
      const letters = [...undecodable, ...misplaced, ...invalidIds, ...refused, ...rejected].sort((a, b) =>
        BigInt(a.source.offset) < BigInt(b.source.offset) ? -1 : 1,
      );
      await enqueueOutbox(
        client,
        this.schema,
        letters.map((letter) => deadLetterMessage(this.deadLetterTopic, this.consumerGroup, letter)),
      );
      await this.advance(client, batch);
      reasons = letters.map((letter) => letter.reason);
      return applied;
    });
    if (reasons.length > 0) this.onDeadLettered(reasons);
    return applied;
  }

  /** The partition's next offset, its row locked so concurrent members apply one after the other. */
  private async lockPosition(client: PoolClient, batch: PartitionBatch): Promise<bigint> {
    const position = await client.query(
      `SELECT next_offset::text AS next FROM ${this.schema}.consumer_positions ` +
        `WHERE consumer_group = $1 AND topic = $2 AND kafka_partition = $3 FOR UPDATE`,
      [this.consumerGroup, batch.topic, batch.partition],
    );
    return BigInt((position.rows[0] as { next: string } | undefined)?.next ?? '0');
  }

  /** The events whose ids were not applied before, each once (the first occurrence): a redelivery is a no-op, not a chain break. */
  private async notApplied(client: PoolClient, candidates: ConsumedEvent[]): Promise<ConsumedEvent[]> {
    if (candidates.length === 0) return [];
    const seen = await client.query(`SELECT event_id FROM ${this.schema}.applied_events WHERE event_id = ANY($1::uuid[])`, [
      candidates.map((c) => c.event.data.envelope.eventId),
    ]);
    const applied = new Set((seen.rows as Array<{ event_id: string }>).map((row) => row.event_id));
    return candidates.filter((c) => {
      const id = c.event.data.envelope.eventId;
      if (applied.has(id)) return false;
      applied.add(id);
      return true;
    });
  }

  private async claim(client: PoolClient, candidates: ConsumedEvent[]): Promise<ConsumedEvent[]> {
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
    await client.query(
      `INSERT INTO ${this.schema}.consumer_positions (consumer_group, topic, kafka_partition, next_offset) VALUES ($1, $2, $3, $4)
       ON CONFLICT (consumer_group, topic, kafka_partition)
       DO UPDATE SET next_offset = GREATEST(consumer_positions.next_offset, EXCLUDED.next_offset), updated_at = now()`,
      [this.consumerGroup, batch.topic, batch.partition, batch.nextOffset],
    );
  }
}
