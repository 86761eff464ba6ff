import type { KafkaSecuritySettings } from '@modelreg/config';
import { createKafkaClient, KafkaEventPublisher } from '@modelreg/kafka';
import { createJsonLogger } from '@modelreg/logging';
import { createPool } from '@modelreg/postgres';
import { OutboxRelay } from '@modelreg/service-runtime';

/**
 * Just an outbox relay over an existing outbox, as its own process, for tests that kill it:
 * `node tools/run.js test/e2e/outbox-relay-process.ts SETTINGS`, SETTINGS being its settings as JSON:
 * `'{"databaseUrl":…,"brokers":[…],"schema":…,"deadLetterTopic":…,"security":…}'`.
 * Prints `relay started`, then the relay's warnings as JSON lines; on SIGTERM stops and prints its counters.
 */
interface RelayProcessSettings {
  databaseUrl: string;
  brokers: string[];
  schema: string;
  deadLetterTopic: string;
  security: KafkaSecuritySettings | null;
}

async function main(): Promise<void> {
  const settings = JSON.parse(process.argv[2] ?? '{}') as RelayProcessSettings;
  const logger = createJsonLogger({ service: 'outbox-relay-process', level: 'warn' });
  const kafka = createKafkaClient({ brokers: settings.brokers, clientId: 'outbox-relay-process', logger, security: settings.security });
  const pool = createPool({ connectionString: settings.databaseUrl, applicationName: 'outbox-relay-process' });
  const publisher = new KafkaEventPublisher(kafka);
  const relay = new OutboxRelay({
    pool,
    schema: settings.schema,
    kafka,
    publisher,
    deadLetterTopic: settings.deadLetterTopic,
    logger,
    pollMs: 50,
  });
  relay.start();
  process.stdout.write('relay started\n');
  process.once('SIGTERM', () => {
    void (async () => {
      await relay.stop();
      await publisher.close();
      await pool.end();
      process.stdout.write(`${JSON.stringify({ counters: relay.counters() })}\n`);
      process.exit(0);
    })();
  });
}

void main();
