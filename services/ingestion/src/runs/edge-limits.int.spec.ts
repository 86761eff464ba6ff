import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { buildEnvelope, EventCodec, exampleRunRegistered, SchemaCatalog, type RunSubmitted } from '@modelreg/events';
import { exampleRunSubmissionJson } from '@modelreg/lineage';
import {
  bearer,
  createTestEnvironment,
  eventually,
  readAllMessages,
  readMessages,
  startService,
  testKafka,
  type RunningService,
  type TestEnvironment,
} from '@modelreg/testing';

const MAX_EVENT_BYTES = 2_000_000;
/** About 3.9 MB of hyperparameter strings: a RunRegistered well above MAX_EVENT_BYTES, a body within the JSON limit. */
const bigHyperparameters = Object.fromEntries(Array.from({ length: 950 }, (_, index) => [`param_${index}`, 'x'.repeat(4096)]));

async function post(url: string, body: string) {
  const response = await fetch(`${url}/v1/runs`, {
    method: 'POST',
    body,
    headers: { ...bearer('trainer'), 'content-type': 'application/json' },
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: (await response.json()) as Record<string, any>,
  };
}

/**
 * The edge of ingestion on the real stack: what Postgres, Avro or the broker could not take is
 * refused with the field (or the limit) named, and nothing is recorded or appended for it.
 */
describe('ingestion: nothing is acknowledged that cannot be stored or appended', () => {
  let environment: TestEnvironment;
  let ingestion: RunningService;
  let db: Client;
  let artifact: { sha256: string; sizeBytes: number };
  const kafka = testKafka('edge-limits');
  const lineageTopic = () => `${environment.id}.lineage.v1`;

  async function endOffset(topic: string): Promise<number> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      return (await admin.fetchTopicOffsets(topic)).reduce((sum, partition) => sum + Number(partition.high), 0);
    } finally {
      await admin.disconnect();
    }
  }

  const body = (model: string, run: string, change: Record<string, unknown> = {}) => ({
    ...exampleRunSubmissionJson(model, run, artifact.sha256, artifact.sizeBytes),
    ...change,
  });
  const registrations = async (model: string) =>
    (await db.query('SELECT model_version, training_run_id FROM ingestion.registrations WHERE model_name = $1 ORDER BY 1', [model])).rows;

  /** Registers a valid run after the refused ones and waits until it is on the log: only it may have been appended. */
  async function expectOnlyAppended(before: number, model: string, run: string): Promise<void> {
    expect((await post(ingestion.url, JSON.stringify(body(model, run)))).status).toBe(201);
    await eventually(
      () => endOffset(lineageTopic()),
      (offset) => offset >= before + 1,
      { what: 'the valid registration appended' },
    );
    expect(await endOffset(lineageTopic())).toBe(before + 1);
    const appended = (await readAllMessages(kafka, lineageTopic())).map((message) => codec.decode(message.value!));
    expect(
      appended
        .filter((event) => event.type === 'RunRegistered' && event.data.modelName === model)
        .map((event) => (event.data as { trainingRunId: string }).trainingRunId),
    ).toEqual([run]);
  }

  const codec = new EventCodec(SchemaCatalog.load());

  beforeAll(async () => {
    environment = await createTestEnvironment('edge-limits');
    ingestion = await startService('ingestion', {
      ...environment.env,
      MAX_EVENT_BYTES: String(MAX_EVENT_BYTES),
      INGESTION_MAX_JSON_BYTES: String(8 * 1024 * 1024),
    });
    db = new Client({ connectionString: environment.databaseUrl });
    await db.connect();
    const bytes = randomBytes(2048);
    artifact = { sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes: bytes.length };
    expect(
      (
        await fetch(`${ingestion.url}/v1/artifacts/${artifact.sha256}`, {
          method: 'PUT',
          body: bytes,
          headers: { ...bearer('trainer'), 'content-type': 'application/octet-stream' },
        })
      ).status,
    ).toBe(201);
  });

  afterAll(async () => {
    await ingestion?.stop();
    await db?.end();
    await environment?.dispose();
  });

  it('refuses U+0000 and unpaired surrogates in label keys and values with 422 naming the field; nothing is appended', async () => {
    const before = await endOffset(lineageTopic());
    const cases: Array<[Record<string, string>, string, RegExp]> = [
      [{ 'te\u0000am': 'fraud' }, 'labels', /^key "te\\u0000am" must not contain U\+0000/],
      [{ team: 'fr\u0000aud' }, 'labels.team', /U\+0000/],
      [{ 'team\uD800': 'fraud' }, 'labels', /unpaired UTF-16 surrogate/],
      [{ team: '\uDC00' }, 'labels.team', /unpaired UTF-16 surrogate/],
      [{ ['k'.repeat(1024 * 1024)]: 'x' }, 'labels', /at most 256 characters, got 1048576/],
    ];
    for (const [labels, field, message] of cases) {
      const response = await post(ingestion.url, JSON.stringify(body('nul-model', 'run-nul', { labels })));
      expect(response.status).toBe(422);
      expect(response.body['errors']).toEqual([{ field, message: expect.stringMatching(message) }]);
    }
    expect(await registrations('nul-model')).toEqual([]);
    await expectOnlyAppended(before, 'nul-model', 'run-valid');
  });

  it(
    'refuses a repeated key with 400 naming the key and its path, ' +
      'malformed JSON with 400 naming the position, an oversized body with 413 naming the limit',
    async () => {
      const valid = JSON.stringify(body('dup-model', 'run-dup', { labels: { team: 'a', owner: 'b' } }));
      const repeated = valid.replace('"owner":"b"', '"team":"b"');
      expect(repeated).not.toBe(valid);
      const duplicate = await post(ingestion.url, repeated);
      expect(duplicate).toMatchObject({
        status: 400,
        body: {
          field: 'labels.team',
          message: expect.stringMatching(/^duplicate key "team" at labels.team at position \d+ \(line 1, column \d+\)$/),
        },
      });
      expect(duplicate.contentType).toMatch(/^application\/problem\+json/);
      expect(duplicate.body).toMatchObject({
        type: 'https://modelreg.dev/problems/bad_request',
        title: 'Bad Request',
        status: 400,
        detail: duplicate.body['message'],
        instance: '/v1/runs',
      });
      expect(await post(ingestion.url, '{"modelName": ')).toMatchObject({
        status: 400,
        body: { field: 'body', message: expect.stringMatching(/position 14 \(line 1, column 15\)/) },
      });
      const oversized = await post(
        ingestion.url,
        JSON.stringify(body('dup-model', 'run-huge', { labels: { blob: 'x'.repeat(9 * 1024 * 1024) } })),
      );
      expect(oversized).toMatchObject({ status: 413, body: { error: 'payload_too_large', field: 'body', limitBytes: 8 * 1024 * 1024 } });
      expect(await registrations('dup-model')).toEqual([]);
    },
  );

  it('answers an unknown route and an internal refusal as problem details too', async () => {
    const response = await fetch(`${ingestion.url}/v1/no-such-route`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({
      type: 'https://modelreg.dev/problems/not_found',
      status: 404,
      error: 'not_found',
      detail: 'Cannot GET /v1/no-such-route',
    });
  });

  it(
    'refuses with 413 naming the limit a registration whose RunRegistered would exceed MAX_EVENT_BYTES; ' +
      'no version is taken, nothing appended',
    async () => {
      const before = await endOffset(lineageTopic());
      const text = JSON.stringify(body('big-model', 'run-big', { hyperparameters: bigHyperparameters }));
      expect(text.length).toBeGreaterThan(3_900_000);
      const response = await post(ingestion.url, text);
      expect(response.status).toBe(413);
      expect(response.body).toMatchObject({ error: 'event_too_large', limitBytes: MAX_EVENT_BYTES, eventBytes: expect.any(Number) });
      expect(response.body['eventBytes']).toBeGreaterThan(3_900_000);
      expect(response.body['message']).toMatch(
        /RunRegistered event would be \d+ bytes, more than the 2000000 bytes an event may have \(MAX_EVENT_BYTES\)/,
      );
      expect(await registrations('big-model')).toEqual([]);
      await expectOnlyAppended(before, 'big-model', 'run-small');
      expect(await registrations('big-model')).toEqual([{ model_version: 1, training_run_id: 'run-small' }]);
    },
  );

  it('dead-letters a RunSubmitted whose RunRegistered would exceed MAX_EVENT_BYTES, with the reason', async () => {
    const {
      envelope: _e,
      modelVersion: _v,
      registeredAt: _r,
      artifacts: _a,
      environment: facts,
      ...lineage
    } = exampleRunRegistered('big-kafka-model', 1);
    const submitted: RunSubmitted = {
      ...lineage,
      envelope: buildEnvelope('RunSubmitted', {
        eventId: randomUUID(),
        occurredAt: Date.now(),
        producer: 'training-cluster-7',
        correlationId: 'big',
        modelName: 'big-kafka-model',
      }),
      modelName: 'big-kafka-model',
      trainingRunId: 'train-big',
      artifacts: [{ target: 'server', format: 'ONNX', ...artifact }],
      environment: { ...facts, fingerprint: null },
      hyperparameters: Object.fromEntries(Object.entries(bigHyperparameters).map(([name, value]) => [name, { string: value }])),
    };
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: `${environment.id}.run-submissions.v1`,
      messages: [{ key: 'big-kafka-model', value: codec.encode({ type: 'RunSubmitted', data: submitted }) }],
    });
    await producer.disconnect();
    const [dead] = await readMessages(kafka, `${environment.id}.dead-letter.v1`, 1, 60_000);
    expect(String(dead!.headers?.['modelreg-dlq-reason'])).toMatch(
      /^event too large: the RunRegistered event would be \d+ bytes, more than the 2000000 bytes/,
    );
    expect(await registrations('big-kafka-model')).toEqual([]);
  });
});

describe('ingestion boot: MAX_EVENT_BYTES the broker would refuse', () => {
  let environment: TestEnvironment;

  beforeAll(async () => {
    environment = await createTestEnvironment('edge-boot');
  });

  afterAll(async () => {
    await environment?.dispose();
  });

  it('stops the service with a message naming MAX_EVENT_BYTES and the topic limit', async () => {
    const service = await startService(
      'ingestion',
      { ...environment.env, MAX_EVENT_BYTES: String(20 * 1024 * 1024) },
      { waitReady: false },
    );
    const code = await new Promise<number | null>((resolve) =>
      service.process.exitCode !== null ? resolve(service.process.exitCode) : service.process.once('exit', resolve),
    );
    expect(code).toBe(1);
    expect(service.output()).toMatch(
      new RegExp(
        /MAX_EVENT_BYTES is 20971520 bytes \(a batch of one such event is 20971581 bytes\), /.source +
          /more than the 10485760 bytes topic \S+\.lineage\.v1 accepts \(max\.message\.bytes\)/.source,
      ),
    );
  });
});
