import { readKafkaSecurity } from '@modelreg/config';
import { Client } from 'pg';
import { EventCodec, exampleRunRegistered, SchemaCatalog, topicNames } from '@modelreg/events';
import { createKafkaClient, eventMessage, KafkaEventPublisher, provisionTopics } from '@modelreg/kafka';
import { createJsonLogger } from '@modelreg/logging';
import { createTestEnvironment, eventually, startService, type RunningService, type TestEnvironment } from '@modelreg/testing';

const EVENTS = 10_000;
const MODELS = 100;

/** SIGKILL the projections service mid-stream; after a restart every event is there exactly once. */
describe('projections service killed mid-stream', () => {
  let environment: TestEnvironment;
  let db: Client;
  let projections: RunningService | undefined;

  beforeAll(async () => {
    environment = await createTestEnvironment('crash');
    db = new Client({ connectionString: environment.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await projections?.stop();
    await db?.end();
    await environment?.dispose();
  });

  it('leaves no missing and no duplicated rows', async () => {
    await appendRunRegisteredEvents(environment, EVENTS);

    // Small transactions, so the kill lands between many commits.
    const env = { ...environment.env, PROJECTIONS_BATCH_EVENTS: '100' };
    projections = await startService('projections', env);
    const appliedAtKill = await eventually(
      () => countRows(db, 'applied_events').catch(() => 0),
      (n) => n >= 500,
      { intervalMs: 20, what: '500 events applied' },
    );
    await projections.kill();
    const afterKill = await countRows(db, 'applied_events');
    expect(afterKill).toBeLessThan(EVENTS); // the kill really happened mid-stream

    projections = await startService('projections', env);
    await eventually(
      () => countRows(db, 'applied_events'),
      (n) => n === EVENTS,
      { timeoutMs: 90_000, what: `all ${EVENTS} events applied` },
    );

    expect(appliedAtKill).toBeGreaterThanOrEqual(500);
    const versions = await db.query(
      'SELECT count(*)::int AS rows, count(DISTINCT (model_name, model_version))::int AS distinct_versions FROM projections.model_versions',
    );
    expect(versions.rows[0]).toEqual({ rows: EVENTS, distinct_versions: EVENTS });
    const models = await db.query(
      'SELECT count(*)::int AS models, sum(version_count)::int AS versions, min(latest_version) AS min_latest FROM projections.models',
    );
    expect(models.rows[0]).toEqual({ models: MODELS, versions: EVENTS, min_latest: EVENTS / MODELS });
    const positions = await db.query('SELECT sum(next_offset)::int AS consumed FROM projections.consumer_positions WHERE topic = $1', [
      `${environment.id}.lineage.v1`,
    ]);
    expect(positions.rows[0]).toEqual({ consumed: EVENTS });
  });
});

async function countRows(db: Client, table: string): Promise<number> {
  const result = await db.query(`SELECT count(*)::int AS n FROM projections.${table}`);
  return (result.rows[0] as { n: number }).n;
}

async function appendRunRegisteredEvents(environment: TestEnvironment, count: number): Promise<void> {
  const logger = createJsonLogger({ service: 'test', level: 'error' });
  const kafka = createKafkaClient({
    brokers: environment.env['KAFKA_BROKERS']!.split(','),
    clientId: 'seed',
    logger,
    security: readKafkaSecurity(environment.env),
  });
  const topics = topicNames(environment.id);
  await provisionTopics(
    kafka,
    Object.values(topics).map((name) => ({ name, partitions: 3 })),
  );
  const codec = new EventCodec(SchemaCatalog.load());
  const publisher = new KafkaEventPublisher(kafka);
  for (let start = 0; start < count; start += 1000) {
    const messages = [];
    for (let index = start; index < Math.min(count, start + 1000); index += 1) {
      const modelName = `model-${index % MODELS}`;
      const version = Math.floor(index / MODELS) + 1;
      const message = eventMessage(codec, topics, { type: 'RunRegistered', data: exampleRunRegistered(modelName, version) });
      messages.push({ ...message, value: environment.sealer.seal('lineage', message.value) });
    }
    await publisher.publish(messages);
  }
  await publisher.close();
}
