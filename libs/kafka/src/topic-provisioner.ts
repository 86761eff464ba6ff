import type { Admin, Kafka } from 'kafkajs';
import { retryWhileRetriable } from './errors';

export interface TopicSpec {
  name: string;
  partitions: number;
}

/**
 * Creates missing topics explicitly (brokers run with auto-create off). Retention is infinite:
 * the event log is the audit trail. Existing topics are left as they are.
 */
export async function provisionTopics(kafka: Kafka, topics: TopicSpec[]): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic.name));
    if (missing.length > 0) {
      // Leaders are awaited below: kafkajs's own wait gives up on a broker that does not list a new topic yet.
      // A busy controller can answer after the request timed out; asked again, topics it did create are
      // TOPIC_ALREADY_EXISTS, which kafkajs takes as done.
      await retryWhileRetriable(
        () =>
          admin.createTopics({
            waitForLeaders: false,
            topics: missing.map((topic) => ({
              topic: topic.name,
              numPartitions: topic.partitions,
              replicationFactor: -1,
              configEntries: [
                { name: 'retention.ms', value: '-1' },
                { name: 'retention.bytes', value: '-1' },
                { name: 'cleanup.policy', value: 'delete' },
                { name: 'message.timestamp.type', value: 'CreateTime' },
              ],
            })),
          }),
        { attempts: 5, delayMs: 1_000 },
      );
    }
    await waitForLeaders(
      admin,
      topics.map((topic) => topic.name),
    );
    return missing.map((topic) => topic.name);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Waits until every partition of these topics has a leader. Services start side by side and create
 * the same topics: the one that lost the race sees them listed before every broker serves them
 * (UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE), and a consumer subscribing then would fail.
 */
async function waitForLeaders(admin: Admin, topics: string[]): Promise<void> {
  await retryWhileRetriable(
    async () => {
      const { topics: described } = await admin.fetchTopicMetadata({ topics });
      const leaderless = described.filter(
        (topic) => topic.partitions.length === 0 || topic.partitions.some((partition) => partition.leader < 0),
      );
      if (leaderless.length > 0)
        throw Object.assign(new Error(`no leader yet for ${leaderless.map((topic) => topic.name).join(', ')}`), { retriable: true });
    },
    { attempts: 120 },
  );
}
