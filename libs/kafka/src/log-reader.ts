import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';

/** One record of the log, as stored. */
export interface LoggedRecord {
  topic: string;
  partition: number;
  offset: string;
  /** Broker append time (or producer create time), ms. */
  timestamp: number;
  value: Buffer;
}

/**
 * Reads topics from offset 0 up to their ends as they are when called (later appends are left
 * out), with a throwaway consumer group. For rebuilds that fold a whole log; rejects after
 * `timeoutMs`.
 */
export async function readLogToEnd(kafka: Kafka, topics: readonly string[], timeoutMs = 120_000): Promise<LoggedRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, bigint>();
  try {
    for (const topic of topics) {
      for (const partition of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(partition.high) > BigInt(partition.low)) ends.set(`${topic}\u0000${partition.partition}`, BigInt(partition.high));
      }
    }
  } finally {
    await admin.disconnect();
  }
  const records: LoggedRecord[] = [];
  if (ends.size === 0) return records;
  const groupId = `modelreg-rebuild-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxBytes: 16 * 1024 * 1024 });
  const pending = new Set(ends.keys());
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read the log only partly within ${timeoutMs} ms (${pending.size} partitions unfinished)`)), timeoutMs);
      void consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const key = `${batch.topic}\u0000${batch.partition}`;
          const end = ends.get(key);
          if (end === undefined) return;
          for (const message of batch.messages) {
            if (BigInt(message.offset) >= end || !message.value) continue;
            records.push({ topic: batch.topic, partition: batch.partition, offset: message.offset, timestamp: Number(message.timestamp), value: message.value });
          }
          if (BigInt(batch.lastOffset()) + 1n >= end) pending.delete(key);
          if (pending.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
    const cleanup = kafka.admin();
    await cleanup.connect().then(() => cleanup.deleteGroups([groupId])).catch(() => undefined);
    await cleanup.disconnect().catch(() => undefined);
  }
  return records;
}
