import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { exampleRunSubmissionJson } from '@modelreg/lineage';
import { bearer, createTestEnvironment, startService, type RunningService, type TestEnvironment } from '@modelreg/testing';

async function upload(
  url: string,
  bytes: Buffer,
  sha256 = createHash('sha256').update(bytes).digest('hex'),
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${url}/v1/artifacts/${sha256}`, {
    method: 'PUT',
    body: bytes,
    headers: { ...bearer('trainer'), 'content-type': 'application/octet-stream', ...headers },
  });
  return { status: response.status, body: (await response.json()) as Record<string, any>, sha256 };
}

async function register(url: string, body: unknown, raw?: string) {
  const response = await fetch(`${url}/v1/runs`, {
    method: 'POST',
    body: raw ?? JSON.stringify(body),
    headers: { ...bearer('trainer'), 'content-type': 'application/json' },
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

/** The ingestion service against the real Postgres, S3 and Kafka. */
describe('ingestion: run registration', () => {
  let environment: TestEnvironment;
  let ingestion: RunningService;
  let db: Client;
  let artifact: { sha256: string; sizeBytes: number };

  beforeAll(async () => {
    environment = await createTestEnvironment('ingestion');
    ingestion = await startService('ingestion', environment.env);
    db = new Client({ connectionString: environment.databaseUrl });
    await db.connect();
    const bytes = randomBytes(2048);
    artifact = { sha256: (await upload(ingestion.url, bytes)).sha256, sizeBytes: bytes.length };
  });

  afterAll(async () => {
    await ingestion?.stop();
    await db?.end();
    await environment?.dispose();
  });

  const body = (model: string, run: string) => exampleRunSubmissionJson(model, run, artifact.sha256, artifact.sizeBytes);
  const registrations = async (model: string) =>
    (await db.query('SELECT model_version FROM ingestion.registrations WHERE model_name = $1 ORDER BY 1', [model])).rows.map(
      (row: { model_version: number }) => row.model_version,
    );

  it('gives 50 concurrent registrations of one model the versions 1..50, no gaps, no duplicates', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) => register(ingestion.url, body('concurrent-model', `run-${index}`))),
    );
    expect(results.every((result) => result.status === 201)).toBe(true);
    expect(results.map((result) => result.body['modelVersion']).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, index) => index + 1),
    );
    expect(await registrations('concurrent-model')).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
  });

  it('returns the existing version to a retry, even to 10 concurrent retries, and refuses a changed retry', async () => {
    const first = await register(ingestion.url, body('retried-model', 'run-a'));
    const retries = await Promise.all(Array.from({ length: 10 }, () => register(ingestion.url, body('retried-model', 'run-a'))));
    expect(first).toMatchObject({ status: 201, body: { modelVersion: 1 } });
    expect(retries.map((retry) => [retry.status, retry.body['modelVersion'], retry.body['eventId']])).toEqual(
      Array(10).fill([200, 1, first.body['eventId']]),
    );
    const changed = body('retried-model', 'run-a') as Record<string, any>;
    changed['hyperparameters'] = { learning_rate: 0.01 };
    expect(await register(ingestion.url, changed)).toMatchObject({ status: 409, body: { field: 'trainingRunId' } });
    const next = await register(ingestion.url, body('retried-model', 'run-b'));
    expect(next.body['modelVersion']).toBe(2);
    expect(await registrations('retried-model')).toEqual([1, 2]);
  });

  // Bad input over HTTP: each case gets a 4xx naming the field and leaves nothing behind.
  it.each<[string, () => Promise<{ status: number; body: Record<string, any> }>, number, string]>([
    [
      'an artifact never uploaded',
      () => register(ingestion.url, exampleRunSubmissionJson('bad-model', 'r1', 'c'.repeat(64), 10)),
      422,
      'artifacts[0].sha256',
    ],
    [
      'a declared size that differs from the stored artifact',
      () => register(ingestion.url, exampleRunSubmissionJson('bad-model', 'r2', artifact.sha256, artifact.sizeBytes + 1)),
      422,
      'artifacts[0].sizeBytes',
    ],
    [
      'a NaN metric',
      () => register(ingestion.url, { ...body('bad-model', 'r3'), metrics: { overall: { auc: 'NaN' } } }),
      422,
      'metrics.overall.auc',
    ],
    ['a model name with an encoded traversal', () => register(ingestion.url, body('%2e%2e%2f', 'r4')), 422, 'modelName'],
    [
      'a file:// artifact reference',
      () =>
        register(ingestion.url, {
          ...body('bad-model', 'r5'),
          artifacts: [{ target: 'server', format: 'ONNX', sizeBytes: 1, sha256: artifact.sha256, storageUri: 'file:///etc/passwd' }],
        }),
      422,
      'artifacts[0].storageUri',
    ],
  ])('rejects %s', async (_case, send, status, field) => {
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.body['errors']).toContainEqual(expect.objectContaining({ field }));
    expect(await registrations('bad-model')).toEqual([]);
  });

  it('rejects malformed and oversized JSON with a 4xx', async () => {
    expect((await register(ingestion.url, null, '{"modelName": ')).status).toBe(400);
    expect(
      (await register(ingestion.url, null, JSON.stringify({ ...body('bad-model', 'big'), labels: { blob: 'x'.repeat(5 * 1024 * 1024) } })))
        .status,
    ).toBe(413);
  });

  it.each<[string, (bytes: Buffer) => Promise<{ status: number; body: Record<string, any> }>, number, string]>([
    ['content that does not hash to the declared sha256', (bytes) => upload(ingestion.url, bytes, 'f'.repeat(64)), 422, 'sha256'],
    ['a sha256 that is not hex', (bytes) => upload(ingestion.url, bytes, '..%2f..%2fetc%2fpasswd'), 400, 'sha256'],
  ])('refuses an upload with %s and stores nothing', async (_case, send, status, field) => {
    const bytes = randomBytes(1024);
    const response = await send(bytes);
    expect(response).toMatchObject({ status, body: { field } });
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect((await register(ingestion.url, exampleRunSubmissionJson('bad-model', 'after-upload', sha, 1024))).body['errors']).toContainEqual(
      expect.objectContaining({ field: 'artifacts[0].sha256' }),
    );
  });
});
