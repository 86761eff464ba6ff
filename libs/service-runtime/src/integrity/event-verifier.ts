import { checkChainedRun, checkEvent, type EventCodec, type Keyring, type StreamRecord, type TopicRole } from '@modelreg/events';
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
    const refusals = new Map<ConsumedEvent, string>();
    for (const [stream, run] of byStream(signed)) {
      const role = this.signedTopics.get(run[0]?.source.topic as string) as TopicRole;
      const records = run.map((consumed) => ({
        message: consumed.source.value ?? Buffer.alloc(0),
        envelope: consumed.event.data.envelope,
      }));
      // The common case, a run of the stream sealed in order, costs one signature check.
      let head = checkChainedRun(this.codec, this.keyring, role, records, heads.get(stream) ?? null);
      if (head === null) {
        head = heads.get(stream) ?? null;
        for (const [index, consumed] of run.entries()) {
          const { message, envelope } = records[index] as StreamRecord;
          const checked = checkEvent(this.codec, this.keyring, role, message, envelope, head);
          if (checked.ok) head = checked.hash;
          else refusals.set(consumed, `refused: ${checked.reason}`);
        }
      }
      if (head !== (heads.get(stream) ?? null)) {
        heads.set(stream, head as string);
        moved.add(stream);
      }
    }
    const believed = events.filter((consumed) => !refusals.has(consumed));
    const refused: DeadLetter[] = [...refusals].map(([consumed, reason]) => ({ source: consumed.source, reason }));
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

/** The events of each stream, in log order. */
function byStream(events: ConsumedEvent[]): Map<string, ConsumedEvent[]> {
  const streams = new Map<string, ConsumedEvent[]>();
  for (const consumed of events) {
    const stream = streamOf(consumed);
    const run = streams.get(stream);
    if (run) run.push(consumed);
    else streams.set(stream, [consumed]);
  }
  return streams;
}

/** A stream: one subject's events on one topic (the producer keys records by the subject's model name). */
function streamOf(consumed: ConsumedEvent): string {
  return `${consumed.source.topic}\n${consumed.event.data.envelope.subject.modelName}`;
}
