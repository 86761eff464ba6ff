import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { ListMultipartUploadsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Client } from 'pg';
import { ContentAddressedStore } from '@modelreg/artifact-store';
import { exampleRunSubmissionJson } from '@modelreg/lineage';
import {
  bearer,
  createTestEnvironment,
  eventually,
  startPrivatePostgres,
  startPrivateS3,
  startService,
  type PrivatePostgres,
  type PrivateS3,
  type RunningService,
  type TestEnvironment,
} from '@modelreg/testing';

const BUCKET = 'outage-artifacts';

async function upload(url: string, bytes: Buffer) {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const response = await fetch(`${url}/v1/artifacts/${sha256}`, {
    method: 'PUT',
    body: bytes,
    headers: { ...bearer('trainer'), 'content-type': 'application/octet-stream' },
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as Record<string, any>,
    sha256,
    sizeBytes: bytes.length,
  };
}

async function register(url: string, body: unknown) {
  const response = await fetch(`${url}/v1/runs`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { ...bearer('trainer'), 'content-type': 'application/json' },
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Record<string, any> };
}

async function readiness(url: string, capability: string) {
  const response = await fetch(`${url}/health/ready?capability=${capability}`);
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const alive = (service: RunningService) => service.process.exitCode === null && service.process.signalCode === null;

/**
 * Ingestion while its dependencies come and go: Postgres connections killed or the server
 * restarted, S3 stopped, a client gone mid-upload. The process never exits; requests meet a 503
 * naming the dependency while it is down, and succeed again once it is back.
 */
describe('ingestion: dependencies come and go', () => {
  let environment: TestEnvironment;
  let s3: PrivateS3;
  let bucket: S3Client;
  let ingestion: RunningService;
  let db: Client;
  let artifact: { sha256: string; sizeBytes: number };

  beforeAll(async () => {
    environment = await createTestEnvironment('outages');
    s3 = await startPrivateS3(BUCKET);
    bucket = new S3Client({
      endpoint: s3.env['S3_ENDPOINT'],
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: s3.env['S3_ACCESS_KEY_ID']!, secretAccessKey: s3.env['S3_SECRET_ACCESS_KEY']! },
    });
    ingestion = await startService('ingestion', { ...environment.env, ...s3.env });
    db = new Client({ connectionString: environment.databaseUrl });
    await db.connect();
    artifact = await upload(ingestion.url, randomBytes(2048));
  });

  afterAll(async () => {
    await ingestion?.stop();
    await db?.end();
    bucket?.destroy();
    await s3?.dispose();
    await environment?.dispose();
  });

  const leftovers = async () => ({
    incompleteUploads: ((await bucket.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }))).Uploads ?? []).length,
    temporaryObjects: ((await bucket.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'uploads/' }))).Contents ?? []).length,
  });

  it('survives every pooled connection being terminated while it serves requests', async () => {
    const registering = Array.from({ length: 20 }, (_, index) =>
      register(ingestion.url, exampleRunSubmissionJson('churn-model', `run-${index}`, artifact.sha256, artifact.sizeBytes)),
    );
    const terminated = await db.query(
      'SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity ' +
        "WHERE datname = current_database() AND application_name = 'modelreg-ingestion') t",
    );
    const during = await Promise.all(registering);
    await db.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity ' +
        "WHERE datname = current_database() AND application_name = 'modelreg-ingestion'",
    );

    expect((terminated.rows[0] as { n: number }).n).toBeGreaterThan(0);
    for (const response of during) {
      expect([201, 503]).toContain(response.status);
      if (response.status === 503)
        expect(response.body).toMatchObject({ error: 'dependency_unavailable', dependency: 'postgres', retriable: true });
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(alive(ingestion)).toBe(true);
    expect(
      (await register(ingestion.url, exampleRunSubmissionJson('churn-model', 'after', artifact.sha256, artifact.sizeBytes))).status,
    ).toBe(201);
    expect((await readiness(ingestion.url, 'register')).status).toBe(200);
  });

  it('answers 503 naming S3 while it is down, leaves nothing half-written, and recovers by itself', async () => {
    await s3.stop();
    const refused = await upload(ingestion.url, randomBytes(4096));
    expect(refused).toMatchObject({
      status: 503,
      retryAfter: '5',
      body: { error: 'dependency_unavailable', dependency: 's3', retriable: true },
    });
    const ready = await readiness(ingestion.url, 'upload');
    expect(ready.status).toBe(503);
    expect(ready.body['capabilities']['upload']).toMatchObject({ ready: false, failing: { s3: expect.stringContaining('unreachable') } });
    expect((await readiness(ingestion.url, 'register')).status).toBe(200);
    expect(alive(ingestion)).toBe(true);

    await s3.start();
    expect(await leftovers()).toEqual({ incompleteUploads: 0, temporaryObjects: 0 });
    expect((await upload(ingestion.url, randomBytes(4096))).status).toBe(201);
    expect((await readiness(ingestion.url, 'upload')).status).toBe(200);
  });

  it(
    'S3 stopping in the middle of an upload answers 503; ' + 'the sweep removes the multipart upload the outage kept from being aborted',
    async () => {
      const declared = 40 * 1024 * 1024;
      const client = request(`${ingestion.url}/v1/artifacts/${'c'.repeat(64)}`, {
        method: 'PUT',
        headers: { ...bearer('trainer'), 'content-type': 'application/octet-stream', 'content-length': String(declared) },
      });
      client.on('error', () => undefined);
      const answered = new Promise<{ status: number; body: Record<string, any> }>((resolveAnswer) =>
        client.on('response', (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolveAnswer({ status: response.statusCode ?? 0, body: JSON.parse(text) as Record<string, any> }));
        }),
      );
      client.write(randomBytes(12 * 1024 * 1024));
      await eventually(leftovers, (found) => found.incompleteUploads === 1, { what: 'the multipart upload began' });
      await s3.stop();
      const more = randomBytes(1024 * 1024);
      let response: { status: number; body: Record<string, any> } | null = null;
      void answered.then((value) => (response = value));
      for (let i = 0; i < 28 && response === null; i += 1) {
        client.write(more);
        await new Promise((resolveWait) => setTimeout(resolveWait, 100));
      }
      expect(await answered).toMatchObject({ status: 503, body: { error: 'dependency_unavailable', dependency: 's3' } });
      client.destroy();
      expect(alive(ingestion)).toBe(true);

      await s3.start();
      expect((await leftovers()).incompleteUploads).toBe(1); // its abort could not reach S3
      const store = new ContentAddressedStore(bucket, BUCKET);
      await store.sweepAbandonedUploads(new Date(Date.now() + 1000));
      expect(await leftovers()).toEqual({ incompleteUploads: 0, temporaryObjects: 0 });
    },
  );

  it('an upload whose client goes away mid-body leaves no incomplete multipart upload and no temporary object', async () => {
    const declared = 30 * 1024 * 1024;
    const sent = randomBytes(12 * 1024 * 1024); // more than one 8 MiB part: the multipart upload has begun
    const client = request(`${ingestion.url}/v1/artifacts/${'b'.repeat(64)}`, {
      method: 'PUT',
      headers: { ...bearer('trainer'), 'content-type': 'application/octet-stream', 'content-length': String(declared) },
    });
    client.on('error', () => undefined);
    client.write(sent);
    await eventually(leftovers, (found) => found.incompleteUploads === 1, { what: 'the multipart upload began' });
    client.destroy();

    await eventually(leftovers, (found) => found.incompleteUploads === 0 && found.temporaryObjects === 0, {
      what: 'the upload aborted and its temporary key gone',
    });
    expect(alive(ingestion)).toBe(true);
  });
});

