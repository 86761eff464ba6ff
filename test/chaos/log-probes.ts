import { randomBytes } from 'node:crypto';
import type { EventCodec, TopicNames, TopicRole } from '@modelreg/events';
import type { Kafka } from 'kafkajs';
import type { LogRecord } from './log-audit';
import { CONSUMED_TOPICS } from './poison-records';

/** Every record of `topics` up to their current ends, with coordinates and headers. */
export async function readTopics(kafka: Kafka, codec: EventCodec, topics: string[], timeoutMs = 120_000): Promise<LogRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  const remaining = new Map<string, bigint>();
  try {
    for (const topic of topics) {
      for (const partition of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(partition.high) > BigInt(partition.low)) remaining.set(`${topic}/${partition.partition}`, BigInt(partition.high));
      }
    }
  } finally {
    await admin.disconnect();
  }
  const records: LogRecord[] = [];
  if (remaining.size === 0) return records;
  const consumer = kafka.consumer({ groupId: `chaos-audit-${randomBytes(4).toString('hex')}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`log not read within ${timeoutMs} ms; partitions left: ${[...remaining.keys()].join(', ')}`)),
        timeoutMs,
      );
      void consumer.run({
        eachMessage: async ({ topic, partition, message }) => {
          let event = null;
          try {
            event = codec.decode(message.value as Buffer);
          } catch {
            // Undecodable records are kept with `event: null`.
          }
          const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, value?.toString() ?? '']));
          records.push({ topic, partition, offset: message.offset, event, headers, timestamp: Number(message.timestamp) });
          const end = remaining.get(`${topic}/${partition}`);
          if (end !== undefined && BigInt(message.offset) + 1n >= end) remaining.delete(`${topic}/${partition}`);
          if (remaining.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}

/** The consumer group of each service (`<prefix>.<service>`), with the topics it consumes. */
export function consumerGroups(prefix: string, topics: TopicNames): Array<{ group: string; topics: string[] }> {
  return Object.entries(CONSUMED_TOPICS).map(([service, roles]) => ({
    group: `${prefix}.${service}`,
    topics: roles.map((role) => topics[role]),
  }));
}

/** Which groups consume each topic role: where a poison record must be dead-lettered. */
export function groupsByRole(prefix: string): Partial<Record<TopicRole, string[]>> {
  const byRole: Partial<Record<TopicRole, string[]>> = {};
  for (const [service, roles] of Object.entries(CONSUMED_TOPICS))
    for (const role of roles) (byRole[role] ??= []).push(`${prefix}.${service}`);
  return byRole;
}

/** Log end per `topic/partition`. */
export type Watermarks = Map<string, bigint>;

export async function watermarks(kafka: Kafka, topics: string[]): Promise<Watermarks> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends: Watermarks = new Map();
    for (const topic of topics)
      for (const partition of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}/${partition.partition}`, BigInt(partition.high));
    return ends;
  } finally {
    await admin.disconnect();
  }
}

/** Per group, how many records of `ends` it has not committed yet (0: it has consumed up to those ends). */
export async function lagBehind(
  kafka: Kafka,
  groups: Array<{ group: string; topics: string[] }>,
  ends: Watermarks,
): Promise<Record<string, number>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const lag: Record<string, number> = {};
    for (const { group, topics } of groups) {
      let behind = 0n;
      for (const entry of await admin.fetchOffsets({ groupId: group, topics })) {
        for (const partition of entry.partitions) {
          const end = ends.get(`${entry.topic}/${partition.partition}`) ?? 0n;
          const committed = BigInt(partition.offset) < 0n ? 0n : BigInt(partition.offset);
          if (end > committed) behind += end - committed;
        }
      }
      lag[group] = Number(behind);
    }
    return lag;
  } finally {
    await admin.disconnect();
  }
}
