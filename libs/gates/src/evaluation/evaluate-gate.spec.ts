import type { CheckResult } from '@modelreg/events';
import { baselineSubject, candidateSubject, withMetrics } from '../gate-fixtures';
import { DEFAULT_POLICY } from '../policy/default-policy';
import type { CheckDefinition, GatePolicy } from '../policy/gate-policy';
import { evaluateGate } from './evaluate-gate';

const policyWith = (...checks: CheckDefinition[]): GatePolicy => ({ ...DEFAULT_POLICY, checks });
/** `[value]` when the check has a value there, else nothing. */
const bracketed = (value: string | null) => (value ? `[${value}]` : '');
const outcomes = (checks: CheckResult[]) =>
  checks.map((check) => {
    const qualifiers = bracketed(check.slice) + bracketed(check.group) + bracketed(check.target);
    return `${check.checkId}${qualifiers}:${check.outcome}${check.reason ? `(${check.reason})` : ''}`;
  });

describe('evaluateGate with the default policy', () => {
  it('passes a candidate that beats the baseline on every check, recording each number compared', () => {
    const result = evaluateGate(candidateSubject(), baselineSubject(), DEFAULT_POLICY);
    expect(result.verdict).toBe('PASSED');
    expect(result.eligibleForDeployment).toBe(true);
    expect(outcomes(result.checks)).toEqual([
      'auc-improvement:PASSED',
      'calibration-top5[country=US]:PASSED',
      'calibration-top5[country=GB]:PASSED',
      'calibration-top5[country=DE]:PASSED',
      'calibration-top5[country=FR]:PASSED',
      'calibration-top5[country=IN]:PASSED',
      'precision-parity[age_band]:PASSED',
      'precision-parity[gender]:PASSED',
      'mobile-size[mobile]:PASSED',
      'p99-latency[mobile]:PASSED',
      'p99-latency[server]:PASSED',
    ]);
    expect(result.checks[0]).toMatchObject({
      kind: 'metric-change',
      metric: 'auc',
      observed: 0.9191,
      baseline: 0.912,
      threshold: 0.005,
      tolerance: 1e-9,
    });
    expect(result.checks[0]?.explanation).toBe(
      'auc 0.9191 vs 0.912 on baseline v126: improvement +0.0071; required improvement >= 0.005 (higher is better): passed',
    );
    expect(result.checks[6]).toMatchObject({ observed: expect.closeTo(0.01, 9), threshold: 0.02 });
    expect(result.checks[6]?.explanation).toMatch(/precision gap across age_band groups is 0\.01 \(26-40 0\.81 vs 18-25 0\.8\)/);
    expect(result.checks[8]?.explanation).toBe('mobile artifact is 200,000,000 bytes; required < 500000000 bytes: passed');
  });

  it('selects the top 5 slices by traffic, not the sixth', () => {
    const candidate = withMetrics(candidateSubject(), (m) => {
      (m.slices[5] as { metrics: Record<string, number> }).metrics['calibration_slope'] = 2; // BR, 5% of traffic
    });
    expect(evaluateGate(candidate, baselineSubject(), DEFAULT_POLICY).verdict).toBe('PASSED');
    const worse = withMetrics(candidateSubject(), (m) => {
      (m.slices[4] as { metrics: Record<string, number> }).metrics['calibration_slope'] = 1.0201; // IN, 5th
    });
    const result = evaluateGate(worse, baselineSubject(), DEFAULT_POLICY);
    expect(outcomes(result.checks.filter((check) => check.outcome === 'FAILED'))).toEqual(['calibration-top5[country=IN]:FAILED']);
  });

  it('fails only the fairness check when one group is 0.0201 apart, and passes at exactly 0.02', () => {
    const at = (gap: number) =>
      withMetrics(candidateSubject(), (m) => {
        (m.fairness[1] as { metrics: Record<string, number> }).metrics['precision'] = 0.8 + gap;
      });
    expect(evaluateGate(at(0.02), baselineSubject(), DEFAULT_POLICY).verdict).toBe('PASSED');
    const failed = evaluateGate(at(0.0201), baselineSubject(), DEFAULT_POLICY);
    expect(outcomes(failed.checks.filter((check) => check.outcome !== 'PASSED'))).toEqual(['precision-parity[age_band]:FAILED']);
  });

  it('fails only the mobile size check at 500,000,000 bytes', () => {
    const candidate = {
      ...candidateSubject(),
      artifacts: candidateSubject().artifacts.map((a) => (a.target === 'mobile' ? { ...a, sizeBytes: 500_000_000 } : a)),
    };
    const result = evaluateGate(candidate, baselineSubject(), DEFAULT_POLICY);
    expect(outcomes(result.checks.filter((check) => check.outcome !== 'PASSED'))).toEqual(['mobile-size[mobile]:FAILED']);
  });

  it('skips the mobile size check, visibly, for a server-only model', () => {
    const candidate = { ...candidateSubject(), artifacts: candidateSubject().artifacts.filter((a) => a.target === 'server') };
    const result = evaluateGate(candidate, baselineSubject(), DEFAULT_POLICY);
    expect(outcomes(result.checks.filter((check) => check.outcome !== 'PASSED'))).toEqual(['mobile-size[mobile]:SKIPPED(not-applicable)']);
    expect(result.verdict).toBe('PASSED');
  });

  it('reports change checks as skipped with no baseline, and blocks when the policy says so', () => {
    const open = evaluateGate(candidateSubject(), null, DEFAULT_POLICY);
    expect(outcomes(open.checks.filter((check) => check.outcome !== 'PASSED'))).toEqual(['auc-improvement:SKIPPED(no-baseline)']);
    expect(open.verdict).toBe('PASSED');
    const blocking = evaluateGate(candidateSubject(), null, {
      ...DEFAULT_POLICY,
      baseline: { ...DEFAULT_POLICY.baseline, whenMissing: 'block' },
    });
    expect(outcomes(blocking.checks.filter((check) => check.outcome !== 'PASSED'))).toEqual(['auc-improvement:FAILED(no-baseline)']);
    expect(blocking.verdict).toBe('FAILED');
  });
});

