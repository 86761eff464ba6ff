import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { KafkaUnavailableError } from './errors';

export interface LogCoordinate {
  topic: string;
  partition: number;
  offset: string;
}

export interface RecordAt extends LogCoordinate {
  message: KafkaMessage;
}

/** The records of one partition from `fromOffset` up to, not including, `toOffset`. */
export interface LogRange {
  topic: string;
  partition: number;
  fromOffset: string;
  toOffset: string;
}

/** Where one partition's log starts (`low`) and ends (`high`, the offset the next record gets). */
export interface PartitionEnds {
  topic: string;
  partition: number;
  low: string;
  high: string;
}

/** The ends of every partition of these topics; a topic that does not exist has none. */
export async function partitionEnds(kafka: Kafka, topics: readonly string[]): Promise<PartitionEnds[]> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const ends: PartitionEnds[] = [];
    for (const topic of topics.filter((name) => existing.has(name))) {
      for (const { partition, low, high } of await admin.fetchTopicOffsets(topic)) ends.push({ topic, partition, low, high });
    }
    return ends;
  } catch (error) {
    throw new KafkaUnavailableError(`reading the ends of ${topics.join(', ')} failed: ${(error as Error).message}`, error);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Reads ranges of the log: a throwaway consumer group seeks each partition concerned to the start
 * of its range and reads until the range's last offset. `keep` says which records to hold on to
 * (the others are read past). Resolves in log order per partition; rejects after `timeoutMs`.
 * Offsets taken by transaction markers are never delivered: a range must not end on one.
 */
export async function readLogRanges(
  kafka: Kafka,
  ranges: readonly LogRange[],
  options: { keep?: (record: RecordAt) => boolean; timeoutMs?: number } = {},
): Promise<RecordAt[]> {
  const open = ranges.filter((range) => BigInt(range.fromOffset) < BigInt(range.toOffset));
  if (open.length === 0) return [];
  const partitionKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;
  const byPartition = new Map(open.map((range) => [partitionKey(range.topic, range.partition), range]));
  if (byPartition.size !== open.length) throw new Error('readLogRanges takes one range per partition');
  const unfinished = new Set(byPartition.keys());
  /** The next offset wanted per partition: a batch delivered again after a restart is read past up to it. */
  const next = new Map(open.map((range) => [partitionKey(range.topic, range.partition), BigInt(range.fromOffset)]));
  const kept: RecordAt[] = [];
  const timeoutMs = options.timeoutMs ?? 30_000;
  const groupId = `modelreg-log-reader-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...new Set(open.map((range) => range.topic))], fromBeginning: false });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`read ${open.length - unfinished.size} of ${open.length} log ranges within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const fail = (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      };
      // A rebalance or a restart after a crash starts a new generation that has forgotten the seeks and,
      // with nothing committed, would start at the log's end: every join seeks the unfinished ranges again.
      const seekUnfinished = () => {
        try {
          for (const key of unfinished) {
            const range = byPartition.get(key) as LogRange;
            consumer.seek({ topic: range.topic, partition: range.partition, offset: String(next.get(key)) });
          }
        } catch (error) {
          fail(error);
        }
      };
      consumer.on(consumer.events.GROUP_JOIN, seekUnfinished);
      // A crash kafkajs does not restart from would otherwise leave the read waiting for its timeout.
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (!payload.restart) fail(payload.error);
      });
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const key = partitionKey(batch.topic, batch.partition);
            const range = byPartition.get(key);
            if (!range || !unfinished.has(key)) return;
            const last = BigInt(range.toOffset) - 1n;
            for (const message of batch.messages) {
              const offset = BigInt(message.offset);
              if (offset < (next.get(key) as bigint)) continue;
              if (offset > last) {
                unfinished.delete(key);
                break;
              }
              const record = { topic: batch.topic, partition: batch.partition, offset: message.offset, message };
              if (!options.keep || options.keep(record)) kept.push(record);
              next.set(key, offset + 1n);
              if (offset === last) unfinished.delete(key);
            }
            if (unfinished.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(fail);
      seekUnfinished();
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
    const admin = kafka.admin();
    await admin
      .connect()
      .then(() => admin.deleteGroups([groupId]))
      .catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
  return kept;
}
