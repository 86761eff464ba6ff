import { eventHash, sealEvent, type EventCodec, type SigningKey } from '@modelreg/events';
import type { OutgoingMessage } from '@modelreg/kafka';
import type { PoolClient } from '@modelreg/postgres';

/** The chain heads a seal moved, written with the sealed events (`enqueueOutbox`), in the same transaction. */
export interface ChainHeadMove {
  topic: string;
  keys: string[];
  hashes: string[];
}

/**
 * Signs and chains the events a service queues on its own topic, in the queuing transaction: each
 * stream's head row is locked (streams in sorted order, so two transactions never wait on each
 * other in a cycle within one call), the event names the head as its previous event, is signed,
 * and becomes the head. Records for other topics (dead letters) pass unchanged.
 */
export class EventSealer {
  constructor(
    private readonly codec: EventCodec,
    private readonly key: SigningKey,
    /** The topic this service's key is trusted for. */
    private readonly topic: string,
  ) {}

  /**
   * The sealed messages, and the heads to move when they are queued: the caller writes both in the
   * transaction that holds the head locks.
   */
  async seal(
    client: PoolClient,
    schema: string,
    messages: OutgoingMessage[],
  ): Promise<{ messages: OutgoingMessage[]; move: ChainHeadMove | null }> {
    const keys = [...new Set(messages.filter((m) => m.topic === this.topic).map((m) => m.key))].sort();
    if (keys.length === 0) return { messages, move: null };
    const heads = await this.lockHeads(client, schema, keys);
    const sealed = messages.map((message) => {
      if (message.topic !== this.topic) return message;
      const value = sealEvent(this.codec, message.value, this.key, heads.get(message.key) ?? null);
      heads.set(message.key, eventHash(value));
      return { ...message, value };
    });
    return { messages: sealed, move: { topic: this.topic, keys, hashes: keys.map((key) => heads.get(key) as string) } };
  }

  /**
   * One statement: a head row is created for a new stream, and every head is locked in key order
   * and read as last committed (ON CONFLICT DO UPDATE locks the existing row and works on its newest
   * version, even one committed after this statement's snapshot, as SELECT … FOR UPDATE does).
   */
  private async lockHeads(client: PoolClient, schema: string, keys: string[]): Promise<Map<string, string | null>> {
    const rows = await client.query(
      `INSERT INTO ${schema}.event_chain_heads AS h (topic, stream_key) SELECT $1, k FROM unnest($2::text[]) AS k ORDER BY k ` +
        'ON CONFLICT (topic, stream_key) DO UPDATE SET head_hash = h.head_hash RETURNING stream_key, head_hash',
      [this.topic, keys],
    );
    return new Map((rows.rows as Array<{ stream_key: string; head_hash: string | null }>).map((row) => [row.stream_key, row.head_hash]));
  }
}
