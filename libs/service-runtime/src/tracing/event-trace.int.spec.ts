import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { readBusSettings } from '@modelreg/config';
import { exampleRunRegistered, type RunRegistered } from '@modelreg/events';
import { eventMessage } from '@modelreg/kafka';
import { createJsonLogger } from '@modelreg/logging';
import { withTransaction } from '@modelreg/postgres';
import { createTestEnvironment, eventually, readAllMessages, testKafka, type TestEnvironment } from '@modelreg/testing';
import type { ApplyEvents } from '../event-ledger/event-ledger';
import { connectInfrastructure, type ServiceInfrastructure } from '../infrastructure';
import { ledgerConsumer, type LedgerPipeline } from '../ledger-consumer';
import type { OutboxRelay } from '../outbox/outbox-relay';
import { registerTracing, type Tracing } from './start-tracing';

const SCHEMA = 'trace_test';
const logger = createJsonLogger({ service: 'trace-test', level: 'error' });

/**
 * Trace context through the real outbox, broker and ledger consumer, with the SDK's in-memory
 * exporter: a registration queued inside a span is sent, consumed and answered (an event naming it
 * as its cause), and every hop is a child of the one before, in the registration's trace.
 */
describe('trace context through Kafka headers', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let environment: TestEnvironment;
  let infra: ServiceInfrastructure;
  let relay: OutboxRelay;
  let pipeline: LedgerPipeline;
  let db: Client;

  /** Records each run; answers a registration nobody caused with the next version, caused by it. */
  const recordAndAnswer: ApplyEvents = async (client, events) => {
    for (const { event } of events) {
      if (event.type !== 'RunRegistered') continue;
      await client.query(`INSERT INTO ${SCHEMA}.runs (event_id, model_version) VALUES ($1, $2)`, [
        event.data.envelope.eventId,
        event.data.modelVersion,
      ]);
      if (event.data.envelope.causationId === null) await relay.enqueue(client, [registration(answerTo(event.data))]);
    }
  };

  beforeAll(async () => {
    tracing = registerTracing('trace-test', exporter);
    environment = await createTestEnvironment('trace');
    const migrationsDir = mkdtempSync(join(tmpdir(), 'trace-'));
    writeFileSync(join(migrationsDir, '001_runs.sql'), 'CREATE TABLE runs (event_id uuid PRIMARY KEY, model_version int NOT NULL);\n');
    // Named as the ingestion service: its outbox seals with ingestion's key and the consumer verifies, headers and all.
    infra = await connectInfrastructure({
      serviceName: 'ingestion',
      bus: readBusSettings({ ...environment.env, TOPIC_PARTITIONS: '1' }),
      databaseUrl: environment.databaseUrl,
      schema: SCHEMA,
      migrationsDir,
      produces: ['lineage', 'deadLetter'],
      logger,
    });
    relay = infra.outboxRelay(SCHEMA);
    pipeline = ledgerConsumer({
      infra,
      schema: SCHEMA,
      groupId: `${environment.id}-trace`,
      topics: [infra.topics.lineage],
      logger,
      apply: recordAndAnswer,
      relay,
      stallSeconds: 60,
      onFatal: () => undefined,
    });
    await pipeline.start();
    db = new Client({ connectionString: environment.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await pipeline?.stop();
    await db?.end();
    await infra?.close();
    await environment?.dispose();
    await tracing?.shutdown();
  });

  function registration(run: RunRegistered) {
    return eventMessage(infra.codec, infra.topics, { type: 'RunRegistered', data: run });
  }

  function answerTo(run: RunRegistered): RunRegistered {
    const answer = exampleRunRegistered(run.modelName, run.modelVersion + 1);
    return { ...answer, envelope: { ...answer.envelope, causationId: run.envelope.eventId } };
  }

  /** Queues a registration inside a span of its own, as a request handler would; resolves to that span's ids. */
  async function registerInSpan(version: number): Promise<{ traceId: string; spanId: string }> {
    const tracer = trace.getTracer('trace-test');
    return tracer.startActiveSpan('register', async (span) => {
      await withTransaction(infra.pool, (client) => relay.enqueue(client, [registration(exampleRunRegistered('traced', version))]));
      relay.nudge();
      span.end();
      return span.spanContext();
    });
  }

  it('makes the consumer span of an event a child of its send, and what it causes a child of that', async () => {
    // Two registrations in two traces, likely consumed in one batch: each answer joins its own cause's trace.
    const roots = [await registerInSpan(10), await registerInSpan(20)];
    await eventually(
      async () => Number((await db.query(`SELECT count(*) AS n FROM ${SCHEMA}.runs`)).rows[0].n),
      (runs) => runs === 4,
      { what: 'two registrations and their answers applied' },
    );
    const consumerSpans = async () => {
      await tracing.flush();
      return exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.CONSUMER).length;
    };
    await eventually(consumerSpans, (count) => count === 4, { what: 'four consumer spans exported' });

    const spans = exporter.getFinishedSpans();
    for (const root of roots) {
      const inTrace = spans.filter((span) => span.spanContext().traceId === root.traceId);
      const childOf = (parent: string, kind: SpanKind) => {
        const children = inTrace.filter((span) => span.parentSpanContext?.spanId === parent && span.kind === kind);
        expect(children).toHaveLength(1);
        return children[0] as ReadableSpan;
      };
      const sent = childOf(root.spanId, SpanKind.PRODUCER);
      const consumed = childOf(sent.spanContext().spanId, SpanKind.CONSUMER);
      const answerSent = childOf(consumed.spanContext().spanId, SpanKind.PRODUCER);
      const answerConsumed = childOf(answerSent.spanContext().spanId, SpanKind.CONSUMER);
      expect(inTrace).toHaveLength(5);
      expect(sent.name).toBe(`send ${infra.topics.lineage}`);
      expect(consumed.attributes).toMatchObject({
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.destination.name': infra.topics.lineage,
        'messaging.destination.partition.id': '0',
        'messaging.consumer.group.name': `${environment.id}-trace`,
        'modelreg.event.type': 'RunRegistered',
      });
      expect(typeof consumed.attributes['messaging.kafka.offset']).toBe('number');
      expect(answerConsumed.attributes['messaging.message.id']).not.toBe(consumed.attributes['messaging.message.id']);
    }

    // On the log: the producer span's context in the headers, next to the sealed value the consumer verified.
    const records = await readAllMessages(testKafka('trace-test'), infra.topics.lineage);
    expect(records).toHaveLength(4);
    for (const record of records) expect(record.headers?.['traceparent']?.toString()).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const deadLetters = await readAllMessages(testKafka('trace-test'), infra.topics.deadLetter);
    expect(deadLetters).toHaveLength(0);
  });
});
