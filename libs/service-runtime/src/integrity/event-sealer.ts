import { eventHash, sealEvent, type EventCodec, type SigningKey } from '@modelreg/events';
import type { OutgoingMessage } from '@modelreg/kafka';
import type { PoolClient } from '@modelreg/postgres';

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

  async seal(client: PoolClient, schema: string, messages: OutgoingMessage[]): Promise<OutgoingMessage[]> {
    const keys = [...new Set(messages.filter((m) => m.topic === this.topic).map((m) => m.key))].sort();
    if (keys.length === 0) return messages;
    const heads = await this.lockHeads(client, schema, keys);
    const sealed = messages.map((message) => {
      if (message.topic !== this.topic) return message;
      const value = sealEvent(this.codec, message.value, this.key, heads.get(message.key) ?? null);
      heads.set(message.key, eventHash(value));
      return { ...message, value };
    });
    await client.query(
      `UPDATE ${schema}.event_chain_heads h SET head_hash = n.hash ` +
        'FROM unnest($2::text[], $3::text[]) AS n(stream_key, hash) WHERE h.topic = $1 AND h.stream_key = n.stream_key',
      [this.topic, keys, keys.map((key) => heads.get(key) as string)],
    );
    return sealed;
  }

  private async lockHeads(client: PoolClient, schema: string, keys: string[]): Promise<Map<string, string | null>> {
    await client.query(
      `INSERT INTO ${schema}.event_chain_heads (topic, stream_key) SELECT $1, k FROM unnest($2::text[]) AS k ON CONFLICT DO NOTHING`,
      [this.topic, keys],
    );
    const rows = await client.query(
      `SELECT stream_key, head_hash FROM ${schema}.event_chain_heads ` +
        'WHERE topic = $1 AND stream_key = ANY($2::text[]) ORDER BY stream_key FOR UPDATE',
      [this.topic, keys],
    );
    return new Map((rows.rows as Array<{ stream_key: string; head_hash: string | null }>).map((row) => [row.stream_key, row.head_hash]));
  }
}
