import {
  partitionEnds,
  readLogRanges,
  type Kafka,
  type LogRange,
  type OutgoingMessage,
  type PartitionEnds,
  type RecordAt,
} from '@modelreg/kafka';
import type { PoolClient } from '@modelreg/postgres';
import { deleteAppended, queuedTopics, readPositions, savePositions, type LogPosition } from './outbox-tables';

/**
 * Every record a relay appends names its outbox (the service's schema) and its outbox row, so the
 * relay can tell, after a crash, which queued rows already reached the log.
 */
export const OUTBOX_HEADERS = {
  outbox: 'modelreg-outbox',
  id: 'modelreg-outbox-id',
} as const;

export function stampOutboxRow(message: OutgoingMessage, outbox: string, id: string): OutgoingMessage {
  return { ...message, headers: { ...message.headers, [OUTBOX_HEADERS.outbox]: outbox, [OUTBOX_HEADERS.id]: id } };
}

/**
 * Finds the queued rows whose records are already on the log (a relay died between the broker's
 * ack and the DELETE, or a send failed after reaching some partitions) and deletes them, so they
 * are not appended twice. Runs under the relay's lock, before it appends anything. Reads the topics
 * queued rows are meant for and the dead-letter topic (`rangesToReconcile`), then positions every
 * partition read at its end. A position is only ever set to an offset below which every record of
 * this outbox has had its row deleted. Returns how many queued rows were found, and the topics now
 * positioned.
 */
export async function reconcileWithLog(
  client: PoolClient,
  kafka: Kafka,
  outbox: string,
  deadLetterTopic: string,
): Promise<{ removed: number; topics: string[] }> {
  const topics = [...new Set([...(await queuedTopics(client, outbox)), deadLetterTopic])];
  const known = await readPositions(client, outbox, topics);
  const ends = await partitionEnds(kafka, topics);
  const ranges = rangesToReconcile(ends, known);
  const ours = (record: RecordAt) => record.message.headers?.[OUTBOX_HEADERS.outbox]?.toString() === outbox;
  const records = await readLogRanges(kafka, ranges, { keep: ours, timeoutMs: 60_000 });
  const ids = records
    .map((record) => record.message.headers?.[OUTBOX_HEADERS.id]?.toString())
    .filter((id): id is string => id !== undefined);
  const atEnd: LogPosition[] = ends.map((end) => ({ topic: end.topic, partition: end.partition, scanFrom: end.high }));
  const removed = await deleteAppended(client, outbox, ids, atEnd);
  return { removed, topics: [...new Set(ends.map((end) => end.topic))] };
}

/**
 * What may hold records of queued rows: each partition from its position to its end. A partition
 * added after its topic was positioned is read from its start; a topic never positioned was never
 * appended to, so nothing of it is read.
 */
export function rangesToReconcile(ends: readonly PartitionEnds[], positions: readonly LogPosition[]): LogRange[] {
  const scanFrom = new Map(positions.map((p) => [`${p.topic}\u0000${p.partition}`, p.scanFrom]));
  const positioned = new Set(positions.map((p) => p.topic));
  return ends.map((end) => {
    const from = scanFrom.get(`${end.topic}\u0000${end.partition}`) ?? (positioned.has(end.topic) ? end.low : end.high);
    return { topic: end.topic, partition: end.partition, fromOffset: BigInt(from) < BigInt(end.low) ? end.low : from, toOffset: end.high };
  });
}

/** Records positions at the end of topics never appended to before, ahead of their first send. */
export async function positionNewTopics(client: PoolClient, kafka: Kafka, outbox: string, topics: readonly string[]): Promise<void> {
  const positioned = new Set((await readPositions(client, outbox, topics)).map((p) => p.topic));
  const fresh = topics.filter((topic) => !positioned.has(topic));
  if (fresh.length === 0) return;
  const ends = await partitionEnds(kafka, fresh);
  await savePositions(
    client,
    outbox,
    ends.map((end) => ({ topic: end.topic, partition: end.partition, scanFrom: end.high })),
    true,
  );
}
