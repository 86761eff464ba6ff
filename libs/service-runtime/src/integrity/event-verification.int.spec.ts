import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { readBusSettings } from '@modelreg/config';
import { eventHash, EventCodec, exampleRunRegistered, readSigningKey, SchemaCatalog, sealEvent, type SigningKey } from '@modelreg/events';
import { DLQ_HEADERS, eventMessage } from '@modelreg/kafka';
import { createJsonLogger } from '@modelreg/logging';
import { withTransaction } from '@modelreg/postgres';
import { createTestEnvironment, eventually, readAllMessages, testKafka, type TestEnvironment } from '@modelreg/testing';
import type { ApplyEvents } from '../event-ledger/event-ledger';
import { connectInfrastructure, type ServiceInfrastructure } from '../infrastructure';
import { ledgerConsumer, type LedgerPipeline } from '../ledger-consumer';

const SCHEMA = 'ingestion';
const codec = new EventCodec(SchemaCatalog.load());
const logger = createJsonLogger({ service: 'verification-test', level: 'error' });

const recordRun: ApplyEvents = async (client, events) => {
  for (const { event } of events) {
    if (event.type === 'RunRegistered')
      await client.query(`INSERT INTO ${SCHEMA}.runs (model_name, model_version) VALUES ($1, $2)`, [
        event.data.modelName,
        event.data.modelVersion,
      ]);
  }
};

