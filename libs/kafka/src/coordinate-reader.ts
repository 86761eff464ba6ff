import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';

export interface LogCoordinate {
  topic: string;
  partition: number;
  offset: string;
}

export interface RecordAt extends LogCoordinate {
  message: KafkaMessage;
}

/**
 * Reads the records at exact log coordinates (an audit of one version's history): a throwaway
 * consumer seeks each partition concerned to its lowest wanted offset and keeps what is asked for.
 * Resolves in the order given; a coordinate the log no longer has rejects after `timeoutMs`.
 */
export async function readAtCoordinates(kafka: Kafka, coordinates: readonly LogCoordinate[], timeoutMs = 30_000): Promise<RecordAt[]> {
  if (coordinates.length === 0) return [];
  const key = (c: LogCoordinate) => `${c.topic}\u0000${c.partition}\u0000${c.offset}`;
  const wanted = new Set(coordinates.map(key));
  const starts = new Map<string, { topic: string; partition: number; offset: bigint }>();
  for (const c of coordinates) {
    const partitionKey = `${c.topic}\u0000${c.partition}`;
    const current = starts.get(partitionKey);
    if (!current || BigInt(c.offset) < current.offset) starts.set(partitionKey, { topic: c.topic, partition: c.partition, offset: BigInt(c.offset) });
  }
  const groupId = `modelreg-audit-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  const found = new Map<string, RecordAt>();
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...new Set(coordinates.map((c) => c.topic))], fromBeginning: false });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${found.size} of ${wanted.size} records within ${timeoutMs} ms`)), timeoutMs);
      void consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          for (const message of batch.messages) {
            const coordinate = { topic: batch.topic, partition: batch.partition, offset: message.offset };
            if (wanted.has(key(coordinate))) found.set(key(coordinate), { ...coordinate, message });
          }
          if (found.size === wanted.size) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
      for (const start of starts.values()) consumer.seek({ topic: start.topic, partition: start.partition, offset: start.offset.toString() });
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
    const admin = kafka.admin();
    await admin.connect().then(() => admin.deleteGroups([groupId])).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
  return coordinates.map((c) => found.get(key(c)) as RecordAt);
}
