import { createTestEnvironment, eventually, startService, type RunningService, type TestEnvironment } from '@modelreg/testing';
import { getJson, postJson, registerRun, runBody, uploadArtifact } from './registry-client';

/**
 * Slices from production and the metric-naming rule, end to end: runs registered through
 * ingestion, decided by the gate validator from RunRegistered, decisions read back over HTTP.
 */
describe('gates check what production sees, under one metric-naming rule', () => {
  let environment: TestEnvironment;
  let ingestion: RunningService;
  let gates: RunningService;
  let artifacts: Parameters<typeof runBody>[2];

  beforeAll(async () => {
    environment = await createTestEnvironment('gate-slices');
    [ingestion, gates] = await Promise.all([startService('ingestion', environment.env), startService('gate-validator', environment.env)]);
    artifacts = { server: await uploadArtifact(ingestion.url, 8192), mobile: await uploadArtifact(ingestion.url, 4096) };
  });

  afterAll(async () => {
    await Promise.all([ingestion?.stop(), gates?.stop()]);
    await environment?.dispose();
  });

  const decisionOf = (model: string, version: number) =>
    eventually(
      () => getJson(`${gates.url}/v1/models/${model}/versions/${version}/decisions`),
      (r) => r.status === 200 && r.body.items.length > 0,
      { what: `decision on ${model} v${version}`, timeoutMs: 60_000 },
    ).then((r) => r.body.items[0]);
  const calibration = (decision: any) =>
    decision.checks
      .filter((c: any) => c.checkId === 'calibration-top5')
      .map((c: any) => `${c.slice}:${c.outcome}${c.reason ? `(${c.reason})` : ''}`);

  it(
    "fails a candidate that omits one of the baseline's five largest " + 'slices, with reason missing, instead of checking the sixth',
    async () => {
      const model = 'slices-model';
      expect((await registerRun(ingestion.url, runBody(model, 'baseline', artifacts, { auc: 0.912 }))).status).toBe(201);
      const baseline = await decisionOf(model, 1);
      expect(baseline).toMatchObject({ baselineVersion: null, verdict: 'PASSED' });
      expect(baseline.checks.find((c: any) => c.checkId === 'calibration-top5').explanation).toMatch(
        /top 5 by the candidate's own traffic share \(no baseline\)/,
      );

      const withoutDe = runBody(model, 'without-de', artifacts, { auc: 0.93 });
      withoutDe['metrics'].slices = withoutDe['metrics'].slices.filter((slice: { slice: string }) => slice.slice !== 'country=DE');
      expect((await registerRun(ingestion.url, withoutDe)).status).toBe(201);
      const candidate = await decisionOf(model, 2);
      expect(candidate).toMatchObject({ baselineVersion: 1, verdict: 'FAILED', eligibleForDeployment: false });
      expect(calibration(candidate)).toEqual([
        'country=US:PASSED',
        'country=GB:PASSED',
        'country=DE:FAILED(missing)',
        'country=FR:PASSED',
        'country=IN:PASSED',
      ]);
      expect(candidate.checks.filter((c: any) => c.outcome === 'FAILED').map((c: any) => c.explanation)).toEqual([
        "the candidate's slice country=DE (top 5 by traffic share on baseline v1) is missing, so the check fails",
      ]);
    },
  );

  it('warns at publishing only about metrics the registered versions do not carry where the checks read them', async () => {
    const policy = {
      policyId: 'slices',
      version: 1,
      models: ['slices-*'],
      checks: [
        {
          id: 'calibration',
          kind: 'slice-threshold',
          metric: 'calibration_slope',
          slices: { topKByTraffic: 5 },
          bound: { target: 1, maxDeviation: 0.02 },
        },
        { id: 'parity', kind: 'group-disparity', metric: 'precision', maxGap: 0.02 },
        { id: 'latency', kind: 'operational', metric: 'p99_latency_ms', targets: 'all-artifact-targets', bound: { below: 100 } },
        { id: 'slice-recall', kind: 'slice-threshold', metric: 'recall', slices: { topKByTraffic: 5 }, bound: { min: 0.5 } },
      ],
      guardrails: { offlineOnlineTolerance: { auc: { relative: 0.05 } } },
    };
    const published = await postJson(`${gates.url}/v1/policies`, policy);
    expect(published.status).toBe(201);
    expect(published.body['warnings']).toEqual([
      { field: 'checks[3].metric', message: expect.stringMatching(/no registered version of slices-\* carries slice metric "recall"/) },
    ]);
  });

  it('spells ndcg@20 as ndcg_at_20 at registration and at publishing, and warns about a metric no version carries', async () => {
    const model = 'ranker';
    const policy = {
      policyId: 'ranker',
      version: 1,
      models: [model],
      checks: [{ id: 'ndcg-floor', kind: 'metric-threshold', metric: 'NDCG@20', bound: { min: 0.4 } }],
    };
    const first = await postJson(`${gates.url}/v1/policies`, policy);
    expect(first.status).toBe(201);
    expect(first.body['warnings']).toEqual([
      { field: 'models', message: expect.stringMatching(/no version of a model matching ranker is registered yet/) },
    ]);
    expect((await getJson(`${gates.url}/v1/policies/ranker/versions/1`)).body.checks[0].metric).toBe('ndcg_at_20');

    expect(
      (await registerRun(ingestion.url, runBody(model, 'r1', artifacts, { auc: 0.9, extraMetrics: { 'ndcg@20': 0.41 } }))).status,
    ).toBe(201);
    const decision = await decisionOf(model, 1);
    expect(decision).toMatchObject({ policy: { policyId: 'ranker', policyVersion: 1 }, verdict: 'PASSED' });
    expect(decision.checks).toEqual([
      expect.objectContaining({ checkId: 'ndcg-floor', metric: 'ndcg_at_20', observed: 0.41, outcome: 'PASSED' }),
    ]);

    const next = await postJson(`${gates.url}/v1/policies`, {
      ...policy,
      version: 2,
      checks: [...policy.checks, { id: 'recall', kind: 'metric-threshold', metric: 'recall_at_5', bound: { min: 0.2 } }],
    });
    expect(next.status).toBe(201);
    expect(next.body['warnings']).toEqual([
      { field: 'checks[1].metric', message: expect.stringMatching(/no registered version of ranker carries overall metric "recall_at_5"/) },
    ]);

    const bad = await registerRun(ingestion.url, runBody(model, 'r2', artifacts, { auc: 0.9, extraMetrics: { 'ndcg 20': 0.41 } }));
    expect(bad.status).toBe(422);
    expect(bad.body['errors']).toContainEqual({
      field: 'metrics.overall',
      message: expect.stringMatching(/key "ndcg 20" must be a metric name/),
    });
  });
});
