import {
  KafkaRecordRefusedError,
  KafkaUnavailableError,
  refusedRecordDeadLetter,
  type AppendedBatch,
  type EventPublisher,
  type Kafka,
  type OutgoingMessage,
} from '@modelreg/kafka';
import type { Logger } from '@modelreg/logging';
import type { Pool, PoolClient } from '@modelreg/postgres';
import { DEFAULT_OUTBOX_BATCH_LIMITS, takeBatch, type OutboxBatchLimits } from './outbox-batch';
import { positionNewTopics, reconcileWithLog, stampOutboxRow } from './outbox-reconciler';
import type { EventSealer } from '../integrity/event-sealer';
import { sendTraced, withTraceHeaders } from '../tracing/event-trace';
import {
  deleteAppended,
  enqueueOutbox,
  keepRejected,
  loadRows,
  positionsOf,
  queuedSizes,
  stillQueued,
  type OutboxRow,
} from './outbox-tables';

export interface OutboxRelayOptions {
  pool: Pool;
  /** The service's Postgres schema, holding its outbox; also names the outbox on the records. */
  schema: string;
  kafka: Kafka;
  /** The relay's own publisher: a failed send ends its idempotent session. */
  publisher: EventPublisher;
  deadLetterTopic: string;
  logger: Logger;
  limits?: OutboxBatchLimits;
  pollMs?: number;
  /** Signs and chains the service's events as they are queued; null where no signing key is configured. */
  sealer?: EventSealer | null;
}

/** What the relay has done since it started, for the service to expose. */
export interface OutboxRelayCounters {
  appended: number;
  /** Records the broker refused for good, moved to the dead-letter topic. */
  deadLettered: number;
  /** Queued rows found already on the log after a crash or a failed send, deleted instead of appended again. */
  foundOnLog: number;
}