/** Against a Postgres of the test's own, which it stops and starts (the shared one is never touched). */
describe('ingestion: a Postgres restart', () => {
  let environment: TestEnvironment;
  let postgres: PrivatePostgres;
  let ingestion: RunningService;

  beforeAll(async () => {
    environment = await createTestEnvironment('pg-restart');
    postgres = await startPrivatePostgres();
    ingestion = await startService('ingestion', { ...environment.env, DATABASE_URL: postgres.url });
  });

  afterAll(async () => {
    await ingestion?.stop();
    await postgres?.dispose();
    await environment?.dispose();
  });

  it('answers 503 naming Postgres while it is stopped, stays up, and serves again once it is back', async () => {
    const artifact = await upload(ingestion.url, randomBytes(2048));
    const body = (run: string) => exampleRunSubmissionJson('restart-model', run, artifact.sha256, artifact.sizeBytes);
    expect((await register(ingestion.url, body('before'))).status).toBe(201);

    await postgres.stop();
    const refused = await register(ingestion.url, body('during'));
    expect(refused).toMatchObject({
      status: 503,
      retryAfter: '5',
      body: { error: 'dependency_unavailable', dependency: 'postgres', retriable: true },
    });
    const ready = await readiness(ingestion.url, 'register');
    expect(ready.status).toBe(503);
    expect(ready.body['checks']['postgres']).toMatchObject({ ok: false });
    expect(alive(ingestion)).toBe(true);

    await postgres.start();
    const after = await eventually(
      () => register(ingestion.url, body('during')),
      (response) => response.status !== 503,
      { timeoutMs: 30_000, what: 'registration after the restart' },
    );
    expect(after.status).toBe(201);
    expect((await readiness(ingestion.url, 'register')).status).toBe(200);
    expect(alive(ingestion)).toBe(true);
  });
});
