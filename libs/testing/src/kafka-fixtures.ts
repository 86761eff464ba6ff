import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type ITopicConfig, type KafkaMessage } from 'kafkajs';
import { kafkaClientSecurity, readKafkaSecurity } from '@modelreg/config';
import { eventually } from './eventually';
import { stackConnection } from './stack-connection';

/**
 * A plain kafkajs client on the local stack's broker (not ours: tests check our adapter against it),
 * as the stack's super user where the broker authenticates: tests set up and inspect, their
 * services are the ones held to ACLs.
 */
export function testKafka(clientId = 'test', env: Record<string, string> = stackConnection()): Kafka {
  const brokers = (env['KAFKA_BROKERS'] as string).split(',');
  return new Kafka({ clientId, brokers, logLevel: logLevel.ERROR, ...kafkaClientSecurity(readKafkaSecurity(env)) });
}

/** Creates uniquely named topics so test runs never collide. */
export async function uniqueTopics(kafka: Kafka, label: string, names: string[], partitions = 1): Promise<Record<string, string>> {
  const prefix = `t${randomBytes(4).toString('hex')}-${label}`;
  const topics = Object.fromEntries(names.map((name) => [name, `${prefix}.${name}`]));
  await createTestTopics(
    kafka,
    Object.values(topics).map((topic) => ({ topic, numPartitions: partitions })),
  );
  return topics;
}

/** Creates topics and waits until every partition has a leader. */
export async function createTestTopics(kafka: Kafka, topics: ITopicConfig[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics });
    // Not kafkajs's waitForLeaders: it gives up when the broker does not know the new topic yet
    // (UNKNOWN_TOPIC_OR_PARTITION), which a broker busy applying metadata (other tests' ACLs) answers for a moment.
    const names = topics.map((topic) => topic.topic);
    const led = (metadata: { topics: Array<{ partitions: Array<{ leader: number }> }> }) =>
      metadata.topics.every((topic) => topic.partitions.length > 0 && topic.partitions.every((partition) => partition.leader >= 0));
    await eventually(
      () => admin.fetchTopicMetadata({ topics: names }).then(led, () => false),
      (ready) => ready,
      { timeoutMs: 30_000, what: `leaders for ${names.join(', ')}` },
    );
  } finally {
    await admin.disconnect();
  }
}

/** Reads a topic from the beginning until `count` messages arrived. */
export async function readMessages(kafka: Kafka, topic: string, count: number, timeoutMs = 30_000): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({ groupId: `reader-${randomBytes(4).toString('hex')}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const messages: KafkaMessage[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${messages.length} of ${count} messages on ${topic} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      void consumer.run({
        eachMessage: async ({ message }) => {
          messages.push(message);
          if (messages.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

/** Every message on a topic right now: reads up to the current high watermark of each partition. */
export async function readAllMessages(kafka: Kafka, topic: string, timeoutMs = 30_000): Promise<KafkaMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const count = offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
  return count === 0 ? [] : readMessages(kafka, topic, count, timeoutMs);
}

/** `env` pointed at a broker of a test's own that runs without authentication: no SASL or TLS settings. */
export function onPlaintextBroker(env: Record<string, string>, brokers: string): Record<string, string> {
  return { ...Object.fromEntries(Object.entries(env).filter(([key]) => !/^KAFKA_(SASL|TLS)/.test(key))), KAFKA_BROKERS: brokers };
}
