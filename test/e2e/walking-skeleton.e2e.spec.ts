import { readKafkaSecurity } from '@modelreg/config';
import { Client } from 'pg';
import { createKafkaClient } from '@modelreg/kafka';
import { createJsonLogger } from '@modelreg/logging';
import { createTestEnvironment, eventually, startService, type RunningService, type TestEnvironment } from '@modelreg/testing';
import { getJson, registerExampleRun } from './registry-client';

/**
 * The walking skeleton on the real stack: POST a run to ingestion, RunRegistered goes through
 * Kafka, projections writes it to Postgres with its offset, and a GET returns it.
 */
describe('walking skeleton: ingestion -> Kafka -> projections -> query', () => {
  let environment: TestEnvironment;
  let ingestion: RunningService;
  let projections: RunningService;
  let db: Client;

  beforeAll(async () => {
    environment = await createTestEnvironment('skeleton');
    [ingestion, projections] = await Promise.all([
      startService('ingestion', environment.env),
      startService('projections', environment.env),
    ]);
    db = new Client({ connectionString: environment.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await Promise.all([ingestion?.stop(), projections?.stop()]);
    await db?.end();
    await environment?.dispose();
  });

  it('serves a registered run from the projection, with its lineage and the offset stored', async () => {
    const registered = await registerExampleRun(ingestion.url, 'fraud-model', 'train-001');
    expect(registered).toEqual({
      status: 201,
      body: expect.objectContaining({ status: 'registered', modelName: 'fraud-model', modelVersion: 1 }),
    });

    const version = await eventually(
      () => getJson(`${projections.url}/v1/models/fraud-model/versions/1`),
      (r) => r.status === 200,
      { what: 'projection of fraud-model v1' },
    );
    expect(version.body).toMatchObject({
      modelName: 'fraud-model',
      modelVersion: 1,
      trainingRunId: 'train-001',
      eventId: registered.body['eventId'],
      code: { commit: 'f3a9c21e' },
      hyperparameters: { learning_rate: 0.001, batch_size: 2048 },
      hyperparameterTypes: { learning_rate: 'double', batch_size: 'long' },
      dataSnapshots: [{ snapshotId: 'txn-2024-01-24', coveredFrom: '2024-01-10T00:00:00.000Z', coveredTo: '2024-01-24T00:00:00.000Z' }],
    });
    const positions = await db.query('SELECT topic, next_offset::int AS next FROM projections.consumer_positions WHERE topic = $1', [
      `${environment.id}.lineage.v1`,
    ]);
    expect(positions.rows.reduce((sum: number, row: { next: number }) => sum + row.next, 0)).toBe(1);

    const models = await getJson(`${projections.url}/v1/models`);
    expect(models.body).toMatchObject({ total: 1, items: [{ modelName: 'fraud-model', latestVersion: 1, versionCount: 1 }] });
  });

  it('changes nothing when the same event is delivered again', async () => {
    const kafka = createKafkaClient({
      brokers: environment.env['KAFKA_BROKERS']!.split(','),
      clientId: 'redeliver',
      logger: createJsonLogger({ service: 'test', level: 'error' }),
      security: readKafkaSecurity(environment.env),
    });
    const topic = `${environment.id}.lineage.v1`;
    const original = await readFirstMessage(kafka, topic);
    const before = await snapshot(db);

    const producer = kafka.producer();
    await producer.connect();
    const [sent] = await producer.send({ topic, messages: [{ key: original.key, value: original.value, headers: original.headers }] });
    await producer.disconnect();

    // Wait until projections has consumed past the redelivered copy, then compare.
    await eventually(
      () =>
        db.query('SELECT next_offset::text AS next FROM projections.consumer_positions WHERE topic = $1 AND kafka_partition = $2', [
          topic,
          sent!.partition,
        ]),
      (r) => r.rows.length === 1 && BigInt((r.rows[0] as { next: string }).next) > BigInt(sent!.baseOffset!),
      { what: 'projections consumed the redelivered event' },
    );
    expect(await snapshot(db)).toEqual(before);
  });
});

async function readFirstMessage(kafka: ReturnType<typeof createKafkaClient>, topic: string) {
  const consumer = kafka.consumer({ groupId: `reader-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const message = await new Promise<{ key: Buffer; value: Buffer; headers: Record<string, Buffer> }>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message: m }) =>
        resolve({ key: m.key as Buffer, value: m.value as Buffer, headers: m.headers as Record<string, Buffer> }),
    });
  });
  await consumer.disconnect();
  return message;
}

async function snapshot(db: Client) {
  const models = await db.query('SELECT * FROM projections.models ORDER BY model_name');
  const versions = await db.query('SELECT model_name, model_version, event_id, lineage FROM projections.model_versions ORDER BY 1, 2');
  const applied = await db.query('SELECT event_id, kafka_offset FROM projections.applied_events ORDER BY 1');
  return { models: models.rows, versions: versions.rows, applied: applied.rows };
}
