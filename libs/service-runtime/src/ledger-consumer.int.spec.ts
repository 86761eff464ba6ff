import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { readBusSettings } from '@modelreg/config';
import { EventCodec, exampleRunRegistered, SchemaCatalog, type RunRegistered } from '@modelreg/events';
import { DLQ_HEADERS } from '@modelreg/kafka';
import { createJsonLogger } from '@modelreg/logging';
import {
  createTestEnvironment,
  createTestTopics,
  eventually,
  readAllMessages,
  stackConnection,
  testKafka,
  type TestEnvironment,
} from '@modelreg/testing';
import type { ApplyEvents } from './event-ledger/event-ledger';
import { connectInfrastructure, type ServiceInfrastructure } from './infrastructure';
import { ledgerConsumer, type LedgerPipeline } from './ledger-consumer';
import { OUTBOX_HEADERS } from './outbox/outbox-reconciler';

const SCHEMA = 'ledger_test';
const codec = new EventCodec(SchemaCatalog.load());
const logger = createJsonLogger({ service: 'ledger-consumer-test', level: 'error' });

/** What the test service does with an event: its labels go into jsonb, as a real read model would store them. */
const recordRun: ApplyEvents = async (client, events) => {
  for (const { event } of events) {
    if (event.type !== 'RunRegistered') continue;
    await client.query(`INSERT INTO ${SCHEMA}.runs (event_id, model_version, labels) VALUES ($1, $2, $3::jsonb)`, [
      event.data.envelope.eventId,
      event.data.modelVersion,
      JSON.stringify(event.data.labels),
    ]);
  }
};

