import { Agent, get } from 'node:http';
import {
  bearer,
  createTestEnvironment,
  eventually,
  freePort,
  startService,
  type RunningService,
  type TestEnvironment,
} from '@modelreg/testing';

async function getJson(url: string) {
  const response = await fetch(url, { headers: bearer('reader') });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

/** Projections serve reads from Postgres alone: with Kafka unreachable the service starts, answers queries and is ready for reads. */
describe('projections with Kafka unreachable', () => {
  let environment: TestEnvironment;
  let projections: RunningService;

  beforeAll(async () => {
    environment = await createTestEnvironment('no-kafka');
    const deadBroker = `127.0.0.1:${await freePort()}`;
    projections = await startService('projections', { ...environment.env, KAFKA_BROKERS: deadBroker }, { waitReady: false });
  });

  afterAll(async () => {
    await projections?.stop();
    await environment?.dispose();
  });

  it('is ready for reads and serves them, and reports Kafka unavailable for ingest', async () => {
    const reads = await eventually(
      () => getJson(`${projections.url}/health/ready?capability=reads`),
      (response) => response.status === 200,
      { timeoutMs: 60_000, what: `ready for reads\n${projections.output()}` },
    );
    expect(reads.body).toMatchObject({
      ready: true,
      capability: 'reads',
      capabilities: { reads: { ready: true }, ingest: { ready: false } },
    });
    expect(reads.body['checks']['kafka']).toMatchObject({ ok: false });
    expect(reads.body['checks']['lag']).toEqual({ ok: true, detail: { events: null, consumer: 'not running' } });
    expect(reads.body['capabilities']['ingest']['failing']['kafka']).toMatch(/^kafka unavailable/);

    expect((await getJson(`${projections.url}/v1/models`)).status).toBe(200);
    const overall = await getJson(`${projections.url}/health/ready`);
    expect(overall.status).toBe(503);
    expect((await getJson(`${projections.url}/health/ready?capability=ingest`)).status).toBe(503);
    expect(await getJson(`${projections.url}/health/ready?capability=writes`)).toMatchObject({
      status: 400,
      body: { field: 'capability' },
    });
    expect(projections.process.exitCode).toBeNull();
  });

  it('keeps idle connections open longer than load balancers and client pools do (65 s, not the 5 s Node defaults to)', async () => {
    const header = await new Promise<string | undefined>((resolve, reject) =>
      get(`${projections.url}/health/live`, { agent: new Agent({ keepAlive: true }) }, (response) => {
        response.resume();
        resolve(response.headers['keep-alive'] as string | undefined);
      }).on('error', reject),
    );
    expect(header).toBe('timeout=65');
  });
});

describe('projections readiness with Kafka up', () => {
  let environment: TestEnvironment;
  let projections: RunningService;

  beforeAll(async () => {
    environment = await createTestEnvironment('lag');
    projections = await startService('projections', environment.env);
  });

  afterAll(async () => {
    await projections?.stop();
    await environment?.dispose();
  });

  it('is ready for every capability and reports the consumer lag', async () => {
    const ready = await getJson(`${projections.url}/health/ready`);
    expect(ready).toMatchObject({ status: 200, body: { ready: true, capabilities: { reads: { ready: true }, ingest: { ready: true } } } });
    expect(ready.body['checks']['lag']).toEqual({ ok: true, detail: { events: 0 } });
  });
});
