import { EventCodec, exampleRunRegistered, SchemaCatalog, type GateEvaluated, type RunRegistered } from '@modelreg/events';
import {
  bearer,
  createTestEnvironment,
  eventually,
  readAllMessages,
  startService,
  testKafka,
  type RunningService,
  type TestEnvironment,
} from '@modelreg/testing';

const codec = new EventCodec(SchemaCatalog.load());
const MODELS = ['batch-a', 'batch-b', 'batch-c'];
/** Better, worse, better…: each decision's baseline is a version decided earlier in the same batch. */
const AUCS = [0.8, 0.85, 0.83, 0.9, 0.86, 0.92, 0.91, 0.95];

function registration(modelName: string, version: number, auc: number, overrides: Partial<RunRegistered> = {}): RunRegistered {
  const run = exampleRunRegistered(modelName, version, overrides);
  // Calibrated and at parity, so AUC alone decides under the seed policy.
  const slices = Array.from({ length: 5 }, (_, index) => ({
    slice: `segment=${index}`,
    trafficShare: 0.2,
    metrics: { calibration_slope: 1 },
  }));
  const fairness = ['a', 'b'].map((group) => ({ attribute: 'age_band', group, metrics: { precision: 0.8 } }));
  return { ...run, metrics: { ...run.metrics, overall: { ...run.metrics.overall, auc }, slices, fairness } };
}

/**
 * The gate validator applies a Kafka batch set-based (states loaded once, writes and the relay call
 * once per batch): many registrations of the same models appended in one send must be decided as
 * if one by one (the rebuild, which folds them one at a time, reproduces every decision byte for
 * byte), a reproduction of a version registered earlier in the batch is compared, and a
 * redelivery of the whole batch decides nothing again.
 */
describe('gate validator, a batch of registrations', () => {
  let environment: TestEnvironment;
  let gates: RunningService;
  const producer = testKafka('gate-batch-producer').producer();
  const kafka = testKafka('gate-batch');
  const gatesLog = async () => (await readAllMessages(kafka, `${environment.id}.gates.v1`)).map((message) => codec.decode(message.value));
  const decisions = async () =>
    (await gatesLog()).filter((event) => event.type === 'GateEvaluated').map((event) => event.data as GateEvaluated);

  beforeAll(async () => {
    environment = await createTestEnvironment('gate-batch');
    gates = await startService('gate-validator', environment.env);
  }, 120_000);

  afterAll(async () => {
    await producer.disconnect();
    await gates?.stop();
    await environment?.dispose();
  });

  it('decides each registration as if alone, in log order, once', async () => {
    const events = MODELS.flatMap((modelName) => AUCS.map((auc, index) => registration(modelName, index + 1, auc)));
    events.push(registration('batch-a', AUCS.length + 1, 0.8, { reproductionOf: 1 }));
    await producer.connect();
    const messages = events.map((data) => ({
      key: data.modelName,
      value: environment.sealer.seal('lineage', codec.encode({ type: 'RunRegistered', data })),
    }));
    await producer.send({ topic: `${environment.id}.lineage.v1`, messages });

    const decided = await eventually(decisions, (found) => found.length === events.length, {
      what: `${events.length} decisions`,
      timeoutMs: 60_000,
    });
    for (const modelName of MODELS) {
      const versions = decided.filter((decision) => decision.modelName === modelName).map((decision) => decision.candidateVersion);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
    }
    expect(new Set(decided.map((decision) => decision.verdict))).toEqual(new Set(['PASSED', 'FAILED']));
    expect(decided.filter((decision) => decision.baselineVersion !== null).length).toBeGreaterThan(MODELS.length);
    expect((await gatesLog()).filter((event) => event.type === 'ReproductionRecorded')).toHaveLength(1);

    const rebuild = await fetch(`${gates.url}/v1/rebuild`, {
      method: 'POST',
      headers: { ...bearer('auditor'), 'content-type': 'application/json' },
      body: '{}',
    });
    expect(rebuild.status).toBe(200);
    expect(await rebuild.json()).toMatchObject({ logged: events.length, rebuilt: events.length, identical: events.length, differing: [] });

    // The same records again, then one new registration: only the new one is decided.
    await producer.send({
      topic: `${environment.id}.lineage.v1`,
      messages: [
        ...messages,
        {
          key: 'batch-b',
          value: environment.sealer.seal(
            'lineage',
            codec.encode({ type: 'RunRegistered', data: registration('batch-b', AUCS.length + 1, 0.97) }),
          ),
        },
      ],
    });
    const after = await eventually(
      decisions,
      (found) => found.some((decision) => decision.modelName === 'batch-b' && decision.candidateVersion === AUCS.length + 1),
      { what: 'the new registration decided', timeoutMs: 60_000 },
    );
    expect(after).toHaveLength(events.length + 1);
  }, 180_000);
});
