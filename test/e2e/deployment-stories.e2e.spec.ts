import { buildEnvelope, EventCodec, SchemaCatalog, type RegistryEvent } from '@modelreg/events';
import {
  createTestEnvironment,
  eventually,
  readAllMessages,
  startService,
  testKafka,
  type RunningService,
  type TestEnvironment,
} from '@modelreg/testing';
import { getJson, postJson, postReport, registerRun, runBody, uploadArtifact } from './registry-client';

const codec = new EventCodec(SchemaCatalog.load());
const JAN = (day: number, hour = 9) => new Date(Date.UTC(2024, 0, day, hour)).toISOString();

/**
 * The two stories of the deployment tracking issue, end to end: ingestion registers, the gate
 * validator decides, the tracker applies controller reports and watches online metrics.
 */
describe('deployment tracking stories', () => {
  let environment: TestEnvironment;
  let ingestion: RunningService;
  let tracker: RunningService;
  let gates: RunningService;
  let artifacts: { server: { sha256: string; sizeBytes: number }; mobile: { sha256: string; sizeBytes: number } };

  beforeAll(async () => {
    environment = await createTestEnvironment('deployments');
    [ingestion, gates, tracker] = await Promise.all([
      startService('ingestion', environment.env),
      startService('gate-validator', environment.env),
      startService('deployment-tracker', environment.env),
    ]);
    artifacts = { server: await uploadArtifact(ingestion.url, 8192), mobile: await uploadArtifact(ingestion.url, 2048) };
  });

  afterAll(async () => {
    await Promise.all([ingestion?.stop(), gates?.stop(), tracker?.stop()]);
    await environment?.dispose();
  });

  const report = (body: Record<string, unknown>) => postReport(tracker.url, body);
  const placements = async (modelName: string) =>
    (await getJson(`${tracker.url}/v1/deployments/placements?modelName=${modelName}`)).body.items as any[];
  /** Registers versions 1..n of a model, each passing its gate (AUC +0.01 per version), and waits until the tracker knows the verdicts. */
  const registerPassingVersions = async (modelName: string, aucs: number[], extraMetrics: Record<string, number> = {}) => {
    for (const [index, auc] of aucs.entries()) {
      expect(
        (await registerRun(ingestion.url, runBody(modelName, `${modelName}-run-${index + 1}`, artifacts, { auc, extraMetrics }))).status,
      ).toBe(201);
    }
    for (let version = 1; version <= aucs.length; version += 1) {
      await eventually(
        () => getJson(`${gates.url}/v1/models/${modelName}/versions/${version}/decisions`),
        (r) => r.body.items?.[0]?.verdict === 'PASSED',
        { what: `${modelName} v${version} passed` },
      );
    }
  };
  /** Every event the tracker has appended so far (the outbox relays within a moment), decoded. */
  const trackerEvents = async (what: string, expected: (event: RegistryEvent) => boolean): Promise<RegistryEvent[]> => {
    const read = async () =>
      (await readAllMessages(testKafka('story-reader'), `${environment.id}.deployments.v1`)).map((message) => codec.decode(message.value));
    return eventually(read, (events) => events.some(expected), { what: `${what} on the deployments topic` });
  };
  const isRejectionOf = (reportId: string) => (event: RegistryEvent) =>
    event.type === 'DeploymentReportRejected' && event.data.reportId === reportId;
  /** Waits until the tracker has seen the verdict (a canary needs it), retrying a gate-not-passed refusal. */
  const startCanary = async (body: Record<string, unknown>) =>
    eventually(
      () => report({ ...body, reportId: `${String(body['reportId'])}-${Date.now()}` }),
      (r) => r.status !== 409 || r.body['rule'] !== 'gate-not-passed',
      { what: 'tracker knows the gate verdict' },
    );

  it('fraud model: v126 serving, v127 5% canary, p99 spike, RollbackRecommended, RolledBack to v126', async () => {
    // v1..v127 would take long; the story's numbers are kept as the deployment ids, with versions 1 (=v126) and 2 (=v127).
    await registerPassingVersions('fraud-model', [0.912, 0.9191]);
    const fraud = { modelName: 'fraud-model', service: 'scoring', surface: 'checkout', environment: 'production' };

    expect(
      (
        await startCanary({
          kind: 'CANARY_STARTED',
          reportId: 'v126-canary',
          reportedAt: JAN(19),
          deploymentId: 'fraud-v126',
          ...fraud,
          modelVersion: 1,
          trafficPercent: 10,
        })
      ).status,
    ).toBe(201);
    expect(
      (await report({ kind: 'ROLLOUT_COMPLETED', reportId: 'v126-rollout', reportedAt: JAN(20), deploymentId: 'fraud-v126' })).status,
    ).toBe(201);
    expect(await placements('fraud-model')).toEqual([
      expect.objectContaining({
        service: 'scoring',
        surface: 'checkout',
        servingVersion: 1,
        servingDeploymentId: 'fraud-v126',
        servingSince: JAN(20),
        canaries: [],
      }),
    ]);

    expect(
      (
        await startCanary({
          kind: 'CANARY_STARTED',
          reportId: 'v127-canary',
          reportedAt: JAN(26),
          deploymentId: 'fraud-v127',
          ...fraud,
          modelVersion: 2,
          trafficPercent: 5,
        })
      ).status,
    ).toBe(201);
    expect(await placements('fraud-model')).toEqual([
      expect.objectContaining({
        servingVersion: 1,
        canaries: [expect.objectContaining({ deploymentId: 'fraud-v127', modelVersion: 2, trafficPercent: 5, baselineVersion: 1 })],
      }),
    ]);

    expect(
      (
        await report({
          kind: 'ONLINE_METRICS',
          reportId: 'v126-online',
          reportedAt: JAN(27, 8),
          ...fraud,
          modelVersion: 1,
          windowStart: JAN(26, 9),
          windowEnd: JAN(27, 8),
          metrics: { p99_latency_ms: 61 },
        })
      ).status,
    ).toBe(201);
    const spike = await report({
      kind: 'ONLINE_METRICS',
      reportId: 'v127-online',
      reportedAt: JAN(27, 8),
      ...fraud,
      modelVersion: 2,
      windowStart: JAN(26, 9),
      windowEnd: JAN(27, 8),
      metrics: { p99_latency_ms: 180 },
    });
    expect(spike.body['events'].map((event: { type: string }) => event.type)).toEqual(['OnlineMetricsReported', 'RollbackRecommended']);

    const rollback = await report({
      kind: 'ROLLED_BACK',
      reportId: 'v127-rollback',
      reportedAt: JAN(27, 9),
      deploymentId: 'fraud-v127',
      toVersion: 1,
      reason: 'p99 latency spike',
      triggerMetric: 'p99_latency_ms',
      triggerValue: 180,
    });
    expect(rollback).toMatchObject({ status: 201, body: { outcome: 'applied', events: [{ type: 'RolledBack' }] } });
    // Rolling back the canary leaves v126 serving, as it has since Jan 20.
    expect(await placements('fraud-model')).toEqual([
      expect.objectContaining({ servingVersion: 1, servingDeploymentId: 'fraud-v126', servingSince: JAN(20), canaries: [] }),
    ]);
    expect((await getJson(`${tracker.url}/v1/deployments/fraud-v127`)).body).toMatchObject({ status: 'ROLLED_BACK', trafficPercent: 0 });

    // A contradictory report is refused and recorded; a redelivered one changes nothing.
    expect(
      await report({ kind: 'ROLLOUT_COMPLETED', reportId: 'late-rollout', reportedAt: JAN(27, 10), deploymentId: 'fraud-v127' }),
    ).toMatchObject({ status: 409, body: { rule: 'not-a-running-canary' } });
    expect(
      await report({
        kind: 'ROLLED_BACK',
        reportId: 'v127-rollback',
        reportedAt: JAN(27, 9),
        deploymentId: 'fraud-v127',
        toVersion: 1,
        reason: 'p99 latency spike',
      }),
    ).toMatchObject({ status: 200, body: { duplicate: true } });

    const events = (await trackerEvents('the late rollout refused', isRejectionOf('late-rollout'))).filter(
      (event) => event.data.envelope.subject.modelName === 'fraud-model',
    );
    const recommended = events.find((event) => event.type === 'RollbackRecommended');
    expect(recommended?.data).toMatchObject({
      deploymentId: 'fraud-v127',
      modelVersion: 2,
      baselineVersion: 1,
      metric: 'p99_latency_ms',
      canaryValue: 180,
      baselineValue: 61,
      guardrail: 'p99_latency_ms < 100',
    });
    expect(events.find((event) => event.type === 'RolledBack')?.data).toMatchObject({
      fromVersion: 2,
      toVersion: 1,
      reason: 'p99 latency spike',
      triggerMetric: 'p99_latency_ms',
      triggerValue: 180,
      rolledBackAt: Date.parse(JAN(27, 9)),
    });
    expect(events.find(isRejectionOf('late-rollout'))?.data).toMatchObject({
      reportId: 'late-rollout',
      rule: 'not-a-running-canary',
      deploymentId: 'fraud-v127',
    });
    expect(events.filter((event) => event.type === 'RolledBack')).toHaveLength(1);
  });

  it('recommender: three surfaces served by different versions, an A/B result, an offline/online divergence', async () => {
    await registerPassingVersions('recommender', [0.9, 0.91, 0.92], { precision_at_10: 0.85, ndcg_at_20: 0.71 });
    const surfaces = ['homepage', 'search', 'post-play'];
    for (const [index, surface] of surfaces.entries()) {
      const where = { modelName: 'recommender', service: 'streaming-ui', surface, environment: 'production' };
      expect(
        (
          await startCanary({
            kind: 'CANARY_STARTED',
            reportId: `rec-${surface}-canary`,
            reportedAt: JAN(10),
            deploymentId: `rec-${surface}`,
            ...where,
            modelVersion: index + 1,
            trafficPercent: 20,
          })
        ).status,
      ).toBe(201);
      expect(
        (
          await report({
            kind: 'ROLLOUT_COMPLETED',
            reportId: `rec-${surface}-rollout`,
            reportedAt: JAN(11),
            deploymentId: `rec-${surface}`,
          })
        ).status,
      ).toBe(201);
    }
    expect((await placements('recommender')).map((p) => [p.surface, p.servingVersion])).toEqual([
      ['homepage', 1],
      ['post-play', 3],
      ['search', 2],
    ]);

    const ab = await report({
      kind: 'AB_TEST_CONCLUDED',
      reportId: 'rec-ab-1',
      reportedAt: JAN(20),
      testId: 'homepage-v1-vs-v2',
      modelName: 'recommender',
      service: 'streaming-ui',
      surface: 'homepage',
      environment: 'production',
      controlVersion: 1,
      treatmentVersion: 2,
      decision: 'SHIP_TREATMENT',
      results: [
        {
          metric: 'ctr',
          controlValue: 0.041,
          treatmentValue: 0.0433,
          relativeLift: 0.056,
          confidenceLow: 0.021,
          confidenceHigh: 0.091,
          controlSamples: 1_200_000,
          treatmentSamples: 1_190_000,
        },
        {
          metric: 'watch_time_minutes',
          controlValue: 41.2,
          treatmentValue: 42.0,
          relativeLift: 0.019,
          confidenceLow: -0.004,
          confidenceHigh: 0.042,
          controlSamples: 1_200_000,
          treatmentSamples: 1_190_000,
        },
      ],
    });
    expect(ab).toMatchObject({ status: 201, body: { events: [{ type: 'AbTestConcluded' }] } });

    const divergence = await report({
      kind: 'ONLINE_METRICS',
      reportId: 'rec-online-1',
      reportedAt: JAN(21),
      modelName: 'recommender',
      modelVersion: 3,
      service: 'streaming-ui',
      surface: 'post-play',
      environment: 'production',
      windowStart: JAN(20),
      windowEnd: JAN(21),
      metrics: { precision_at_10: 0.78, ctr: 0.038 },
    });
    expect(divergence.body['events'].map((event: { type: string }) => event.type)).toEqual([
      'OnlineMetricsReported',
      'OfflineOnlineDivergenceDetected',
    ]);

    const events = (await trackerEvents('the divergence', (event) => event.type === 'OfflineOnlineDivergenceDetected')).filter(
      (event) => event.data.envelope.subject.modelName === 'recommender',
    );
    expect(events.find((event) => event.type === 'AbTestConcluded')?.data).toMatchObject({
      testId: 'homepage-v1-vs-v2',
      controlVersion: 1,
      treatmentVersion: 2,
      decision: 'SHIP_TREATMENT',
      results: [{ metric: 'ctr', relativeLift: 0.056 }, { metric: 'watch_time_minutes' }],
    });
    expect(events.find((event) => event.type === 'OfflineOnlineDivergenceDetected')?.data).toMatchObject({
      modelVersion: 3,
      surface: 'post-play',
      metric: 'precision_at_10',
      offlineValue: 0.85,
      onlineValue: 0.78,
      tolerance: 0.05,
      policyId: 'default',
    });
    expect((await placements('recommender')).map((p) => [p.surface, p.servingVersion])).toEqual([
      ['homepage', 1],
      ['post-play', 3],
      ['search', 2],
    ]);

    // Promotion to a new surface for controllers: ModelPromoted, and the surface is tracked from now on.
    const promote = (body: Record<string, unknown>) => postJson(`${tracker.url}/v1/promotions`, body);
    const promoted = await promote({
      modelName: 'recommender',
      modelVersion: 3,
      service: 'streaming-ui',
      surface: 'trailers',
      environment: 'production',
    });
    expect(promoted.status).toBe(201);
    const { eventId } = promoted.body as { eventId: string };
    const promotions = await trackerEvents(
      'the promotion',
      (event) => event.type === 'ModelPromoted' && event.data.envelope.eventId === eventId,
    );
    expect(promotions.find((event) => event.data.envelope.eventId === eventId)?.data).toMatchObject({
      modelName: 'recommender',
      modelVersion: 3,
      surface: 'trailers',
      policyId: 'default',
    });
    expect((await placements('recommender')).map((p) => p.surface)).toContain('trailers');
    expect(
      (
        await promote({
          modelName: 'recommender',
          modelVersion: 9,
          service: 'streaming-ui',
          surface: 'trailers',
          environment: 'production',
        })
      ).status,
    ).toBe(404);

    // A version that passes its gate later is promoted to every surface the model serves.
    expect(
      (
        await registerRun(
          ingestion.url,
          runBody('recommender', 'recommender-run-4', artifacts, { auc: 0.93, extraMetrics: { precision_at_10: 0.85, ndcg_at_20: 0.71 } }),
        )
      ).status,
    ).toBe(201);
    const isV4Promotion = (event: RegistryEvent) =>
      event.type === 'ModelPromoted' && event.data.modelName === 'recommender' && event.data.modelVersion === 4;
    const v4 = await eventually(
      async () => (await trackerEvents('v4 promoted', isV4Promotion)).filter(isV4Promotion),
      (events) => events.length === 4,
      { what: 'v4 promoted to four surfaces' },
    );
    expect(v4.map((event) => (event.type === 'ModelPromoted' ? event.data.surface : '')).sort()).toEqual([
      'homepage',
      'post-play',
      'search',
      'trailers',
    ]);
    expect(
      (
        await promote({
          modelName: 'recommender',
          modelVersion: 3,
          service: 'streaming-ui',
          surface: 'trail/ers',
          environment: 'production',
        })
      ).status,
    ).toBe(422);
  });

  it('refuses a canary for a version whose gate failed, records the refusal, and rejects bad input with the field', async () => {
    expect((await registerRun(ingestion.url, runBody('risky-model', 'risky-1', artifacts, { auc: 0.9, youngPrecision: 0.7 }))).status).toBe(
      201,
    );
    await eventually(
      () => getJson(`${gates.url}/v1/models/risky-model/versions/1/decisions`),
      (r) => r.body.items?.[0]?.verdict === 'FAILED',
      { what: 'risky-model v1 failed its gate' },
    );
    const where = { modelName: 'risky-model', service: 'scoring', surface: 'checkout', environment: 'production' };
    const refused = await eventually(
      () =>
        report({
          kind: 'CANARY_STARTED',
          reportId: `risky-canary-${Date.now()}`,
          reportedAt: JAN(5),
          deploymentId: 'risky-1',
          ...where,
          modelVersion: 1,
          trafficPercent: 5,
        }),
      (r) => r.body['rule'] === 'gate-not-passed',
      { what: 'refusal' },
    );
    expect(refused).toMatchObject({ status: 409, body: { outcome: 'rejected', events: [{ type: 'DeploymentReportRejected' }] } });
    expect(await placements('risky-model')).toEqual([expect.objectContaining({ servingVersion: null, canaries: [] })]);
    const promotion = await postJson(`${tracker.url}/v1/promotions`, { ...where, modelVersion: 1 });
    expect(promotion.status).toBe(409);

    for (const [change, field] of [
      [{ trafficPercent: 150 }, 'trafficPercent'],
      [{ trafficPercent: -1 }, 'trafficPercent'],
      [{ surface: 'check/out' }, 'surface'],
      [{ reportedAt: new Date(Date.now() + 3_600_000).toISOString() }, 'reportedAt'],
    ] as const) {
      const body: Record<string, unknown> = {
        kind: 'CANARY_STARTED',
        reportId: 'bad',
        reportedAt: JAN(5),
        deploymentId: 'bad-1',
        ...where,
        modelVersion: 1,
        trafficPercent: 5,
      };
      const response = await report(Object.assign(body, change));
      expect(response.status).toBe(422);
      expect(response.body['errors']).toContainEqual(expect.objectContaining({ field }));
    }
    expect(
      (await report({ kind: 'ROLLOUT_COMPLETED', reportId: 'ghost', reportedAt: JAN(5), deploymentId: 'does-not-exist' })).status,
    ).toBe(404);
  });

  it('takes the same reports over Kafka, validated the same way: applied, or dead-lettered with the field', async () => {
    const kafka = testKafka('controller');
    const producer = kafka.producer();
    await producer.connect();
    const submitted = (reportId: string, body: Record<string, unknown>) =>
      codec.encode({
        type: 'DeploymentReportSubmitted',
        data: {
          envelope: buildEnvelope('DeploymentReportSubmitted', {
            eventId: crypto.randomUUID(),
            occurredAt: Date.now(),
            producer: 'controller-1',
            correlationId: reportId,
            modelName: 'fraud-model',
          }),
          reportId,
          kind: body['kind'] as 'ONLINE_METRICS',
          reportedAt: Date.parse(JAN(28)),
          body: JSON.stringify(body),
        },
      });
    const where = { modelName: 'fraud-model', service: 'scoring', surface: 'checkout', environment: 'production' };
    await producer.send({
      topic: `${environment.id}.deployment-reports.v1`,
      messages: [
        {
          key: 'fraud-model',
          value: submitted('kafka-online-1', {
            kind: 'ONLINE_METRICS',
            ...where,
            modelVersion: 1,
            windowStart: JAN(27, 10),
            windowEnd: JAN(28),
            metrics: { p99_latency_ms: 58 },
          }),
        },
        {
          key: 'fraud-model',
          value: submitted('kafka-bad-1', { kind: 'CANARY_STARTED', deploymentId: 'k1', ...where, modelVersion: 2, trafficPercent: 101 }),
        },
      ],
    });
    await producer.disconnect();
    const fromKafka = (event: RegistryEvent) =>
      event.type === 'OnlineMetricsReported' && event.data.envelope.correlationId === 'kafka-online-1';
    const applied = await eventually(
      async () => (await readAllMessages(kafka, `${environment.id}.deployments.v1`)).map((message) => codec.decode(message.value)),
      (events) => events.some(fromKafka),
      { what: 'the Kafka report applied' },
    );
    expect(applied.filter(fromKafka)).toHaveLength(1);
    const dead = await eventually(
      () => readAllMessages(kafka, `${environment.id}.dead-letter.v1`),
      (messages) => messages.length > 0,
      { what: 'dead letter' },
    );
    expect(String(dead[0]?.headers?.['modelreg-dlq-reason'])).toMatch(/^invalid report: trafficPercent must be within/);
  });
});
