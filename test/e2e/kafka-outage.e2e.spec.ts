import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EventCodec, SchemaCatalog } from '@modelreg/events';
import { ensureKafkaJars, startKafka, stopProcess, waitForKafka } from '@modelreg/local-stack';
import {
  createTestEnvironment,
  eventually,
  freePort,
  onPlaintextBroker,
  readMessages,
  startService,
  type RunningService,
  type TestEnvironment,
} from '@modelreg/testing';
import { Kafka, logLevel } from 'kafkajs';
import { registerExampleRun } from './registry-client';

/**
 * Ingestion's choice when Kafka is down: registrations are accepted and durably queued in the
 * transactional outbox, then appended once the broker is back. Proven against a broker of its own
 * that the test stops and restarts.
 */
describe('ingestion while Kafka is down', () => {
  let environment: TestEnvironment;
  let ingestion: RunningService | undefined;
  let brokerPid: number | undefined;
  let db: Client;
  const dir = mkdtempSync(join(tmpdir(), 'modelreg-outage-kafka-'));
  let ports: { port: number; controllerPort: number };

  const startBroker = async () => {
    brokerPid = startKafka({ ...ports, partitions: 1, heap: '256m', log: () => undefined, dir });
    await waitForKafka(ports.port);
  };

  beforeAll(async () => {
    ensureKafkaJars(() => undefined);
    ports = { port: await freePort(), controllerPort: await freePort() };
    await startBroker();
    environment = await createTestEnvironment('outage');
    db = new Client({ connectionString: environment.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await ingestion?.stop();
    if (brokerPid) await stopProcess(brokerPid);
    await db?.end();
    await environment?.dispose();
  });

  it('accepts registrations while the broker is stopped and appends them, in order, when it is back', async () => {
    const env = onPlaintextBroker(environment.env, `127.0.0.1:${ports.port}`);
    ingestion = await startService('ingestion', env);
    expect((await registerExampleRun(ingestion.url, 'fraud-model', 'run-1')).status).toBe(201);
    const outboxSize = () => db.query('SELECT count(*)::int AS n FROM ingestion.outbox').then((r) => (r.rows[0] as { n: number }).n);
    await eventually(outboxSize, (n) => n === 0, { what: 'run-1 relayed while the broker is up' });

    await stopProcess(brokerPid as number);
    for (const run of ['run-2', 'run-3', 'run-4']) {
      const registered = await registerExampleRun(ingestion.url, 'fraud-model', run);
      expect(registered).toMatchObject({ status: 201, body: { status: 'registered' } });
    }
    expect(await outboxSize()).toBe(3);
    const ready = await fetch(`${ingestion.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: Record<string, { ok: boolean }> }).checks['kafka']?.ok).toBe(false);

    await startBroker();
    await eventually(outboxSize, (n) => n === 0, { timeoutMs: 60_000, what: 'outbox drained after the broker came back' });
    const kafka = new Kafka({ clientId: 'outage-test', brokers: [`127.0.0.1:${ports.port}`], logLevel: logLevel.NOTHING });
    const messages = await readMessages(kafka, `${environment.id}.lineage.v1`, 4);
    const codec = new EventCodec(SchemaCatalog.load());
    const versions = messages
      .map((message) => codec.decode(message.value))
      .map((event) => (event.type === 'RunRegistered' ? [event.data.trainingRunId, event.data.modelVersion] : null));
    expect(versions).toEqual([
      ['run-1', 1],
      ['run-2', 2],
      ['run-3', 3],
      ['run-4', 4],
    ]);
  });
});
