import { EventCodec, SchemaCatalog } from '@modelreg/events';
import {
  createTestEnvironment,
  eventually,
  readAllMessages,
  startService,
  testKafka,
  type RunningService,
  type TestEnvironment,
} from '@modelreg/testing';
import { postJson, postReport, registerRun, runBody, uploadArtifact } from './registry-client';

const codec = new EventCodec(SchemaCatalog.load());
const JAN = (day: number, hour = 9) => new Date(Date.UTC(2024, 0, day, hour)).toISOString();

/**
 * The policy language on the real stack: a published policy with absolute and relative
 * offline/online tolerances, metrics spelled three ways (run, policy, report) meeting as one name.
 */
describe('offline/online tolerance, absolute or relative, under one metric-naming rule', () => {
  let environment: TestEnvironment;
  let ingestion: RunningService;
  let gates: RunningService;
  let tracker: RunningService;

  beforeAll(async () => {
    environment = await createTestEnvironment('online-tolerance');
    [ingestion, gates, tracker] = await Promise.all([
      startService('ingestion', environment.env),
      startService('gate-validator', environment.env),
      startService('deployment-tracker', environment.env),
    ]);
  });

  afterAll(async () => {
    await Promise.all([ingestion?.stop(), gates?.stop(), tracker?.stop()]);
    await environment?.dispose();
  });

  it('a 9% drop fires a relative 8% at 0.45 and an absolute 0.05 at 0.62, not an absolute 0.05 at 0.45', async () => {
    const policy = {
      policyId: 'ranking',
      version: 1,
      models: ['ranking-*'],
      checks: [{ id: 'auc-floor', kind: 'metric-threshold', metric: 'auc', bound: { min: 0.5 } }],
      guardrails: { offlineOnlineTolerance: { 'NDCG@20': { relative: 0.08 }, 'precision@10': 0.05, recall_at_10: { absolute: 0.05 } } },
    };
    expect((await postJson(`${gates.url}/v1/policies`, policy)).status).toBe(201);
    const artifacts = { server: await uploadArtifact(ingestion.url, 4096), mobile: await uploadArtifact(ingestion.url, 2048) };
    const offline = { 'ndcg@20': 0.45, precision_at_10: 0.62, 'RECALL@10': 0.45 };
    expect((await registerRun(ingestion.url, runBody('ranking-home', 'r1', artifacts, { auc: 0.9, extraMetrics: offline }))).status).toBe(
      201,
    );

    const online = { ndcg_at_20: 0.45 * 0.91, 'precision@10': 0.62 * 0.91, 'recall@10': 0.45 * 0.91 };
    const placement = { modelName: 'ranking-home', modelVersion: 1, service: 'feed', surface: 'home', environment: 'production' };
    let attempt = 0;
    // Until the tracker has the version and the policy (the default's absolute 0.05 would not fire at 0.45); each try is a new report.
    const divergenceIds = (body: Record<string, any>) =>
      (body['events'] as Array<{ type: string; eventId: string }>)
        .filter((event) => event.type === 'OfflineOnlineDivergenceDetected')
        .map((event) => event.eventId);
    const reported = await eventually(
      () =>
        postReport(tracker.url, {
          kind: 'ONLINE_METRICS',
          reportId: `online-${(attempt += 1)}`,
          reportedAt: JAN(21),
          ...placement,
          windowStart: JAN(20),
          windowEnd: JAN(21),
          metrics: online,
        }),
      (r) => r.status === 201 && divergenceIds(r.body).length === 2,
      { what: 'two divergences under the ranking policy', timeoutMs: 60_000 },
    );
    const ids = divergenceIds(reported.body);
    const appended = await eventually(
      async () =>
        (await readAllMessages(testKafka('tolerance-reader'), `${environment.id}.deployments.v1`))
          .map((message) => codec.decode(message.value))
          .filter((event) => ids.includes(event.data.envelope.eventId)),
      (events) => events.length === ids.length,
      { what: 'the divergences on the deployments topic' },
    );
    expect(appended.map((event) => event.data)).toEqual([
      expect.objectContaining({
        metric: 'ndcg_at_20',
        offlineValue: 0.45,
        onlineValue: 0.45 * 0.91,
        tolerance: expect.closeTo(0.036, 9),
        policyId: 'ranking',
        policyVersion: 1,
      }),
      expect.objectContaining({
        metric: 'precision_at_10',
        offlineValue: 0.62,
        onlineValue: 0.62 * 0.91,
        tolerance: 0.05,
        policyId: 'ranking',
      }),
    ]);
  });
});
