import type { AppendedBatch, OutgoingMessage } from '@modelreg/kafka';
import type { PoolClient } from '@modelreg/postgres';
import type { ChainHeadMove } from '../integrity/event-sealer';
import { RECORD_OVERHEAD_BYTES } from './outbox-batch';

/** A queued record: its outbox id (the relay's bookkeeping key) and the message. */
export interface OutboxRow {
  id: string;
  message: OutgoingMessage;
}

/** The offset from which a partition may hold records of rows still queued. */
export interface LogPosition {
  topic: string;
  partition: number;
  scanFrom: string;
}

/** Queues messages in the caller's transaction, in order. */
export async function enqueueOutbox(
  client: PoolClient,
  schema: string,
  messages: OutgoingMessage[],
  move: ChainHeadMove | null = null,
): Promise<void> {
  if (messages.length === 0) return;
  // The sealed events' chain heads move in the same statement (a data-modifying WITH always runs to completion).
  const moveHeads = move
    ? `WITH moved AS (UPDATE ${schema}.event_chain_heads h SET head_hash = n.hash ` +
      'FROM unnest($6::text[], $7::text[]) AS n(stream_key, hash) WHERE h.topic = $5 AND h.stream_key = n.stream_key) '
    : '';
  await client.query(
    `${moveHeads}INSERT INTO ${schema}.outbox (topic, message_key, value, headers)
     SELECT topic, message_key, value, headers
     FROM unnest($1::text[], $2::text[], $3::bytea[], $4::jsonb[]) WITH ORDINALITY AS m(topic, message_key, value, headers, n)
     ORDER BY n`,
    [
      messages.map((m) => m.topic),
      messages.map((m) => m.key),
      messages.map((m) => m.value),
      messages.map((m) => JSON.stringify(m.headers)),
      ...(move ? [move.topic, move.keys, move.hashes] : []),
    ],
  );
}

/** The first queued rows' ids and sizes, without their bytes (octet_length reads a stored value's size, not the value). */
export async function queuedSizes(client: PoolClient, schema: string, limit: number): Promise<Array<{ id: string; bytes: number }>> {
  const result = await client.query(
    'SELECT id, octet_length(value) + octet_length(message_key) + octet_length(headers::text) + $2::int AS bytes ' +
      `FROM ${schema}.outbox ORDER BY id LIMIT $1`,
    [limit, RECORD_OVERHEAD_BYTES],
  );
  return result.rows as Array<{ id: string; bytes: number }>;
}

export async function loadRows(client: PoolClient, schema: string, ids: readonly string[]): Promise<OutboxRow[]> {
  const result = await client.query(
    `SELECT id, topic, message_key, value, headers FROM ${schema}.outbox WHERE id = ANY($1::bigint[]) ORDER BY id`,
    [ids],
  );
  return (result.rows as Array<{ id: string; topic: string; message_key: string; value: Buffer; headers: Record<string, string> }>).map(
    (row) => ({
      id: row.id,
      message: { topic: row.topic, key: row.message_key, value: row.value, headers: row.headers },
    }),
  );
}

/** Which of these rows are still queued. */
export async function stillQueued(client: PoolClient, schema: string, ids: readonly string[]): Promise<Set<string>> {
  const result = await client.query(`SELECT id FROM ${schema}.outbox WHERE id = ANY($1::bigint[])`, [ids]);
  return new Set((result.rows as Array<{ id: string }>).map((row) => row.id));
}

export async function queuedTopics(client: PoolClient, schema: string): Promise<string[]> {
  const result = await client.query(`SELECT DISTINCT topic FROM ${schema}.outbox`);
  return (result.rows as Array<{ topic: string }>).map((row) => row.topic);
}

/** Rows whose records are on the log: deleted, and the log positions moved, together. Returns how many rows were still queued. */
export async function deleteAppended(
  client: PoolClient,
  schema: string,
  ids: readonly string[],
  positions: readonly LogPosition[],
): Promise<number> {
  return inTransaction(client, async () => {
    const deleted = await client.query(`DELETE FROM ${schema}.outbox WHERE id = ANY($1::bigint[])`, [ids]);
    await savePositions(client, schema, positions);
    return deleted.rowCount ?? 0;
  });
}

/** Where the records of a send start, one position per partition (the lowest if kafkajs reports one twice). */
export function positionsOf(appended: readonly AppendedBatch[]): LogPosition[] {
  const lowest = new Map<string, LogPosition>();
  for (const batch of appended) {
    const key = `${batch.topic}\u0000${batch.partition}`;
    const known = lowest.get(key);
    if (!known || BigInt(batch.baseOffset) < BigInt(known.scanFrom))
      lowest.set(key, { topic: batch.topic, partition: batch.partition, scanFrom: batch.baseOffset });
  }
  return [...lowest.values()];
}

export async function readPositions(client: PoolClient, schema: string, topics: readonly string[]): Promise<LogPosition[]> {
  const result = await client.query(
    `SELECT topic, kafka_partition AS partition, scan_from::text AS "scanFrom" ` +
      `FROM ${schema}.outbox_log_positions WHERE topic = ANY($1::text[])`,
    [topics],
  );
  return result.rows as LogPosition[];
}

/** Sets positions; with `onlyNew`, keeps those already recorded. */
export async function savePositions(client: PoolClient, schema: string, positions: readonly LogPosition[], onlyNew = false): Promise<void> {
  if (positions.length === 0) return;
  await client.query(
    `INSERT INTO ${schema}.outbox_log_positions (topic, kafka_partition, scan_from)
     SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[])
     ON CONFLICT (topic, kafka_partition) DO ${onlyNew ? 'NOTHING' : 'UPDATE SET scan_from = excluded.scan_from'}`,
    [positions.map((p) => p.topic), positions.map((p) => p.partition), positions.map((p) => p.scanFrom)],
  );
}

/** Keeps a refused row's bytes, by outbox id, before the dead-letter record that names them is sent. */
export async function keepRejected(client: PoolClient, schema: string, id: string, reason: string): Promise<void> {
  await client.query(
    `INSERT INTO ${schema}.outbox_rejected (id, topic, message_key, value, headers, created_at, reason)
     SELECT id, topic, message_key, value, headers, created_at, $2 FROM ${schema}.outbox WHERE id = $1
     ON CONFLICT (id) DO NOTHING`,
    [id, reason],
  );
}

async function inTransaction<T>(client: PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
