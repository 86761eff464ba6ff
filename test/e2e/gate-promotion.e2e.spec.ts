import { createTestEnvironment, eventually, startService, type RunningService, type TestEnvironment } from '@modelreg/testing';
import { getJson, postJson, registerRun, runBody, uploadArtifact, uploadLargeArtifact } from './registry-client';

const MODEL = 'fraud-model';
const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'IN', 'BR'];

/**
 * The seed policy end to end: a baseline and three candidates registered through ingestion; the
 * gate validator decides on each from RunRegistered; every check of every decision is asserted.
 */
describe('promotion gates with the seed policy', () => {
  let environment: TestEnvironment;
  let ingestion: RunningService;
  let gates: RunningService;

  beforeAll(async () => {
    environment = await createTestEnvironment('gates');
    [ingestion, gates] = await Promise.all([startService('ingestion', environment.env), startService('gate-validator', environment.env)]);
  });

  afterAll(async () => {
    await Promise.all([ingestion?.stop(), gates?.stop()]);
    await environment?.dispose();
  });

  const decisionsOf = (version: number) =>
    eventually(
      () => getJson(`${gates.url}/v1/models/${MODEL}/versions/${version}/decisions`),
      (r) => r.status === 200 && r.body.items.length > 0,
      { what: `decision on v${version}`, timeoutMs: 60_000 },
    ).then((r) => r.body.items as any[]);
  const bracketed = (value: string | null) => (value ? `[${value}]` : '');
  const summary = (decision: any) =>
    decision.checks.map((c: any) => {
      const qualifiers = bracketed(c.slice) + bracketed(c.group) + bracketed(c.target);
      return `${c.checkId}${qualifiers}:${c.outcome}${c.reason ? `(${c.reason})` : ''}`;
    });
  const top5 = (outcome: string) => COUNTRIES.slice(0, 5).map((country) => `calibration-top5[country=${country}]:${outcome}`);

  it(
    'passes a baseline with nothing to compare against, then a better candidate, ' +
      'and fails exactly the check each bad candidate breaks',
    async () => {
      const server = await uploadArtifact(ingestion.url, 8192);
      const mobile = await uploadArtifact(ingestion.url, 4096);
      const hugeMobile = await uploadLargeArtifact(ingestion.url, 500_000_000);

      expect((await registerRun(ingestion.url, runBody(MODEL, 'baseline', { server, mobile }, { auc: 0.912 }))).body).toMatchObject({
        modelVersion: 1,
      });
      const [baseline] = await decisionsOf(1);
      expect(baseline).toMatchObject({
        candidateVersion: 1,
        baselineVersion: null,
        baselineRule: 'no-baseline',
        verdict: 'PASSED',
        eligibleForDeployment: true,
        trigger: 'RunRegistered',
        policy: { policyId: 'default', policyVersion: 1 },
      });
      expect(summary(baseline)).toEqual([
        'auc-improvement:SKIPPED(no-baseline)',
        ...top5('PASSED'),
        'precision-parity[age_band]:PASSED',
        'mobile-size[mobile]:PASSED',
        'p99-latency[mobile]:PASSED',
        'p99-latency[server]:PASSED',
      ]);

      await registerRun(ingestion.url, runBody(MODEL, 'passing', { server, mobile }, { auc: 0.9191 }));
      const [passing] = await decisionsOf(2);
      expect(passing).toMatchObject({ baselineVersion: 1, baselineRule: 'latest-passed', verdict: 'PASSED', eligibleForDeployment: true });
      expect(summary(passing)).toEqual([
        'auc-improvement:PASSED',
        ...top5('PASSED'),
        'precision-parity[age_band]:PASSED',
        'mobile-size[mobile]:PASSED',
        'p99-latency[mobile]:PASSED',
        'p99-latency[server]:PASSED',
      ]);
      expect(passing.checks[0]).toMatchObject({
        observed: 0.9191,
        baseline: 0.912,
        threshold: 0.005,
        comparator: 'improvement >= 0.005 (higher is better)',
      });

      await registerRun(ingestion.url, runBody(MODEL, 'unfair', { server, mobile }, { auc: 0.925, youngPrecision: 0.7899 }));
      const [unfair] = await decisionsOf(3);
      expect(unfair).toMatchObject({ baselineVersion: 2, verdict: 'FAILED', eligibleForDeployment: false });
      expect(summary(unfair)).toEqual([
        'auc-improvement:PASSED',
        ...top5('PASSED'),
        'precision-parity[age_band]:FAILED',
        'mobile-size[mobile]:PASSED',
        'p99-latency[mobile]:PASSED',
        'p99-latency[server]:PASSED',
      ]);
      expect(unfair.checks[6]).toMatchObject({ observed: expect.closeTo(0.0201, 9), threshold: 0.02 });

      await registerRun(ingestion.url, runBody(MODEL, 'too-big-for-mobile', { server, mobile: hugeMobile }, { auc: 0.93 }));
      const [tooBig] = await decisionsOf(4);
      expect(tooBig).toMatchObject({ baselineVersion: 2, verdict: 'FAILED', eligibleForDeployment: false });
      expect(summary(tooBig)).toEqual([
        'auc-improvement:PASSED',
        ...top5('PASSED'),
        'precision-parity[age_band]:PASSED',
        'mobile-size[mobile]:FAILED',
        'p99-latency[mobile]:PASSED',
        'p99-latency[server]:PASSED',
      ]);
      expect(tooBig.checks[7]).toMatchObject({ observed: 500_000_000, threshold: 500_000_000, comparator: '< 500000000 bytes' });
    },
  );

  it('re-evaluates on demand under a newer policy, appending a decision and keeping the old one', async () => {
    const stricter = { ...(await getJson(`${gates.url}/v1/policies/default/versions/1`)).body, version: 2 };
    delete stricter.contentHash;
    stricter.checks = stricter.checks.map((check: any) =>
      check.id === 'auc-improvement' ? { ...check, change: { direction: 'higher', absolute: 0.01 } } : check,
    );
    expect((await getJson(`${gates.url}/v1/policies`)).body.items).toEqual([
      expect.objectContaining({ policyId: 'default', version: 1, builtIn: true }),
    ]);
    const published = await postJson(`${gates.url}/v1/policies`, stricter);
    expect(published.status).toBe(201);
    expect((await getJson(`${gates.url}/v1/policies`)).body.items).toEqual([
      expect.objectContaining({ policyId: 'default', version: 2, builtIn: false, contentHash: expect.stringMatching(/^[0-9a-f]{64}$/) }),
    ]);
    const again = await postJson(`${gates.url}/v1/policies`, stricter);
    expect(again.status).toBe(200);

    const response = await postJson(`${gates.url}/v1/models/${MODEL}/versions/2/evaluations`, {});
    expect(response.status).toBe(201);
    const decision = response.body;
    expect(decision).toMatchObject({
      trigger: 'ReEvaluationRequested',
      policy: { policyId: 'default', policyVersion: 2 },
      verdict: 'FAILED',
    });
    const all = (await getJson(`${gates.url}/v1/models/${MODEL}/versions/2/decisions`)).body.items;
    expect(all.map((d: any) => [d.policy.policyVersion, d.verdict])).toEqual([
      [1, 'PASSED'],
      [2, 'FAILED'],
    ]);
  });

  it('rejects a bad policy at publish time with the field at fault', async () => {
    const response = await postJson(`${gates.url}/v1/policies`, {
      policyId: 'bad',
      version: 1,
      checks: [{ id: 'x', kind: 'slice-threshold', metric: 'auc', slices: { topKByTraffic: 0 }, bound: { min: 0.9 } }],
    });
    expect(response.status).toBe(422);
    expect(response.body['errors']).toContainEqual({ field: 'checks[0].slices.topKByTraffic', message: expect.stringMatching(/within/) });
  });
});
