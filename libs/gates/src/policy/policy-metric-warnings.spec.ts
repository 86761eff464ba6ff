import { DEFAULT_POLICY } from './default-policy';
import type { GatePolicy } from './gate-policy';
import { modelsMatching, policyMetricWarnings, type CarriedMetrics } from './policy-metric-warnings';

const fraudPolicy: GatePolicy = { ...DEFAULT_POLICY, policyId: 'fraud', models: ['fraud-*'] };
/** What the fraud models' registered versions carry: the default policy's metrics, and no ndcg. */
const carried: CarriedMetrics = {
  overall: new Set(['auc', 'calibration_slope', 'precision_at_10']),
  slices: new Set(['auc', 'calibration_slope']),
  fairness: new Set(['precision']),
  operational: new Set(['p99_latency_ms']),
};

describe("policyMetricWarnings: a policy naming a metric its models' versions do not carry is published with a warning", () => {
  it('warns about nothing when every named metric is carried where it is read', () => {
    expect(
      policyMetricWarnings(
        { ...fraudPolicy, guardrails: { ...fraudPolicy.guardrails, offlineOnlineTolerance: { precision_at_10: 0.05 } } },
        carried,
      ),
    ).toEqual([]);
  });

  it.each<[string, (policy: GatePolicy) => GatePolicy, { field: string; message: RegExp }]>([
    [
      'an overall metric no version carries',
      (p) => ({ ...p, checks: [{ id: 'n', kind: 'metric-threshold', metric: 'ndcg_at_20', bound: { min: 0.4 } }] }),
      {
        field: 'checks[0].metric',
        message: /no registered version of fraud-\* carries overall metric "ndcg_at_20": the check fails as missing/,
      },
    ],
    [
      'a metric carried overall but not per slice',
      (p) => ({
        ...p,
        checks: [{ id: 's', kind: 'slice-threshold', metric: 'precision_at_10', slices: { topKByTraffic: 3 }, bound: { min: 0.4 } }],
      }),
      { field: 'checks[0].metric', message: /slice metric "precision_at_10"/ },
    ],
    [
      'a group metric',
      (p) => ({ ...p, checks: [{ id: 'f', kind: 'group-disparity', metric: 'recall', maxGap: 0.02 }] }),
      { field: 'checks[0].metric', message: /group metric "recall"/ },
    ],
    [
      'an operational metric',
      (p) => ({
        ...p,
        checks: [{ id: 'o', kind: 'operational', metric: 'p50_latency_ms', targets: 'all-artifact-targets', bound: { below: 10 } }],
      }),
      { field: 'checks[0].metric', message: /operational metric "p50_latency_ms"/ },
    ],
    [
      'an offline/online tolerance metric',
      (p) => p,
      { field: 'guardrails.offlineOnlineTolerance.ndcg_at_20', message: /overall metric "ndcg_at_20": no divergence can be detected/ },
    ],
  ])('warns about %s', (_case, change, warning) => {
    expect(policyMetricWarnings(change(fraudPolicy), carried)).toContainEqual({
      field: warning.field,
      message: expect.stringMatching(warning.message),
    });
  });

  it('does not compare canary guardrails (online metrics) or artifact checks', () => {
    const fields = policyMetricWarnings(fraudPolicy, carried).map((warning) => warning.field);
    expect(fields).toEqual(['guardrails.offlineOnlineTolerance.ndcg_at_20']);
  });

  it('says so when no version of its models is registered yet', () => {
    expect(policyMetricWarnings(fraudPolicy, null)).toEqual([
      { field: 'models', message: 'no version of a model matching fraud-* is registered yet, so the metric names could not be checked' },
    ]);
  });

  it("finds the models a policy's patterns match", () => {
    expect(modelsMatching({ ...fraudPolicy, models: ['fraud-*', 'churn'] }, ['fraud-eu', 'fraud', 'churn', 'churn-v2'])).toEqual([
      'fraud-eu',
      'churn',
    ]);
  });
});
