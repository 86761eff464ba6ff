import { buildEnvelope, EventCodec, SchemaCatalog } from '@modelreg/events';
import { DEFAULT_POLICY } from '@modelreg/gates';
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
import { getJson, postJson, postReport } from './registry-client';

const codec = new EventCodec(SchemaCatalog.load());
const MAX_EVENT_BYTES = 8192;

/**
 * Policy publishing and deployment reports at the edge, with MAX_EVENT_BYTES set low: what could
 * not be appended is refused (413, or a dead letter over Kafka) and leaves nothing behind.
 */
describe('edge limits of the gate validator and the deployment tracker', () => {
  let environment: TestEnvironment;
  let gates: RunningService;
  let tracker: RunningService;
  const kafka = testKafka('edge-limits-e2e');

  async function endOffset(role: string): Promise<number> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      return (await admin.fetchTopicOffsets(`${environment.id}.${role}.v1`)).reduce((sum, partition) => sum + Number(partition.high), 0);
    } finally {
      await admin.disconnect();
    }
  }

  /** Waits until `role` holds exactly one more record than `before`: the valid request sent after the refused ones. */
  async function expectOneMoreRecord(role: string, before: number): Promise<void> {
    await eventually(
      () => endOffset(role),
      (offset) => offset >= before + 1,
      { what: `one record appended to ${role}` },
    );
    expect(await endOffset(role)).toBe(before + 1);
  }

  beforeAll(async () => {
    environment = await createTestEnvironment('edge-e2e');
    const env = { ...environment.env, MAX_EVENT_BYTES: String(MAX_EVENT_BYTES) };
    [gates, tracker] = await Promise.all([startService('gate-validator', env), startService('deployment-tracker', env)]);
  });

  afterAll(async () => {
    await Promise.all([gates?.stop(), tracker?.stop()]);
    await environment?.dispose();
  });

  const policy = (policyId: string, change: Record<string, unknown> = {}) => ({
    ...structuredClone(DEFAULT_POLICY),
    policyId,
    version: 1,
    models: [`${policyId}-*`],
    ...change,
  });
  /** 200 distinct metric-threshold checks: a valid policy whose GatePolicyPublished is far above 8 KiB. */
  const manyChecks = Array.from({ length: 200 }, (_, index) => ({
    id: `auc-floor-${index}`,
    kind: 'metric-threshold',
    metric: `auc_variant_${index}`,
    bound: { min: 0.5 },
  }));

  it('refuses a policy whose event would exceed MAX_EVENT_BYTES with 413 naming the limit; nothing is published or appended', async () => {
    const before = await endOffset('gates');
    const refused = await postJson(`${gates.url}/v1/policies`, policy('big', { checks: manyChecks }));
    expect(refused).toMatchObject({
      status: 413,
      body: {
        error: 'event_too_large',
        limitBytes: MAX_EVENT_BYTES,
        message: expect.stringMatching(/GatePolicyPublished event would be \d+ bytes, more than the 8192 bytes/),
      },
    });
    expect((await getJson(`${gates.url}/v1/policies/big/versions/1`)).status).toBe(404);
    expect((await postJson(`${gates.url}/v1/policies`, policy('small'))).status).toBe(201);
    await expectOneMoreRecord('gates', before);
    // Version 1 of "big" was never taken: it can still be published, once small enough.
    expect((await postJson(`${gates.url}/v1/policies`, policy('big'))).status).toBe(201);
  });

  it('refuses unsafe tolerance keys with 422 and repeated keys with 400, naming the field', async () => {
    const tolerance = await postJson(
      `${gates.url}/v1/policies`,
      policy('unsafe', { guardrails: { canary: [], offlineOnlineTolerance: { 'ctr\u0000': 0.1 } } }),
    );
    expect(tolerance).toMatchObject({
      status: 422,
      body: { errors: [{ field: 'guardrails.offlineOnlineTolerance', message: expect.stringMatching(/U\+0000/) }] },
    });
    const text = JSON.stringify(policy('repeated')).replace('"version":1', '"version":1,"version":2');
    const response = await fetch(`${gates.url}/v1/policies`, {
      method: 'POST',
      body: text,
      headers: { ...bearer('policy-admin'), 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      field: 'version',
      message: expect.stringMatching(/^duplicate key "version" at version at position \d+/),
    });
  });

  const where = { modelName: 'edge-model', service: 'scoring', surface: 'checkout', environment: 'production' };
  /**
   * Online metrics for a version the tracker does not know: refused, and the refusal
   * (DeploymentReportRejected, carrying the report) is what would be appended.
   */
  const onlineReport = (reportId: string, metricCount: number) => ({
    kind: 'ONLINE_METRICS',
    reportId,
    reportedAt: new Date(Date.now() - 60_000).toISOString(),
    ...where,
    modelVersion: 7,
    windowStart: new Date(Date.now() - 3_600_000).toISOString(),
    windowEnd: new Date(Date.now() - 60_000).toISOString(),
    metrics: Object.fromEntries(
      Array.from({ length: metricCount }, (_, index) => [`online_metric_with_a_long_name_${index}`, index / 1000]),
    ),
  });

  it('refuses over HTTP a report whose event would exceed MAX_EVENT_BYTES with 413; the report id stays unused', async () => {
    const before = await endOffset('deployments');
    const refused = await postReport(tracker.url, onlineReport('http-big', 300));
    expect(refused).toMatchObject({ status: 413, body: { error: 'event_too_large', limitBytes: MAX_EVENT_BYTES } });
    const retried = await postReport(tracker.url, onlineReport('http-big', 1));
    expect(retried).toMatchObject({ status: 404, body: { outcome: 'rejected', duplicate: false, rule: 'unknown-version' } });
    await expectOneMoreRecord('deployments', before);
  });

  it(
    'dead-letters a Kafka report whose event would exceed MAX_EVENT_BYTES, ' + 'or whose body repeats a key, leaving nothing behind',
    async () => {
      const submitted = (reportId: string, body: string) =>
        codec.encode({
          type: 'DeploymentReportSubmitted',
          data: {
            envelope: buildEnvelope('DeploymentReportSubmitted', {
              eventId: crypto.randomUUID(),
              occurredAt: Date.now(),
              producer: 'controller-1',
              correlationId: reportId,
              modelName: 'edge-model',
            }),
            reportId,
            kind: 'ONLINE_METRICS',
            reportedAt: Date.now() - 60_000,
            body,
          },
        });
      const before = await endOffset('deployments');
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({
        topic: `${environment.id}.deployment-reports.v1`,
        messages: [
          { key: 'edge-model', value: submitted('kafka-big', JSON.stringify(onlineReport('kafka-big', 300))) },
          {
            key: 'edge-model',
            value: submitted(
              'kafka-repeated',
              JSON.stringify(onlineReport('kafka-repeated', 1)).replace('"modelVersion":7', '"modelVersion":7,"modelVersion":8'),
            ),
          },
          { key: 'edge-model', value: submitted('kafka-big', JSON.stringify(onlineReport('kafka-big', 1))) },
        ],
      });
      await producer.disconnect();
      const dead = await eventually(
        () => readAllMessages(kafka, `${environment.id}.dead-letter.v1`),
        (messages) => messages.length >= 2,
        { what: 'two dead letters' },
      );
      expect(dead.map((message) => String(message.headers?.['modelreg-dlq-reason']))).toEqual([
        expect.stringMatching(/^event too large: the DeploymentReportRejected event would be \d+ bytes, more than the 8192 bytes/),
        expect.stringMatching(/^invalid report: body is not valid JSON \(duplicate key "modelVersion" at modelVersion at position \d+/),
      ]);
      // The refused report left its id unused: the small report with the same id was applied (its refusal appended).
      await expectOneMoreRecord('deployments', before);
      const [rejection] = (await readAllMessages(kafka, `${environment.id}.deployments.v1`))
        .map((message) => codec.decode(message.value!))
        .filter((event) => event.type === 'DeploymentReportRejected' && event.data.reportId === 'kafka-big');
      expect(rejection).toBeDefined();
    },
  );
});
