import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DLQ_HEADERS, HEADER_EVENT_ID, KafkaEventPublisher, type OutgoingMessage } from '@modelreg/kafka';
import { createJsonLogger } from '@modelreg/logging';
import { createPool, withTransaction, type Pool } from '@modelreg/postgres';
import type { KafkaMessage } from 'kafkajs';
import {
  createTestEnvironment,
  createTestTopics,
  eventually,
  readAllMessages,
  testKafka,
  uniqueTopics,
  type TestEnvironment,
} from '@modelreg/testing';
import { migrateServiceSchema } from '../infrastructure';
import { OUTBOX_HEADERS, stampOutboxRow } from './outbox-reconciler';
import { OutboxRelay } from './outbox-relay';
import { enqueueOutbox } from './outbox-tables';

const logger = createJsonLogger({ service: 'outbox-relay-test', level: 'error' });
const MiB = 1024 * 1024;

/** The relay against the real broker (message.max.bytes 10 MiB) and a real Postgres outbox. */
describe('outbox relay on the real stack', () => {
  const kafka = testKafka('outbox-relay-test');
  let environment: TestEnvironment;
  let pool: Pool;
  const relays: OutboxRelay[] = [];
  const publishers: KafkaEventPublisher[] = [];

  beforeAll(async () => {
    environment = await createTestEnvironment('outbox-relay');
    pool = createPool({ connectionString: environment.databaseUrl, applicationName: 'outbox-relay-test' });
  });

  afterEach(async () => {
    for (const relay of relays.splice(0)) await relay.stop();
    for (const publisher of publishers.splice(0)) await publisher.close();
  });

  afterAll(async () => {
    await pool?.end();
    await environment?.dispose();
  });

  const outbox = async (label: string) => {
    const schema = `${label}_${randomUUID().slice(0, 8)}`;
    await migrateServiceSchema(pool, schema, mkdtempSync(join(tmpdir(), 'no-service-migrations-')));
    return schema;
  };
  const startRelay = (schema: string, deadLetterTopic: string) => {
    const publisher = new KafkaEventPublisher(kafka);
    const relay = new OutboxRelay({ pool, schema, kafka, publisher, deadLetterTopic, logger, pollMs: 100 });
    publishers.push(publisher);
    relays.push(relay);
    relay.start();
    return relay;
  };
  const record = (topic: string, key: string, label: string, bytes = 100): OutgoingMessage => ({
    topic,
    key,
    value: Buffer.concat([Buffer.from(`${label}:`), Buffer.alloc(bytes, 0x61)]),
    headers: { [HEADER_EVENT_ID]: randomUUID(), label },
  });
  const enqueue = (schema: string, messages: OutgoingMessage[]) =>
    withTransaction(pool, (client) => enqueueOutbox(client, schema, messages));
  const queued = (schema: string) =>
    pool.query(`SELECT count(*)::int AS n FROM ${schema}.outbox`).then((r) => (r.rows[0] as { n: number }).n);
  const drained = (schema: string) =>
    eventually(
      () => queued(schema),
      (n) => n === 0,
      { timeoutMs: 60_000, what: `${schema}.outbox drained` },
    );
  const header = (message: KafkaMessage, name: string) => message.headers?.[name]?.toString();
  const labels = (messages: KafkaMessage[]) => messages.map((message) => header(message, 'label'));

  it('dead-letters a record the broker refuses, with the reason, and appends the records behind it, of its key and others', async () => {
    const topics = await uniqueTopics(kafka, 'refused', ['events', 'dead-letter'], 3);
    const limited = `${topics['events']}-limited`;
    await createTestTopics(kafka, [{ topic: limited, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '100000' }] }]);
    const events = topics['events'] as string;
    const schema = await outbox('refused');
    const oversized = record(events, 'model-a', 'a-2', 11 * MiB);
    await enqueue(schema, [
      record(events, 'model-a', 'a-1'),
      oversized,
      record(events, 'model-a', 'a-3'),
      record(events, 'model-b', 'b-1'),
      record(limited, 'model-c', 'c-1', 200_000),
      record(limited, 'model-c', 'c-2'),
      record(`${events}-missing`, 'model-d', 'd-1'),
      record(events, 'model-a', 'a-4'),
    ]);

    const relay = startRelay(schema, topics['dead-letter'] as string);
    await drained(schema);

    const appended = await readAllMessages(kafka, events);
    expect(labels(appended.filter((m) => m.key?.toString() === 'model-a'))).toEqual(['a-1', 'a-3', 'a-4']);
    expect(labels(appended.filter((m) => m.key?.toString() === 'model-b'))).toEqual(['b-1']);
    expect(labels(await readAllMessages(kafka, limited))).toEqual(['c-2']);
    expect(relay.counters()).toEqual({ appended: 5, deadLettered: 3, foundOnLog: 0 });

    const dead = new Map((await readAllMessages(kafka, topics['dead-letter'] as string)).map((m) => [header(m, 'label'), m]));
    expect([...dead.keys()].sort()).toEqual(['a-2', 'c-1', 'd-1']);
    const tooBigForAnyTopic = dead.get('a-2') as KafkaMessage;
    expect(header(tooBigForAnyTopic, DLQ_HEADERS.reason)).toMatch(/^refused by the broker: MESSAGE_TOO_LARGE: /);
    expect(header(tooBigForAnyTopic, DLQ_HEADERS.sourceTopic)).toBe(events);
    expect(header(tooBigForAnyTopic, DLQ_HEADERS.sizeBytes)).toBe(String(oversized.value.length));
    expect(header(tooBigForAnyTopic, DLQ_HEADERS.keptIn)).toBe(`${schema}.outbox_rejected`);
    expect(header(tooBigForAnyTopic, HEADER_EVENT_ID)).toBe(oversized.headers[HEADER_EVENT_ID]);
    expect(tooBigForAnyTopic.value?.length).toBe(0);
    const kept = await pool.query(`SELECT id::text, value, reason FROM ${schema}.outbox_rejected`);
    expect(kept.rows).toHaveLength(1);
    expect(Buffer.compare(kept.rows[0].value as Buffer, oversized.value)).toBe(0);
    expect(kept.rows[0].id).toBe(header(tooBigForAnyTopic, OUTBOX_HEADERS.id));

    const tooBigForItsTopic = dead.get('c-1') as KafkaMessage;
    expect(header(tooBigForItsTopic, DLQ_HEADERS.reason)).toMatch(/^refused by the broker: MESSAGE_TOO_LARGE: /);
    expect(header(tooBigForItsTopic, DLQ_HEADERS.sourceTopic)).toBe(limited);
    expect(tooBigForItsTopic.value?.length).toBe(200_000 + 'c-1:'.length);
    expect(header(tooBigForItsTopic, DLQ_HEADERS.keptIn)).toBeUndefined();
    expect(header(dead.get('d-1') as KafkaMessage, DLQ_HEADERS.reason)).toMatch(
      /^refused by the broker: UNKNOWN_TOPIC: topic .*-missing does not exist/,
    );
  });

  it('bounds sends in bytes, so many ~1 MB records go through (one send of them all is over the broker limit)', async () => {
    const topics = await uniqueTopics(kafka, 'large', ['events', 'dead-letter'], 1);
    const schema = await outbox('large');
    const count = 30;
    await enqueue(
      schema,
      Array.from({ length: count }, (_, index) => record(topics['events'] as string, 'model-a', `r-${index}`, MiB)),
    );

    const relay = startRelay(schema, topics['dead-letter'] as string);
    await drained(schema);

    expect(labels(await readAllMessages(kafka, topics['events'] as string))).toEqual(
      Array.from({ length: count }, (_, index) => `r-${index}`),
    );
    expect(await readAllMessages(kafka, topics['dead-letter'] as string)).toHaveLength(0);
    expect(relay.counters()).toEqual({ appended: count, deadLettered: 0, foundOnLog: 0 });
  });

  it('a restarted relay deletes the rows a crashed one had appended instead of appending them again', async () => {
    const topics = await uniqueTopics(kafka, 'crash', ['events', 'dead-letter'], 3);
    const events = topics['events'] as string;
    const schema = await outbox('crash');
    const keys = ['model-a', 'model-b', 'model-c'];
    await enqueue(
      schema,
      Array.from({ length: 6 }, (_, index) => record(events, keys[index % 3] as string, `r-${index}`)),
    );
    const first = startRelay(schema, topics['dead-letter'] as string);
    await drained(schema);
    await first.stop();

    // What a relay killed between the broker's ack and its DELETE leaves behind.
    await enqueue(
      schema,
      Array.from({ length: 6 }, (_, index) => record(events, keys[index % 3] as string, `r-${index + 6}`)),
    );
    const rows = await pool.query(
      `SELECT id::text, topic, message_key AS key, value, headers FROM ${schema}.outbox ORDER BY outbox.id LIMIT 4`,
    );
    const crashed = new KafkaEventPublisher(kafka);
    publishers.push(crashed);
    await crashed.publish(
      (rows.rows as Array<OutgoingMessage & { id: string }>).map(({ id, ...message }) => stampOutboxRow(message, schema, id)),
    );

    const second = startRelay(schema, topics['dead-letter'] as string);
    await drained(schema);

    const appended = await readAllMessages(kafka, events);
    expect(labels(appended).sort()).toEqual(Array.from({ length: 12 }, (_, index) => `r-${index}`).sort());
    for (const key of keys) {
      const order = labels(appended.filter((m) => m.key?.toString() === key)).map((label) => Number(label?.slice(2)));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
    expect(second.counters()).toEqual({ appended: 2, deadLettered: 0, foundOnLog: 4 });
  });

  it('one relay per outbox at a time: two instances append every row once', async () => {
    const topics = await uniqueTopics(kafka, 'pair', ['events', 'dead-letter'], 3);
    const schema = await outbox('pair');
    const pair = [startRelay(schema, topics['dead-letter'] as string), startRelay(schema, topics['dead-letter'] as string)];
    for (let round = 0; round < 10; round++) {
      await enqueue(
        schema,
        Array.from({ length: 10 }, (_, index) => record(topics['events'] as string, `model-${index % 4}`, `r-${round * 10 + index}`)),
      );
      for (const relay of pair) relay.nudge();
    }
    await drained(schema);

    const appended = labels(await readAllMessages(kafka, topics['events'] as string));
    expect(appended).toHaveLength(100);
    expect(new Set(appended).size).toBe(100);
    expect(pair.map((relay) => relay.counters().appended).sort((a, b) => a - b)).toEqual([0, 100]);
  });
});
