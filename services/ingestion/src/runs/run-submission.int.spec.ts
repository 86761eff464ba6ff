import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { buildEnvelope, EventCodec, exampleRunRegistered, SchemaCatalog, type RunSubmitted } from '@modelreg/events';
import {
  bearer,
  createTestEnvironment,
  readMessages,
  startService,
  testKafka,
  type RunningService,
  type TestEnvironment,
} from '@modelreg/testing';

const codec = new EventCodec(SchemaCatalog.load());

function runSubmitted(trainingRunId: string, artifact: { sha256: string; sizeBytes: number }, auc: number): RunSubmitted {
  const {
    envelope: _e,
    modelVersion: _v,
    registeredAt: _r,
    artifacts: _a,
    environment,
    ...lineage
  } = exampleRunRegistered('fraud-model', 1);
  return {
    ...lineage,
    envelope: buildEnvelope('RunSubmitted', {
      eventId: randomUUID(),
      occurredAt: Date.now(),
      producer: 'training-cluster-7',
      correlationId: trainingRunId,
      modelName: 'fraud-model',
    }),
    trainingRunId,
    artifacts: [{ target: 'server', format: 'ONNX', ...artifact }],
    environment: { ...environment, fingerprint: null },
    metrics: { ...lineage.metrics, overall: { auc } },
  };
}

/** Training clusters may submit runs over Kafka instead of HTTP; validation is the same. */
describe('ingestion: run submissions over Kafka', () => {
  let environment: TestEnvironment;
  let ingestion: RunningService;

  beforeAll(async () => {
    environment = await createTestEnvironment('submissions');
    ingestion = await startService('ingestion', environment.env);
  });

  afterAll(async () => {
    await ingestion?.stop();
    await environment?.dispose();
  });

  it('registers a valid submission and dead-letters invalid and undecodable ones with the reason', async () => {
    const bytes = randomBytes(4096);
    const artifact = { sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes: bytes.length };
    expect(
      (
        await fetch(`${ingestion.url}/v1/artifacts/${artifact.sha256}`, {
          method: 'PUT',
          body: bytes,
          headers: { ...bearer('trainer'), 'content-type': 'application/octet-stream' },
        })
      ).status,
    ).toBe(201);

    const kafka = testKafka('training-cluster');
    const producer = kafka.producer();
    await producer.connect();
    const valid = runSubmitted('train-42', artifact, 0.91);
    await producer.send({
      topic: `${environment.id}.run-submissions.v1`,
      messages: [
        { key: 'fraud-model', value: codec.encode({ type: 'RunSubmitted', data: valid }) },
        { key: 'fraud-model', value: codec.encode({ type: 'RunSubmitted', data: runSubmitted('train-43', artifact, 1.3) }) },
        {
          key: 'fraud-model',
          value: codec.encode({ type: 'RunSubmitted', data: runSubmitted('train-44', { sha256: 'e'.repeat(64), sizeBytes: 10 }, 0.9) }),
        },
        { key: 'fraud-model', value: Buffer.from('not avro') },
        { key: 'fraud-model', value: codec.encode({ type: 'RunSubmitted', data: valid }) },
      ],
    });
    await producer.disconnect();

    const [registered] = await readMessages(kafka, `${environment.id}.lineage.v1`, 1);
    const event = codec.decode(registered!.value);
    expect(event).toMatchObject({
      type: 'RunRegistered',
      data: {
        modelName: 'fraud-model',
        modelVersion: 1,
        trainingRunId: 'train-42',
        envelope: { causationId: valid.envelope.eventId, correlationId: 'train-42' },
      },
    });

    const dead = await readMessages(kafka, `${environment.id}.dead-letter.v1`, 3);
    const reasons = dead.map((message) => String(message.headers?.['modelreg-dlq-reason']));
    expect(reasons).toHaveLength(3);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^invalid run submission: metrics\.overall\.auc must be within \[0, 1\], got 1\.3/),
        expect.stringMatching(/^invalid run submission: artifacts\[0\]\.sha256 no artifact with sha256 e{64} was uploaded/),
        expect.stringMatching(/^undecodable: not Avro single-object encoded/),
      ]),
    );
    // The duplicate submission of train-42 registered nothing new.
    expect(await readMessages(kafka, `${environment.id}.lineage.v1`, 1)).toHaveLength(1);
  });
});