/** Signed events and hash chains on the real stack: the outbox seals in its transaction, the ledger believes only what holds. */
describe('event signatures and chains through the outbox and the event ledger', () => {
  let environment: TestEnvironment;
  let infra: ServiceInfrastructure;
  let db: Client;
  let ingestionKey: SigningKey;
  let gatesKey: SigningKey;
  const kafka = testKafka('verification-test');
  const running: LedgerPipeline[] = [];
  const run = (model: string, version: number) => codec.encode({ type: 'RunRegistered', data: exampleRunRegistered(model, version) });

  beforeAll(async () => {
    environment = await createTestEnvironment('verification');
    const migrationsDir = mkdtempSync(join(tmpdir(), 'verification-'));
    writeFileSync(join(migrationsDir, '001_runs.sql'), 'CREATE TABLE runs (model_name text NOT NULL, model_version int NOT NULL);\n');
    // Named as the ingestion service, so its outbox signs with ingestion's key, trusted for the lineage topic.
    infra = await connectInfrastructure({
      serviceName: 'ingestion',
      bus: readBusSettings({ ...environment.env, TOPIC_PARTITIONS: '1' }),
      databaseUrl: environment.databaseUrl,
      schema: SCHEMA,
      migrationsDir,
      produces: ['lineage', 'deadLetter'],
      logger,
    });
    ingestionKey = readSigningKey(environment.env['EVENT_KEYS_DIR'] as string, 'ingestion');
    gatesKey = readSigningKey(environment.env['EVENT_KEYS_DIR'] as string, 'gate-validator');
    db = new Client({ connectionString: environment.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    for (const pipeline of running) await pipeline.stop();
    await db?.end();
    await infra?.close();
    await environment?.dispose();
  });

  async function consume(groupId: string): Promise<LedgerPipeline> {
    const pipeline = ledgerConsumer({
      infra,
      schema: SCHEMA,
      groupId,
      topics: [infra.topics.lineage],
      logger,
      apply: recordRun,
      relay: infra.outboxRelay(SCHEMA),
      stallSeconds: 60,
      onFatal: () => undefined,
    });
    running.push(pipeline);
    await pipeline.start();
    return pipeline;
  }

  async function produce(values: Buffer[]): Promise<void> {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: infra.topics.lineage,
      messages: values.map((value) => ({ key: codec.decode(value).data.envelope.subject.modelName, value })),
    });
    await producer.disconnect();
  }

  const partitionEnds = async (): Promise<Map<number, number>> => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      return new Map((await admin.fetchTopicOffsets(infra.topics.lineage)).map(({ partition, high }) => [partition, Number(high)]));
    } finally {
      await admin.disconnect();
    }
  };
  const applied = async (model: string) =>
    (await db.query(`SELECT model_version FROM ${SCHEMA}.runs WHERE model_name = $1 ORDER BY model_version`, [model])).rows.map(
      (row: { model_version: number }) => row.model_version,
    );
  const deadLetters = async (groupId: string) =>
    (await readAllMessages(kafka, infra.topics.deadLetter))
      .filter((message) => String(message.headers?.[DLQ_HEADERS.consumerGroup]) === groupId)
      .map((message) => ({
        offset: Number(String(message.headers?.[DLQ_HEADERS.sourceOffset])),
        reason: String(message.headers?.[DLQ_HEADERS.reason]),
      }))
      .sort((a, b) => a.offset - b.offset);

  it('seals what the outbox queues, chained per model in the queuing transaction; a consumer believes it', async () => {
    const relay = infra.outboxRelay(SCHEMA);
    await withTransaction(infra.pool, (client) =>
      relay.enqueue(
        client,
        [1, 2].map((version) =>
          eventMessage(codec, infra.topics, { type: 'RunRegistered', data: exampleRunRegistered('sealed-model', version) }),
        ),
      ),
    );
    relay.start();
    await eventually(
      async () => (await db.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.outbox`)).rows[0].n as number,
      (n) => n === 0,
      { what: 'the outbox relayed' },
    );
    await relay.stop();
    const records = (await readAllMessages(kafka, infra.topics.lineage)).map((message) => message.value as Buffer);
    const [first, second] = records.map((value) => codec.decode(value).data.envelope);
    expect(first).toMatchObject({ signingKeyId: ingestionKey.keyId, previousEventHash: null, signature: expect.any(String) });
    expect(second?.previousEventHash).toBe(eventHash(records[0] as Buffer));
    const head = await db.query(`SELECT head_hash FROM ${SCHEMA}.event_chain_heads WHERE topic = $1 AND stream_key = 'sealed-model'`, [
      infra.topics.lineage,
    ]);
    expect(head.rows).toEqual([{ head_hash: eventHash(records[1] as Buffer) }]);

    const sealedConsumer = await consume(`${environment.id}.sealed`);
    await eventually(
      () => applied('sealed-model'),
      (versions) => versions.length === 2,
      { what: 'both believed' },
    );
    // One consumer group per schema, as in the services: applied event ids are the schema's, not the group's.
    await sealedConsumer.stop();
  });

  it(
    'dead-letters unsigned, forged, wrongly keyed and out-of-chain events with the reason; ' + 'a replayed old event changes nothing',
    async () => {
      const model = 'attacked-model';
      const first = sealEvent(codec, run(model, 1), ingestionKey, null);
      const forged = codec.rewriteEnvelope(sealEvent(codec, run(model, 3), ingestionKey, eventHash(first)), (envelope) => ({
        ...envelope,
        principal: { subject: 'mallory', issuer: 'self', roles: ['trainer'] },
      }));
      const fifth = sealEvent(codec, run(model, 5), ingestionKey, eventHash(first));
      const sixth = sealEvent(codec, run(model, 6), ingestionKey, eventHash(fifth));
      const seventh = sealEvent(codec, run(model, 7), ingestionKey, eventHash(sixth));
      const groupId = `${environment.id}.attacked`;
      await consume(groupId);
      // The model's records land on one partition; offsets below are counted from where they start.
      const before = await partitionEnds();
      await produce([first, run(model, 2), forged, sealEvent(codec, run(model, 4), gatesKey, eventHash(first)), fifth, first, seventh]);

      await eventually(
        () => deadLetters(groupId),
        (letters) => letters.length === 4,
        { what: 'four dead letters' },
      );
      const after = await partitionEnds();
      const grown = [...after].filter(([partition, high]) => high - (before.get(partition) ?? 0) === 7);
      expect(grown).toHaveLength(1);
      const base = before.get((grown[0] as [number, number])[0]) ?? 0;
      expect(await applied(model)).toEqual([1, 5]);
      expect(await deadLetters(groupId)).toEqual([
        { offset: base + 1, reason: 'refused: unsigned event on the lineage topic' },
        { offset: base + 2, reason: expect.stringMatching(/^refused: forged event: the signature of key ingestion:\w+ does not hold$/) },
        {
          offset: base + 3,
          reason: expect.stringMatching(/^refused: key gate-validator:\w+ \(gate-validator\) is not trusted for the lineage topic$/),
        },
        // The sixth event was deleted: the seventh names a previous event the consumer never believed.
        {
          offset: base + 6,
          reason: expect.stringMatching(/^refused: chain break on attacked-model: the event follows \w+, the stream's last event is \w+$/),
        },
      ]);

      // Replayed in a later batch, an event already believed is a no-op; the genuine chain goes on.
      await produce([fifth, sealEvent(codec, run(model, 8), ingestionKey, eventHash(fifth))]);
      await eventually(
        () => applied(model),
        (versions) => versions.length === 3,
        { what: 'the eighth believed' },
      );
      expect(await applied(model)).toEqual([1, 5, 8]);
      expect(await deadLetters(groupId)).toHaveLength(4);
    },
  );
});
