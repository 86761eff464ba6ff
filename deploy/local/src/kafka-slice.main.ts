// A test environment's share of the stack's broker, run by libs/testing as a script (the test library
// does not depend on the Kafka adapter, whose tests use it). Arguments: provision <prefix> | dispose <prefix>;
// the broker and the admin's credentials come from the environment (KAFKA_BROKERS, KAFKA_SASL_*).
import { readKafkaSecurity } from '@modelreg/config';
import { topicNames } from '@modelreg/events';
import { createKafkaClient, provisionAcls, provisionTopics, removeAcls } from '@modelreg/kafka';
import { createJsonLogger } from '@modelreg/logging';

/**
 * provision: the prefix's topics, created as the admin before the test's services start (services
 * may not create topics), and, where the broker authenticates, every principal's ACLs for the
 * prefix, so the test's services run under real enforcement. dispose: its topics (test data is
 * throwaway, unlike the registry's) and its ACLs.
 */
async function main(): Promise<void> {
  const [command, prefix] = process.argv.slice(2);
  if ((command !== 'provision' && command !== 'dispose') || !prefix)
    throw new Error('usage: kafka-slice.main.ts provision|dispose <prefix>');
  const security = readKafkaSecurity(process.env);
  const logger = createJsonLogger({ service: 'test-environment', level: 'error' });
  const kafka = createKafkaClient({
    brokers: (process.env['KAFKA_BROKERS'] ?? '').split(','),
    clientId: 'test-environment',
    logger,
    security,
  });
  if (command === 'provision') {
    const partitions = Number(process.env['TOPIC_PARTITIONS'] ?? 3);
    await provisionTopics(
      kafka,
      Object.values(topicNames(prefix)).map((name) => ({ name, partitions })),
    );
    if (security) await provisionAcls(kafka, prefix);
    return;
  }
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(`${prefix}.`));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
  } finally {
    await admin.disconnect();
  }
  if (security) await removeAcls(kafka, prefix);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
