import type { EventPublisher, OutgoingMessage } from '@modelreg/kafka';
import type { Logger } from '@modelreg/logging';
import { withTransaction, type Pool, type PoolClient } from '@modelreg/postgres';

/**
 * Transactional outbox relay. Events are committed to Postgres with the registration that caused
 * them; this relay appends them to Kafka in commit order and deletes them once the broker has
 * acknowledged them (acks=all). If Kafka is down, registrations still succeed and the events
 * wait here, durably, until it is back. One relay runs at a time (advisory lock), which keeps
 * each model's events in order across instances.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private failures = 0;

  constructor(
    private readonly pool: Pool,
    /** The service's Postgres schema, holding its outbox table. */
    private readonly schema: string,
    private readonly publisher: EventPublisher,
    private readonly logger: Logger,
    private readonly batchSize = 500,
    private readonly pollMs = 500,
  ) {}

  start(): void {
    this.schedule(0);
  }

  /** Ask for a relay pass now (after a registration commits). */
  nudge(): void {
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }


  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.pass(), delayMs);
  }

  private async pass(): Promise<void> {
    if (this.running || this.stopped) return;
    let delay = this.pollMs;
    this.running = (async () => {
      try {
        let relayed: number;
        do {
          this.again = false;
          relayed = await this.relayBatch();
        } while ((relayed === this.batchSize || this.again) && !this.stopped);
        this.failures = 0;
      } catch (error) {
        this.failures += 1;
        delay = Math.min(10_000, 200 * 2 ** Math.min(this.failures, 6));
        this.logger.warn('outbox relay failed; events stay queued', { error, retryInMs: delay });
      }
    })();
    await this.running;
    this.running = null;
    this.schedule(this.again ? 0 : delay);
  }

  private relayBatch(): Promise<number> {
    return withTransaction(this.pool, async (client) => {
      const locked = await client.query('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [`${this.schema}-outbox-relay`]);
      if (!(locked.rows[0] as { locked: boolean }).locked) return 0;
      const rows = await readBatch(client, this.schema, this.batchSize);
      if (rows.length === 0) return 0;
      await this.publisher.publish(rows.map((row) => row.message));
      await client.query(`DELETE FROM ${this.schema}.outbox WHERE id = ANY($1::bigint[])`, [rows.map((row) => row.id)]);
      return rows.length;
    });
  }
}

async function readBatch(client: PoolClient, schema: string, limit: number): Promise<Array<{ id: string; message: OutgoingMessage }>> {
  const result = await client.query(`SELECT id, topic, message_key, value, headers FROM ${schema}.outbox ORDER BY id LIMIT $1`, [limit]);
  return (result.rows as Array<{ id: string; topic: string; message_key: string; value: Buffer; headers: Record<string, string> }>).map((row) => ({
    id: row.id,
    message: { topic: row.topic, key: row.message_key, value: row.value, headers: row.headers },
  }));
}

/** Queues messages in the caller's transaction, in order. */
export async function enqueueOutbox(client: PoolClient, schema: string, messages: OutgoingMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await client.query(
    `INSERT INTO ${schema}.outbox (topic, message_key, value, headers)
     SELECT topic, message_key, value, headers FROM unnest($1::text[], $2::text[], $3::bytea[], $4::jsonb[]) WITH ORDINALITY AS m(topic, message_key, value, headers, n) ORDER BY n`,
    [messages.map((m) => m.topic), messages.map((m) => m.key), messages.map((m) => m.value), messages.map((m) => JSON.stringify(m.headers))],
  );
}
