import { readKafkaSecurity } from '@modelreg/config';
import { Client } from 'pg';
import { EventCodec, exampleRunRegistered, SchemaCatalog, topicNames, type RunRegistered } from '@modelreg/events';
import { createKafkaClient, DLQ_HEADERS, eventMessage, KafkaEventPublisher } from '@modelreg/kafka';
import { createJsonLogger } from '@modelreg/logging';
import {
  createTestEnvironment,
  eventually,
  readAllMessages,
  startService,
  testKafka,
  type RunningService,
  type TestEnvironment,
} from '@modelreg/testing';

const codec = new EventCodec(SchemaCatalog.load());

/**
 * The projections consumer against events the edge would refuse: a label key with U+0000 (Postgres
 * rejects it in jsonb) is dead-lettered with the reason and the partition moves on; a partition
 * that cannot advance fails readiness, naming it, until it can.
 */
describe('projections consumer: poison events and stalled partitions', () => {
  let environment: TestEnvironment;
  let projections: RunningService;
  let db: Client;
  const topics = () => topicNames(environment.id);

  beforeAll(async () => {
    environment = await createTestEnvironment('projections-poison');
    db = new Client({ connectionString: environment.databaseUrl });
    await db.connect();
    // A statement that waits for a lock fails after 300 ms: the test's lock becomes a transient failure.
    await db.query(`ALTER DATABASE ${new URL(environment.databaseUrl).pathname.slice(1)} SET lock_timeout = '300ms'`);
    projections = await startService('projections', { ...environment.env, CONSUMER_STALL_SECONDS: '2' });
  });

  afterAll(async () => {
    await projections?.stop();
    await db?.end();
    await environment?.dispose();
  });

  it('dead-letters the poison event with the reason and applies the events after it on the same partition', async () => {
    const poison = exampleRunRegistered('fraud-model', 2, { labels: { 'team\u0000': 'risk' } });
    await publish([exampleRunRegistered('fraud-model', 1), poison, exampleRunRegistered('fraud-model', 3)]);

    await eventually(
      () => versions('fraud-model'),
      (list) => list.length === 2,
      { what: 'versions 1 and 3 projected' },
    );
    expect(await versions('fraud-model')).toEqual([3, 1]);
    const [dead, ...more] = await readAllMessages(testKafka(), topics().deadLetter);
    expect(more).toEqual([]);
    // The record as appended: sealed, as every event on the lineage topic.
    expect(codec.decode(dead?.value ?? null).data).toEqual({
      ...poison,
      envelope: {
        ...poison.envelope,
        signingKeyId: expect.any(String),
        signature: expect.any(String),
        previousEventHash: expect.any(String),
      },
    });
    expect(String(dead?.headers?.[DLQ_HEADERS.reason])).toMatch(/^handler failed: unsupported Unicode escape sequence \(SQLSTATE 22P05\)/);
    expect(String(dead?.headers?.[DLQ_HEADERS.sourceTopic])).toBe(topics().lineage);
    expect((await fetch(`${projections.url}/health/ready`)).status).toBe(200);
  });

  it('turns not ready, naming the partition and its lag, while the handler keeps failing transiently, and ready again after', async () => {
    const partition = await partitionOf('fraud-model');
    const locker = new Client({ connectionString: environment.databaseUrl });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE projections.event_index IN ACCESS EXCLUSIVE MODE');
      await publish([exampleRunRegistered('fraud-model', 4)]);

      const stalled = await eventually(
        () => readiness(),
        (ready) => ready.status === 503,
        { timeoutMs: 20_000, what: 'readiness 503' },
      );
      expect(stalled.body).toContain(`${topics().lineage} partition ${partition}: 1 records waiting`);
      expect(projections.output()).toMatch(/"msg":"batch failed, retrying".*"retriable":true/);
      expect(await versions('fraud-model')).toEqual([3, 1]);
      await locker.query('COMMIT');

      await eventually(
        () => readiness(),
        (ready) => ready.status === 200,
        { timeoutMs: 30_000, what: 'readiness 200 again' },
      );
      expect(await versions('fraud-model')).toEqual([4, 3, 1]);
      expect(await readAllMessages(testKafka(), topics().deadLetter)).toHaveLength(1);
    } finally {
      await locker.end();
    }
  });

  async function publish(events: RunRegistered[]): Promise<void> {
    const logger = createJsonLogger({ service: 'test', level: 'error' });
    const kafka = createKafkaClient({
      brokers: environment.env['KAFKA_BROKERS']!.split(','),
      clientId: 'poison-producer',
      logger,
      security: readKafkaSecurity(environment.env),
    });
    const publisher = new KafkaEventPublisher(kafka);
    await publisher.publish(
      events
        .map((data) => eventMessage(codec, topics(), { type: 'RunRegistered', data }))
        .map((m) => ({ ...m, value: environment.sealer.seal('lineage', m.value) })),
    );
    await publisher.close();
  }

  async function versions(modelName: string): Promise<number[]> {
    const result = await db
      .query('SELECT model_version FROM projections.model_versions WHERE model_name = $1 ORDER BY model_version DESC', [modelName])
      .catch(() => ({ rows: [] }));
    return (result.rows as Array<{ model_version: number }>).map((row) => row.model_version);
  }

  async function partitionOf(modelName: string): Promise<number> {
    const result = await db.query('SELECT kafka_partition FROM projections.event_index WHERE model_name = $1 LIMIT 1', [modelName]);
    return (result.rows[0] as { kafka_partition: number }).kafka_partition;
  }

  async function readiness(): Promise<{ status: number; body: string }> {
    const response = await fetch(`${projections.url}/health/ready`);
    return { status: response.status, body: await response.text() };
  }
});
