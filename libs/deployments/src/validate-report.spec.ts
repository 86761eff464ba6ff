import { validateDeploymentReport } from './validate-report';

const NOW = Date.UTC(2024, 0, 27, 12);
const options = { now: NOW, maxSkewMs: 5 * 60_000 };
const canary = {
  kind: 'CANARY_STARTED',
  reportId: 'r-1',
  reportedAt: '2024-01-26T10:00:00Z',
  deploymentId: 'd-127',
  modelName: 'fraud-model',
  modelVersion: 127,
  service: 'scoring',
  surface: 'checkout',
  environment: 'production',
  trafficPercent: 5,
};

function errorsOf(body: unknown) {
  const result = validateDeploymentReport(body, options);
  if (result.ok) throw new Error('expected a rejection');
  return result.errors;
}

describe('validateDeploymentReport', () => {
  it('accepts a canary report', () => {
    expect(validateDeploymentReport(canary, options)).toEqual({
      ok: true,
      value: {
        kind: 'CANARY_STARTED',
        reportId: 'r-1',
        reportedAt: Date.UTC(2024, 0, 26, 10),
        deploymentId: 'd-127',
        placement: { modelName: 'fraud-model', service: 'scoring', surface: 'checkout', environment: 'production' },
        modelVersion: 127,
        trafficPercent: 5,
        baselineVersion: null,
      },
    });
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['negative traffic', { trafficPercent: -5 }, 'trafficPercent', /within/],
    ['zero traffic', { trafficPercent: 0 }, 'trafficPercent', /within/],
    ['traffic above 100', { trafficPercent: 100.5 }, 'trafficPercent', /within/],
    ['NaN traffic', { trafficPercent: 'NaN' }, 'trafficPercent', /must be a number/],
    ['a surface with a path', { surface: 'home/../admin' }, 'surface', /no "\/"/],
    ['a surface with a backslash', { surface: 'home\\x' }, 'surface', /no "\/"/],
    ['a surface with a control character', { surface: 'home\u0007' }, 'surface', /control characters/],
    ['an encoded traversal as service', { service: '%2e%2e%2f' }, 'service', /must be 1-64/],
    ['a time far in the future', { reportedAt: '2024-01-27T12:10:00Z' }, 'reportedAt', /600 s in the future; at most 300 s/],
    ['a malformed model name', { modelName: '../fraud' }, 'modelName', /must be 1-128/],
    ['an unknown kind', { kind: 'CANARY_PAUSED' }, 'kind', /must be one of/],
    ['a fractional version', { modelVersion: 1.5 }, 'modelVersion', /integer/],
    ['U+0000 in a deployment id', { deploymentId: 'd-\u0000' }, 'deploymentId', /U\+0000/],
  ])('rejects %s', (_case, change, field, message) => {
    expect(errorsOf({ ...canary, ...change })).toContainEqual({ field, message: expect.stringMatching(message) });
  });

  const online = {
    kind: 'ONLINE_METRICS',
    reportId: 'm',
    reportedAt: '2024-01-27T00:00:00Z',
    modelName: 'rec',
    modelVersion: 3,
    service: 's',
    surface: 'homepage',
    environment: 'production',
    windowStart: '2024-01-26T00:00:00Z',
    windowEnd: '2024-01-27T00:00:00Z',
    metrics: { ctr: 0.1 },
  };
  const rollback = {
    kind: 'ROLLED_BACK',
    reportId: 'rb',
    reportedAt: '2024-01-27T00:00:00Z',
    deploymentId: 'd-1',
    toVersion: 2,
    reason: 'ctr dropped',
  };
  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['U+0000 in a metric name', { ...online, metrics: { 'ctr\u0000': 0.1 } }, 'metrics', /key "ctr\\u0000" must not contain U\+0000/],
    ['a 1 MB metric name', { ...online, metrics: { ['m'.repeat(1024 * 1024)]: 0.1 } }, 'metrics', /at most 128 characters, got 1048576/],
    [
      '1001 metrics',
      { ...online, metrics: Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`m${i}`, 0.1])) },
      'metrics',
      /at most 1000 entries/,
    ],
    ['a lone surrogate in a rollback reason', { ...rollback, reason: 'ctr \uDBFF dropped' }, 'reason', /unpaired UTF-16 surrogate/],
    ['U+0000 in a rollback reason', { ...rollback, reason: 'ctr\u0000' }, 'reason', /U\+0000/],
    ['a rollback reason over 1000 characters', { ...rollback, reason: 'x'.repeat(1001) }, 'reason', /at most 1000 characters/],
  ])('rejects a report field with %s', (_case, body, field, message) => {
    expect(errorsOf(body)).toContainEqual({ field, message: expect.stringMatching(message) });
  });

  describe('metric names follow the one naming rule', () => {
    const onlineReport = {
      kind: 'ONLINE_METRICS',
      reportId: 'm',
      reportedAt: '2024-01-27T00:00:00Z',
      modelName: 'rec',
      modelVersion: 3,
      service: 's',
      surface: 'homepage',
      environment: 'production',
      windowStart: '2024-01-26T00:00:00Z',
      windowEnd: '2024-01-27T00:00:00Z',
      metrics: { 'ndcg@20': 0.4, CTR: 0.05 },
    };
    const abReport = {
      kind: 'AB_TEST_CONCLUDED',
      reportId: 'a',
      reportedAt: '2024-01-27T00:00:00Z',
      testId: 't',
      modelName: 'rec',
      service: 's',
      surface: 'homepage',
      environment: 'production',
      controlVersion: 2,
      treatmentVersion: 3,
      decision: 'INCONCLUSIVE',
      results: [
        {
          metric: 'ndcg@20',
          controlValue: 0.4,
          treatmentValue: 0.41,
          relativeLift: 0.025,
          confidenceLow: -0.01,
          confidenceHigh: 0.06,
          controlSamples: 1000,
          treatmentSamples: 1000,
        },
      ],
    };
    const rollbackReport = {
      kind: 'ROLLED_BACK',
      reportId: 'b',
      reportedAt: '2024-01-27T00:00:00Z',
      deploymentId: 'd',
      toVersion: 2,
      reason: 'ndcg fell',
      triggerMetric: 'ndcg@20',
      triggerValue: 0.3,
    };

    it('normalizes online metrics, A/B metrics and a rollback trigger metric', () => {
      const value = (body: unknown) => {
        const result = validateDeploymentReport(body, options);
        if (!result.ok) throw new Error(JSON.stringify(result.errors));
        return result.value as Record<string, any>;
      };
      expect(value(onlineReport)['metrics']).toEqual({ ndcg_at_20: 0.4, ctr: 0.05 });
      expect(value(abReport)['results'][0].metric).toBe('ndcg_at_20');
      expect(value(rollbackReport)['triggerMetric']).toBe('ndcg_at_20');
    });

    it.each<[string, Record<string, unknown>, string, RegExp]>([
      ['an online metric', { ...onlineReport, metrics: { 'ndcg 20': 0.4 } }, 'metrics', /key "ndcg 20" must be a metric name/],
      [
        'two spellings of one online metric',
        { ...onlineReport, metrics: { 'ndcg@20': 0.4, ndcg_at_20: 0.4 } },
        'metrics',
        /key "ndcg_at_20" names the same metric as "ndcg@20"/,
      ],
      [
        'an A/B metric',
        { ...abReport, results: [{ ...abReport.results[0], metric: 'ndcg/20' }] },
        'results[0].metric',
        /must be a metric name/,
      ],
      ['a trigger metric', { ...rollbackReport, triggerMetric: '20ndcg' }, 'triggerMetric', /must be a metric name/],
    ])('rejects a bad name of %s, naming the field', (_case, body, field, message) => {
      expect(errorsOf(body)).toContainEqual({ field, message: expect.stringMatching(message) });
    });
  });

  it('checks metric windows and A/B results', () => {
    expect(
      errorsOf({
        kind: 'ONLINE_METRICS',
        reportId: 'm',
        reportedAt: '2024-01-27T00:00:00Z',
        modelName: 'rec',
        modelVersion: 3,
        service: 's',
        surface: 'homepage',
        environment: 'production',
        windowStart: '2024-01-27T00:00:00Z',
        windowEnd: '2024-01-26T00:00:00Z',
        metrics: { ctr: 0.1 },
      }),
    ).toContainEqual({ field: 'windowEnd', message: 'must be after windowStart' });
    expect(
      errorsOf({
        kind: 'AB_TEST_CONCLUDED',
        reportId: 'a',
        reportedAt: '2024-01-27T00:00:00Z',
        testId: 't',
        modelName: 'rec',
        service: 's',
        surface: 'homepage',
        environment: 'production',
        controlVersion: 2,
        treatmentVersion: 2,
        decision: 'MAYBE',
        results: [
          {
            metric: 'ctr',
            controlValue: 0.1,
            treatmentValue: 0.11,
            relativeLift: 0.1,
            confidenceLow: 0.2,
            confidenceHigh: 0.05,
            controlSamples: 1000,
            treatmentSamples: 0,
          },
        ],
      }),
    ).toEqual(
      expect.arrayContaining([
        { field: 'decision', message: expect.stringMatching(/SHIP_TREATMENT/) },
        { field: 'treatmentVersion', message: 'must differ from controlVersion' },
        { field: 'results[0].treatmentSamples', message: expect.stringMatching(/within/) },
        { field: 'results[0].confidenceHigh', message: 'must not be below confidenceLow' },
      ]),
    );
  });
});
