import { readKafkaSecurity } from '@modelreg/config';
import { topicNames } from '@modelreg/events';
import { createKafkaClient, provisionAcls, provisionTopics, removeAcls } from '@modelreg/kafka';
import { createJsonLogger } from '@modelreg/logging';

/**
 * A test's topics on the stack's broker, created as the admin before its services start (as the
 * stack does for its own prefix: services may not create topics), and, where the broker
 * authenticates, its principals' ACLs for that prefix, so its services run under real enforcement.
 */
export async function provisionKafkaSlice(stack: Record<string, string>, prefix: string): Promise<void> {
  const kafka = adminClient(stack);
  const partitions = Number(stack['TOPIC_PARTITIONS'] ?? 3);
  await provisionTopics(kafka, Object.values(topicNames(prefix)).map((name) => ({ name, partitions })));
  if (readKafkaSecurity(stack)) await provisionAcls(kafka, prefix);
}

/** Test topics and ACLs are throwaway (unlike the registry's topics, which keep everything): they go with the environment. */
export async function disposeKafkaSlice(stack: Record<string, string>, prefix: string): Promise<void> {
  const kafka = adminClient(stack);
  const admin = kafka.admin();
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(`${prefix}.`));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
    if (readKafkaSecurity(stack)) await removeAcls(kafka, prefix);
  } catch {
    // Cleanup is best effort: a leftover topic holds test data only.
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

function adminClient(stack: Record<string, string>) {
  const logger = createJsonLogger({ service: 'test-environment', level: 'error' });
  return createKafkaClient({ brokers: (stack['KAFKA_BROKERS'] as string).split(','), clientId: 'test-environment', logger, security: readKafkaSecurity(stack) });
}
