import type { CheckDefinition, GatePolicy } from './gate-policy';
import { DEFAULT_POLICY } from './default-policy';
import { isLoosening } from './policy-loosening';

// given the policy in force, when a new version is proposed, then: the ways it lets more through.
const given = (current: GatePolicy) => ({
  when: (change: (policy: GatePolicy) => GatePolicy) => ({
    then: (expected: string[]) => expect(isLoosening(current, change(structuredClone(current)))).toEqual(expected),
  }),
});
const withCheck = (id: string, change: (check: CheckDefinition) => CheckDefinition) => (policy: GatePolicy) => ({
  ...policy,
  checks: policy.checks.map((check) => (check.id === id ? change(check) : check)),
});

describe('isLoosening: a proposal that lets more through needs a second policy admin', () => {
  it('finds nothing in the same policy, or a stricter one (higher required AUC gain, tighter latency, a new check)', () => {
    given(DEFAULT_POLICY)
      .when((p) => p)
      .then([]);
    given(DEFAULT_POLICY)
      .when((p) => ({
        ...withCheck(
          'auc-improvement',
          (c) => ({ ...c, change: { direction: 'higher', absolute: 0.01 } }) as CheckDefinition,
        )(withCheck('p99-latency', (c) => ({ ...c, bound: { below: 80 } }) as CheckDefinition)(p)),
        checks: [...p.checks, { id: 'auc-floor', kind: 'metric-threshold', metric: 'auc', bound: { min: 0.8 } }],
      }))
      .then([]);
  });

  it('names a threshold made more permissive', () => {
    given(DEFAULT_POLICY)
      .when(withCheck('auc-improvement', (c) => ({ ...c, change: { direction: 'higher', absolute: 0.001 } }) as CheckDefinition))
      .then(['checks.auc-improvement: required absolute change lowered or removed']);
    given(DEFAULT_POLICY)
      .when(withCheck('p99-latency', (c) => ({ ...c, bound: { below: 150 } }) as CheckDefinition))
      .then(['checks.p99-latency: below raised or removed']);
    given(DEFAULT_POLICY)
      .when(withCheck('precision-parity', (c) => ({ ...c, maxGap: 0.05 }) as CheckDefinition))
      .then(['checks.precision-parity: maxGap raised from 0.02 to 0.05']);
  });

  it('names a check removed, or made skippable or narrower', () => {
    given(DEFAULT_POLICY)
      .when((p) => ({ ...p, checks: p.checks.filter((c) => c.id !== 'mobile-size') }))
      .then(['checks.mobile-size: removed']);
    given({
      ...DEFAULT_POLICY,
      checks: DEFAULT_POLICY.checks.map((c) => (c.id === 'mobile-size' ? { ...c, ifAbsent: 'fail' } : c)) as CheckDefinition[],
    })
      .when(withCheck('mobile-size', (c) => ({ ...c, ifAbsent: 'skip' }) as CheckDefinition))
      .then(['checks.mobile-size: skipped when the artifact is absent']);
    given(DEFAULT_POLICY)
      .when(withCheck('calibration-top5', (c) => ({ ...c, slices: { topKByTraffic: 3 } }) as CheckDefinition))
      .then(['checks.calibration-top5: covers fewer slices']);
  });

  it('names looser guardrails, tolerance and baseline', () => {
    given(DEFAULT_POLICY)
      .when((p) => ({
        ...p,
        tolerance: 1e-3,
        guardrails: {
          canary: [{ metric: 'p99_latency_ms', bound: { below: 100 } }],
          offlineOnlineTolerance: { ...p.guardrails.offlineOnlineTolerance, ndcg_at_20: 0.1 },
        },
      }))
      .then([
        'tolerance: raised from 1e-9 to 0.001',
        'guardrails.canary.ctr: removed',
        'guardrails.offlineOnlineTolerance.ndcg_at_20: absolute allowance raised or removed',
      ]);
    given({ ...DEFAULT_POLICY, baseline: { ...DEFAULT_POLICY.baseline, whenMissing: 'block' } })
      .when((p) => ({ ...p, baseline: { ...p.baseline, whenMissing: 'value-checks-only' } }))
      .then(['baseline.whenMissing: no longer blocks without a baseline']);
  });
});
