import { checkEvent, type EventCodec, type Keyring, type TopicRole } from '@modelreg/events';
import type { ConsumedEvent, DeadLetter } from '@modelreg/kafka';
import type { PoolClient } from '@modelreg/postgres';

/**
 * Believes only what a trusted service signed and chained: each new event on a signed topic must
 * carry a signature of a key trusted for that topic and continue its stream's chain from the last
 * event the consumer group believed. The rest is refused (dead-lettered, nothing applied) and
 * leaves the chain where it was, so the genuine next event still continues it. Events on other
 * topics (inbound topics written by outside parties) pass unchecked: Kafka ACLs guard them.
 */
export class EventVerifier {
  constructor(
    private readonly codec: EventCodec,
    private readonly keyring: Keyring,
    /** Topic name to role, for the signed topics. */
    private readonly signedTopics: ReadonlyMap<string, TopicRole>,
  ) {}

  /** Splits new events into those believed and those refused, moving the group's chain heads in the caller's transaction. */
  async verify(
    client: PoolClient,
    schema: string,
    consumerGroup: string,
    events: ConsumedEvent[],
  ): Promise<{ believed: ConsumedEvent[]; refused: DeadLetter[] }> {
    const signed = events.filter((consumed) => this.signedTopics.has(consumed.source.topic));
    if (signed.length === 0) return { believed: events, refused: [] };
    const heads = await this.loadHeads(client, schema, consumerGroup, signed);
    const moved = new Set<string>();
    const refused: DeadLetter[] = [];
    const believed = events.filter((consumed) => {
      const role = this.signedTopics.get(consumed.source.topic);
      if (!role) return true;
      const stream = streamOf(consumed);
      const checked = checkEvent(
        this.codec,
        this.keyring,
        role,
        consumed.source.value ?? Buffer.alloc(0),
        consumed.event.data.envelope,
        heads.get(stream) ?? null,
      );
      if (!checked.ok) {
        refused.push({ source: consumed.source, reason: `refused: ${checked.reason}` });
        return false;
      }
      heads.set(stream, checked.hash);
      moved.add(stream);
      return true;
    });
    await this.saveHeads(
      client,
      schema,
      consumerGroup,
      [...moved].map((stream) => [stream, heads.get(stream) as string]),
    );
    return { believed, refused };
  }

  private async loadHeads(
    client: PoolClient,
    schema: string,
    consumerGroup: string,
    events: ConsumedEvent[],
  ): Promise<Map<string, string>> {
    const streams = [...new Set(events.map(streamOf))];
    const rows = await client.query(
      `SELECT topic || E'\\n' || stream_key AS stream, head_hash FROM ${schema}.verified_chain_heads
        WHERE consumer_group = $1 AND (topic, stream_key) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
      [consumerGroup, streams.map((s) => s.split('\n')[0]), streams.map((s) => s.split('\n')[1])],
    );
    return new Map((rows.rows as Array<{ stream: string; head_hash: string }>).map((row) => [row.stream, row.head_hash]));
  }

  private async saveHeads(client: PoolClient, schema: string, consumerGroup: string, heads: Array<[string, string]>): Promise<void> {
    if (heads.length === 0) return;
    await client.query(
      `INSERT INTO ${schema}.verified_chain_heads (consumer_group, topic, stream_key, head_hash)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[])
       ON CONFLICT (consumer_group, topic, stream_key) DO UPDATE SET head_hash = EXCLUDED.head_hash`,
      [consumerGroup, heads.map(([s]) => s.split('\n')[0]), heads.map(([s]) => s.split('\n')[1]), heads.map(([, hash]) => hash)],
    );
  }
}

/** A stream: one subject's events on one topic (the producer keys records by the subject's model name). */
function streamOf(consumed: ConsumedEvent): string {
  return `${consumed.source.topic}\n${consumed.event.data.envelope.subject.modelName}`;
}