describe('nothing passes by absence: missing inputs fail with reason "missing"', () => {
  const missing = (policy: GatePolicy, candidate = candidateSubject(), baseline = baselineSubject()) =>
    outcomes(evaluateGate(candidate, baseline, policy).checks.filter((check) => check.outcome !== 'PASSED'));

  it.each<[string, CheckDefinition, ReturnType<typeof candidateSubject>, string[]]>([
    [
      'an overall metric',
      { id: 'logloss', kind: 'metric-threshold', metric: 'logloss', bound: { max: 0.3 } },
      candidateSubject(),
      ['logloss:FAILED(missing)'],
    ],
    [
      'a candidate metric for a change',
      { id: 'ndcg', kind: 'metric-change', metric: 'ndcg', change: { direction: 'higher', absolute: 0 } },
      candidateSubject(),
      ['ndcg:FAILED(missing)'],
    ],
    [
      'a named slice',
      { id: 's', kind: 'slice-threshold', metric: 'auc', slices: { names: ['country=JP'] }, bound: { min: 0.8 } },
      candidateSubject(),
      ['s[country=JP]:FAILED(missing)'],
    ],
    [
      'slices short of the top k',
      { id: 's', kind: 'slice-threshold', metric: 'auc', slices: { topKByTraffic: 7 }, bound: { min: 0.8 } },
      candidateSubject(),
      ['s[#7 by traffic]:FAILED(missing)'],
    ],
    [
      'a slice metric for a change',
      { id: 'sc', kind: 'slice-change', metric: 'recall', slices: { topKByTraffic: 1 }, change: { direction: 'higher', absolute: 0 } },
      candidateSubject(),
      ['sc[country=US]:FAILED(missing)'],
    ],
    [
      'a protected attribute',
      { id: 'f', kind: 'group-disparity', metric: 'precision', attributes: ['ethnicity'], maxGap: 0.02 },
      candidateSubject(),
      ['f[ethnicity]:FAILED(missing)'],
    ],
    [
      'a group metric',
      { id: 'f', kind: 'group-disparity', metric: 'recall', attributes: ['gender'], maxGap: 0.02 },
      candidateSubject(),
      ['f[gender=f]:FAILED(missing)'],
    ],
    [
      'all fairness data',
      { id: 'f', kind: 'group-disparity', metric: 'precision', maxGap: 0.02 },
      withMetrics(candidateSubject(), (m) => (m.fairness = [])),
      ['f[age_band=18-25]:FAILED(missing)', 'f[gender=f]:FAILED(missing)'],
    ],
    [
      'a required artifact',
      { id: 'a', kind: 'artifact-size', target: 'edge', bound: { below: 1e6 }, ifAbsent: 'fail' },
      candidateSubject(),
      ['a[edge]:FAILED(missing)'],
    ],
    [
      'an artifact for a format check',
      { id: 'a', kind: 'artifact-format', target: 'edge', formats: ['TFLite'], ifAbsent: 'fail' },
      candidateSubject(),
      ['a[edge]:FAILED(missing)'],
    ],
    [
      'a latency for a target',
      { id: 'l', kind: 'operational', metric: 'p99_latency_ms', targets: 'all-artifact-targets', bound: { below: 100 } },
      withMetrics(candidateSubject(), (m) => (m.operational = m.operational.slice(1))),
      ['l[mobile]:FAILED(missing)'],
    ],
  ])('%s', (_case, check, candidate, expected) => {
    expect(missing(policyWith(check), candidate)).toEqual(expected);
  });

  it('a baseline without the metric fails the change check', () => {
    const baseline = withMetrics(baselineSubject(), (m) => delete m.overall['auc']);
    expect(missing(DEFAULT_POLICY, candidateSubject(), baseline)).toEqual(['auc-improvement:FAILED(missing)']);
  });
});

describe('other check kinds', () => {
  it('checks the artifact format per target', () => {
    const check: CheckDefinition = { id: 'fmt', kind: 'artifact-format', target: 'mobile', formats: ['CoreML'], ifAbsent: 'fail' };
    expect(outcomes(evaluateGate(candidateSubject(), null, policyWith(check)).checks)).toEqual(['fmt[mobile]:FAILED']);
  });

  it('checks a per-slice change against the same slice of the baseline', () => {
    const check: CheckDefinition = {
      id: 'slice-auc',
      kind: 'slice-change',
      metric: 'auc',
      slices: { topKByTraffic: 2 },
      change: { direction: 'higher', absolute: -0.01 },
    };
    const baseline = withMetrics(baselineSubject(), (m) => ((m.slices[1] as { metrics: Record<string, number> }).metrics['auc'] = 0.935));
    expect(outcomes(evaluateGate(candidateSubject(), baseline, policyWith(check)).checks)).toEqual([
      'slice-auc[country=US]:PASSED',
      'slice-auc[country=GB]:FAILED',
    ]);
  });

  it('checks an overall value threshold', () => {
    const check: CheckDefinition = { id: 'auc-floor', kind: 'metric-threshold', metric: 'auc', bound: { min: 0.92 } };
    expect(outcomes(evaluateGate(candidateSubject(), null, policyWith(check)).checks)).toEqual(['auc-floor:FAILED']);
  });
});