/** The dead-letter path end to end on the real Kafka and Postgres: outbox, headers, exactly once. */
describe('ledger consumer on the real stack', () => {
  let environment: TestEnvironment;
  let infra: ServiceInfrastructure;
  let db: Client;
  const kafka = testKafka('ledger-consumer-test');
  const fatal: Error[] = [];
  const running: LedgerPipeline[] = [];

  beforeAll(async () => {
    environment = await createTestEnvironment('ledger-consumer');
    const migrationsDir = mkdtempSync(join(tmpdir(), 'ledger-consumer-'));
    writeFileSync(
      join(migrationsDir, '001_runs.sql'),
      'CREATE TABLE runs (event_id uuid PRIMARY KEY, model_version int NOT NULL, labels jsonb NOT NULL);\n',
    );
    infra = await connectInfrastructure({
      serviceName: 'ledger-consumer-test',
      // The ledger's mechanics, events unsigned: event-verification.int.spec.ts covers signatures and chains.
      bus: readBusSettings({ ...environment.env, TOPIC_PARTITIONS: '1', EVENT_KEYS_DIR: '' }),
      databaseUrl: environment.databaseUrl,
      schema: SCHEMA,
      migrationsDir,
      produces: ['deadLetter'],
      logger,
    });
    db = new Client({ connectionString: environment.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    for (const pipeline of running) await pipeline.stop();
    await db?.end();
    await infra?.close();
    await environment?.dispose();
  });

  function startPipeline(groupId: string, topic = infra.topics.lineage, stallSeconds = 60): Promise<LedgerPipeline> {
    const pipeline = ledgerConsumer({
      infra,
      schema: SCHEMA,
      groupId,
      topics: [topic],
      logger,
      apply: recordRun,
      relay: infra.outboxRelay(SCHEMA),
      stallSeconds,
      onFatal: (error) => void fatal.push(error),
      retry: { deterministicTries: 3, initialBackoffMs: 50, maxBackoffMs: 500 },
    });
    running.push(pipeline);
    return pipeline.start().then(() => pipeline);
  }

  async function produce(values: Buffer[], topic = infra.topics.lineage): Promise<void> {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: values.map((value) => ({ key: 'fraud-model', value })) });
    await producer.disconnect();
  }

  const encode = (data: RunRegistered) => codec.encode({ type: 'RunRegistered', data });

  it(
    'dead-letters a poison event, an undecodable record and an event without a UUID through the outbox, ' +
      'applies the rest, and a redelivery changes nothing',
    async () => {
      const groupId = `${environment.id}.ledger-test`;
      const poison = exampleRunRegistered('fraud-model', 2, { labels: { 'team\u0000': 'risk' } });
      const withoutUuid = exampleRunRegistered('fraud-model', 6);
      withoutUuid.envelope.eventId = 'run-6';
      await produce([
        encode(exampleRunRegistered('fraud-model', 1)),
        encode(poison),
        Buffer.from('not avro'),
        encode(exampleRunRegistered('fraud-model', 3)),
        encode(exampleRunRegistered('fraud-model', 4)),
        encode(withoutUuid),
      ]);

      const pipeline = await startPipeline(groupId);
      await eventually(
        () => position(groupId),
        (next) => next === 6,
        { what: 'the partition past all six records' },
      );
      await eventually(
        () => outboxRows(),
        (rows) => rows === 0,
        { what: 'the outbox relayed' },
      );

      expect(await appliedVersions()).toEqual([1, 3, 4]);
      const applied = await db.query(`SELECT kafka_offset::int AS at FROM ${SCHEMA}.applied_events WHERE event_id = $1`, [
        poison.envelope.eventId,
      ]);
      expect(applied.rows).toEqual([{ at: 1 }]);
      const dead = await deadLetters();
      expect(dead).toEqual([
        {
          value: encode(poison).toString('hex'),
          headers: {
            [DLQ_HEADERS.reason]: expect.stringMatching(/^handler failed: unsupported Unicode escape sequence \(SQLSTATE 22P05\)/),
            [DLQ_HEADERS.sourceTopic]: infra.topics.lineage,
            [DLQ_HEADERS.sourcePartition]: '0',
            [DLQ_HEADERS.sourceOffset]: '1',
            [DLQ_HEADERS.consumerGroup]: groupId,
            // Appended by the outbox relay of the service's schema: the dead letter went through the outbox.
            [OUTBOX_HEADERS.outbox]: SCHEMA,
            [OUTBOX_HEADERS.id]: expect.stringMatching(/^\d+$/),
          },
        },
        {
          value: Buffer.from('not avro').toString('hex'),
          headers: expect.objectContaining({
            [DLQ_HEADERS.reason]: expect.stringMatching(/^undecodable: /),
            [DLQ_HEADERS.sourceOffset]: '2',
          }),
        },
        {
          value: encode(withoutUuid).toString('hex'),
          headers: expect.objectContaining({
            [DLQ_HEADERS.reason]: 'invalid event id: "run-6" is not a UUID',
            [DLQ_HEADERS.sourceOffset]: '5',
          }),
        },
      ]);

      // Kafka forgets the group's progress: the whole partition comes again, plus one new event.
      await pipeline.stop();
      const admin = kafka.admin();
      await admin.connect();
      await admin.setOffsets({ groupId, topic: infra.topics.lineage, partitions: [{ partition: 0, offset: '0' }] });
      await admin.disconnect();
      await produce([encode(exampleRunRegistered('fraud-model', 5))]);
      await startPipeline(groupId);
      await eventually(
        () => appliedVersions(),
        (versions) => versions.length === 4,
        { what: 'the new event applied' },
      );

      expect(await appliedVersions()).toEqual([1, 3, 4, 5]);
      expect(await position(groupId)).toBe(7);
      expect(await outboxRows()).toBe(0);
      expect(await deadLetters()).toHaveLength(3);
      expect(fatal).toEqual([]);
    },
  );

  it(
    'rides out a database that refuses connections: ' + 'retries without end, reports the stalled partition, applies once it is back',
    async () => {
      const groupId = `${environment.id}.outage-test`;
      // A topic of its own, one partition, outside the registry's topics (where each takes its own event types only).
      const topic = `${environment.id}.outage-test.v1`;
      await createTestTopics(testKafka('ledger-outage', environment.env), [{ topic, numPartitions: 1 }]);
      const database = new URL(environment.databaseUrl).pathname.slice(1);
      const pipeline = await startPipeline(groupId, topic, 1);
      const ownPid = ((await db.query('SELECT pg_backend_pid() AS pid')).rows[0] as { pid: number }).pid;
      const admin = new Client({ connectionString: stackConnection()['DATABASE_URL'] });
      await admin.connect();
      await admin.query(`ALTER DATABASE ${database} WITH ALLOW_CONNECTIONS false`);
      try {
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> $2', [database, ownPid]);
        await produce([encode(exampleRunRegistered('outage-model', 1))], topic);
        const stalled = await eventually(
          () =>
            pipeline.readiness.check().then(
              () => 'ready',
              (error: Error) => error.message,
            ),
          (message) => message !== 'ready',
          { timeoutMs: 20_000, what: 'the consumer reported stalled' },
        );
        expect(stalled).toMatch(new RegExp(`^consumer stalled: ${topic} partition 0: 1 records waiting, no progress for \\d+ s$`));
        await new Promise((resolve) => setTimeout(resolve, 3000));
        expect(fatal).toEqual([]);
      } finally {
        await admin.query(`ALTER DATABASE ${database} WITH ALLOW_CONNECTIONS true`);
        await admin.end();
      }
      await eventually(
        () => position(groupId),
        (next) => next === 1,
        { timeoutMs: 30_000, what: 'the event applied after the outage' },
      );
      await eventually(
        () =>
          pipeline.readiness.check().then(
            () => true,
            () => false,
          ),
        (ready) => ready,
        { what: 'ready again' },
      );
      const dead = await deadLetters();
      expect(dead.filter((letter) => letter.headers[DLQ_HEADERS.sourceTopic] === topic)).toEqual([]);
      expect(fatal).toEqual([]);
    },
  );

  async function position(groupId: string): Promise<number> {
    const result = await db.query(`SELECT next_offset::int AS next FROM ${SCHEMA}.consumer_positions WHERE consumer_group = $1`, [groupId]);
    return (result.rows[0] as { next: number } | undefined)?.next ?? 0;
  }

  async function appliedVersions(): Promise<number[]> {
    const result = await db.query(`SELECT model_version FROM ${SCHEMA}.runs ORDER BY model_version`);
    return (result.rows as Array<{ model_version: number }>).map((row) => row.model_version);
  }

  async function outboxRows(): Promise<number> {
    const result = await db.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.outbox`);
    return (result.rows[0] as { n: number }).n;
  }

  async function deadLetters(): Promise<Array<{ value: string; headers: Record<string, string> }>> {
    const messages = await readAllMessages(kafka, infra.topics.deadLetter);
    return messages
      .sort((a, b) => Number(a.headers?.[DLQ_HEADERS.sourceOffset]) - Number(b.headers?.[DLQ_HEADERS.sourceOffset]))
      .map((message) => ({
        value: message.value?.toString('hex') ?? '',
        headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([key, value]) => [key, String(value)])),
      }));
  }
});