/**
 * Transactional outbox relay. Events are committed to Postgres with the state change that caused
 * them; this relay appends them to Kafka in commit order, in batches bounded in records and bytes,
 * and deletes them once the broker has acknowledged them (acks=all). If Kafka is down the events
 * wait here, durably, until it is back.
 *
 * - One relay per outbox at a time: it holds a session advisory lock on a connection of its own
 *   for as long as it runs (a crash drops the connection and the lock); the other instances'
 *   relays poll for it.
 * - No record appended twice: every record names its outbox row (`OUTBOX_HEADERS`), and whenever
 *   the relay takes the lock, and after any failed send, it reads what reached the log since its
 *   last acknowledged send and deletes those rows first (`reconcileWithLog`).
 * - A record the broker refuses for good (too large, invalid, no such topic) is dead-lettered with
 *   the reason and the records behind it go on; if its bytes are too big for the dead-letter topic
 *   too, they are kept in `outbox_rejected` and the dead letter names them.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private failures = 0;
  private lock: PoolClient | null = null;
  private reconciled = false;
  private readonly positioned = new Set<string>();
  private readonly counts: OutboxRelayCounters = { appended: 0, deadLettered: 0, foundOnLog: 0 };
  private readonly limits: OutboxBatchLimits;
  private readonly pollMs: number;

  constructor(private readonly options: OutboxRelayOptions) {
    this.limits = options.limits ?? DEFAULT_OUTBOX_BATCH_LIMITS;
    this.pollMs = options.pollMs ?? 500;
  }

  start(): void {
    this.schedule(0);
  }

  /** Queues the service's events in the caller's transaction, signed and chained when a key is configured. */
  async enqueue(client: PoolClient, messages: OutgoingMessage[]): Promise<void> {
    const sealer = this.options.sealer ?? null;
    const traced = withTraceHeaders(messages);
    if (!sealer) return enqueueOutbox(client, this.options.schema, traced);
    const { messages: sealed, move } = await sealer.seal(client, this.options.schema, traced);
    await enqueueOutbox(client, this.options.schema, sealed, move);
  }

  /** Ask for a relay pass now (after a transaction that queued events commits). */
  nudge(): void {
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /** Finishes the pass in hand, then gives the lock back. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    this.releaseLock();
  }

  counters(): OutboxRelayCounters {
    return { ...this.counts };
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
        this.again = false;
        await this.relayQueued();
        this.failures = 0;
      } catch (error) {
        this.failures += 1;
        this.reconciled = false;
        // A Kafka failure leaves the lock's connection sound; anything else may not have.
        if (!(error instanceof KafkaUnavailableError) && !(error instanceof KafkaRecordRefusedError)) this.releaseLock();
        delay = Math.min(10_000, 200 * 2 ** Math.min(this.failures, 6));
        this.options.logger.warn('outbox relay failed; events stay queued', { error, retryInMs: delay });
      }
    })();
    await this.running;
    this.running = null;
    this.schedule(this.again ? 0 : delay);
  }

  private async relayQueued(): Promise<void> {
    const client = await this.acquireLock();
    if (!client) return;
    if (!this.reconciled) await this.reconcile(client);
    while (!this.stopped) {
      const batch = takeBatch(await queuedSizes(client, this.options.schema, this.limits.maxRecords), this.limits);
      if (batch.length === 0) return;
      await this.relay(
        client,
        await loadRows(
          client,
          this.options.schema,
          batch.map((row) => row.id),
        ),
      );
    }
  }

  /** Appends rows in one send. When the broker refuses one for good, sends them one by one to find it. */
  private async relay(client: PoolClient, rows: OutboxRow[]): Promise<void> {
    let appended: AppendedBatch[];
    try {
      appended = await this.send(
        client,
        rows.map((row) => stampOutboxRow(row.message, this.options.schema, row.id)),
      );
    } catch (error) {
      if (!(error instanceof KafkaRecordRefusedError)) throw error;
      const [only] = rows;
      if (rows.length === 1 && only) return this.deadLetter(client, only, error.reason);
      // The refused send may have reached other partitions.
      this.reconciled = false;
      await this.reconcile(client);
      const queued = await stillQueued(
        client,
        this.options.schema,
        rows.map((row) => row.id),
      );
      for (const row of rows.filter((r) => queued.has(r.id))) await this.relay(client, [row]);
      return;
    }
    await deleteAppended(
      client,
      this.options.schema,
      rows.map((row) => row.id),
      positionsOf(appended),
    );
    this.counts.appended += rows.length;
  }

  private async deadLetter(client: PoolClient, row: OutboxRow, refusal: string): Promise<void> {
    const { schema, deadLetterTopic, logger } = this.options;
    const reason =
      `refused by the broker: ${refusal} ` + `(outbox ${schema} row ${row.id}, ${row.message.value.length} bytes for ${row.message.topic})`;
    let appended: AppendedBatch[];
    let keptIn: string | undefined;
    try {
      appended = await this.send(client, [stampOutboxRow(refusedRecordDeadLetter(deadLetterTopic, row.message, reason), schema, row.id)]);
    } catch (error) {
      if (!(error instanceof KafkaRecordRefusedError)) throw error;
      keptIn = `${schema}.outbox_rejected`;
      await keepRejected(client, schema, row.id, reason);
      appended = await this.send(client, [
        stampOutboxRow(refusedRecordDeadLetter(deadLetterTopic, row.message, reason, keptIn), schema, row.id),
      ]);
    }
    await deleteAppended(client, schema, [row.id], positionsOf(appended));
    this.counts.deadLettered += 1;
    logger.warn('outbox record refused by the broker; dead-lettered, the records behind it go on', {
      reason,
      outboxId: row.id,
      topic: row.message.topic,
      key: row.message.key,
      bytes: row.message.value.length,
      keptIn,
    });
  }

  /** Positions a topic on the log before this outbox first appends to it, so a crash can be reconciled. */
  private async send(client: PoolClient, messages: OutgoingMessage[]): Promise<AppendedBatch[]> {
    const fresh = [...new Set(messages.map((message) => message.topic))].filter((topic) => !this.positioned.has(topic));
    if (fresh.length > 0) await positionNewTopics(client, this.options.kafka, this.options.schema, fresh);
    const appended = await sendTraced(messages, (traced) => this.options.publisher.publish(traced));
    for (const topic of fresh) this.positioned.add(topic);
    return appended;
  }

  private async reconcile(client: PoolClient): Promise<void> {
    const { removed, topics } = await reconcileWithLog(client, this.options.kafka, this.options.schema, this.options.deadLetterTopic);
    for (const topic of topics) this.positioned.add(topic);
    this.reconciled = true;
    if (removed === 0) return;
    this.counts.foundOnLog += removed;
    this.options.logger.warn('outbox rows already on the log deleted instead of appended again', {
      schema: this.options.schema,
      rows: removed,
    });
  }

  private async acquireLock(): Promise<PoolClient | null> {
    if (this.lock) return this.lock;
    const client = await this.options.pool.connect();
    try {
      const result = await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [`${this.options.schema}-outbox-relay`]);
      if (!(result.rows[0] as { locked: boolean }).locked) {
        client.release();
        return null;
      }
    } catch (error) {
      client.release(true);
      throw error;
    }
    // A connection lost while the relay waits is reported here; its next query fails and the pass retries.
    client.on('error', (error) => this.options.logger.warn('outbox relay lost its Postgres connection', { error }));
    this.lock = client;
    this.reconciled = false;
    this.positioned.clear();
    return client;
  }

  /** Gives the lock back by closing its connection (which a lost connection has already done). */
  private releaseLock(): void {
    this.lock?.release(true);
    this.lock = null;
  }
}
