import type { CheckResult } from '@modelreg/events';
import { baselineSubject, candidateSubject, withMetrics } from '../gate-fixtures';
import { DEFAULT_POLICY } from '../policy/default-policy';
import type { CheckDefinition, GatePolicy } from '../policy/gate-policy';
import type { GateSubject } from './check-context';
import { evaluateGate } from './evaluate-gate';
import { selectSlices } from './slice-selection';

const policyWith = (...checks: CheckDefinition[]): GatePolicy => ({ ...DEFAULT_POLICY, checks });
const calibrationTop5 = DEFAULT_POLICY.checks[1] as CheckDefinition;
const parity = DEFAULT_POLICY.checks[2] as CheckDefinition;
const aucTop2: CheckDefinition = {
  id: 'slice-auc',
  kind: 'slice-change',
  metric: 'auc',
  slices: { topKByTraffic: 2 },
  change: { direction: 'higher', absolute: -0.01 },
};
const outcome = (check: CheckResult) => `${check.slice ?? check.group ?? ''}:${check.outcome}${check.reason ? `(${check.reason})` : ''}`;

const withoutSlice = (subject: GateSubject, slice: string) =>
  withMetrics(subject, (m) => (m.slices = m.slices.filter((entry) => entry.slice !== slice)));
const withoutGroup = (subject: GateSubject, attribute: string, group: string) =>
  withMetrics(subject, (m) => (m.fairness = m.fairness.filter((entry) => !(entry.attribute === attribute && entry.group === group))));
/** The candidate's own shares put BR first: only the baseline's (production's) shares may decide the top k. */
const brFirst = (subject: GateSubject) =>
  withMetrics(subject, (m) =>
    m.slices.forEach((entry) => (entry.trafficShare = entry.slice === 'country=BR' ? 0.4 : entry.trafficShare / 2)),
  );

/**
 * given a baseline and a candidate, when the gate evaluates one check, then these slices or groups
 * are checked with these outcomes.
 */
describe('slices and groups come from production: the baseline decides what a candidate is checked on', () => {
  it.each<[string, CheckDefinition, GateSubject, GateSubject | null, string[]]>([
    [
      'a baseline top-5 slice missing from the candidate fails as missing; the sixth does not take its place',
      calibrationTop5,
      withoutSlice(candidateSubject(), 'country=DE'),
      baselineSubject(),
      ['country=US:PASSED', 'country=GB:PASSED', 'country=DE:FAILED(missing)', 'country=FR:PASSED', 'country=IN:PASSED'],
    ],
    [
      'the baseline shares rank the slices, whatever the candidate reports as its own shares',
      calibrationTop5,
      brFirst(candidateSubject()),
      baselineSubject(),
      ['country=US:PASSED', 'country=GB:PASSED', 'country=DE:PASSED', 'country=FR:PASSED', 'country=IN:PASSED'],
    ],
    [
      "with no baseline, the candidate's own shares rank the slices",
      calibrationTop5,
      brFirst(candidateSubject()),
      null,
      ['country=BR:PASSED', 'country=US:PASSED', 'country=GB:PASSED', 'country=DE:PASSED', 'country=FR:PASSED'],
    ],
    [
      "a baseline with fewer than k slices is filled up with the candidate's largest other slices",
      calibrationTop5,
      candidateSubject(),
      withMetrics(baselineSubject(), (m) => (m.slices = m.slices.slice(2, 5))),
      ['country=DE:PASSED', 'country=FR:PASSED', 'country=IN:PASSED', 'country=US:PASSED', 'country=GB:PASSED'],
    ],
    [
      'a slice-change check on a baseline top-2 slice the candidate lacks fails as missing',
      aucTop2,
      withoutSlice(candidateSubject(), 'country=GB'),
      baselineSubject(),
      ['country=US:PASSED', 'country=GB:FAILED(missing)'],
    ],
    [
      'a protected group present in the baseline and absent from the candidate fails as missing',
      parity,
      withoutGroup(candidateSubject(), 'gender', 'm'),
      baselineSubject(),
      ['age_band:PASSED', 'gender=m:FAILED(missing)'],
    ],
    [
      'a whole attribute present in the baseline and absent from the candidate fails as missing',
      parity,
      withMetrics(candidateSubject(), (m) => (m.fairness = m.fairness.filter((entry) => entry.attribute !== 'gender'))),
      baselineSubject(),
      ['age_band:PASSED', 'gender=f:FAILED(missing)'],
    ],
    [
      "with no baseline, the candidate's own groups are checked",
      parity,
      withMetrics(candidateSubject(), (m) => (m.fairness = m.fairness.filter((entry) => entry.attribute !== 'gender'))),
      null,
      ['age_band:PASSED'],
    ],
  ])('%s', (_case, check, candidate, baseline, expected) => {
    const result = evaluateGate(candidate, baseline, policyWith(check));
    expect(result.checks.map(outcome)).toEqual(expected);
    expect(result.verdict).toBe(expected.every((line) => line.endsWith(':PASSED')) ? 'PASSED' : 'FAILED');
  });

  it('says in each slice result where the top k came from', () => {
    const explanations = (baseline: GateSubject | null) =>
      evaluateGate(withoutSlice(candidateSubject(), 'country=DE'), baseline, policyWith(calibrationTop5)).checks.map(
        (check) => check.explanation,
      );
    const fromBaseline = explanations(baselineSubject());
    expect(fromBaseline[0]).toBe(
      'calibration_slope on slice country=US (top 5 by traffic share on baseline v126) is 1; required |x - 1| <= 0.02: passed',
    );
    expect(fromBaseline[2]).toBe(
      "the candidate's slice country=DE (top 5 by traffic share on baseline v126) is missing, so the check fails",
    );
    expect(explanations(null)[0]).toBe(
      "calibration_slope on slice country=US (top 5 by the candidate's own traffic share (no baseline)) is 1; " +
        'required |x - 1| <= 0.02: passed',
    );
  });

  it('names the missing groups and the baseline that has them', () => {
    const candidate = withMetrics(candidateSubject(), (m) => (m.fairness = m.fairness.filter((entry) => entry.attribute !== 'gender')));
    const [, gender] = evaluateGate(candidate, baselineSubject(), policyWith(parity)).checks;
    expect(gender?.explanation).toBe('data for groups f, m of gender (present in baseline v126) is missing, so the check fails');
  });
});

describe('selectSlices', () => {
  it.each<[string, GateSubject | null, { names: string[]; shortfall: number; basis: string | null }]>([
    [
      'from the baseline',
      baselineSubject(),
      { names: ['country=US', 'country=GB'], shortfall: 0, basis: 'top 2 by traffic share on baseline v126' },
    ],
    [
      'from the candidate without a baseline',
      null,
      { names: ['country=US', 'country=GB'], shortfall: 0, basis: "top 2 by the candidate's own traffic share (no baseline)" },
    ],
    [
      'filled from the candidate when the baseline has too few',
      withMetrics(baselineSubject(), (m) => (m.slices = m.slices.slice(5))),
      {
        names: ['country=BR', 'country=US'],
        shortfall: 0,
        basis: "top 2 by traffic share on baseline v126 (which has 1; 1 more by the candidate's share)",
      },
    ],
  ])('top-k %s', (_case, baseline, expected) => {
    expect(selectSlices(candidateSubject().metrics.slices, baseline, { topKByTraffic: 2 })).toEqual(expected);
  });

  it('reports a shortfall when neither has k slices, and takes named slices as they are', () => {
    expect(selectSlices(candidateSubject().metrics.slices, baselineSubject(), { topKByTraffic: 8 })).toMatchObject({ shortfall: 2 });
    expect(selectSlices([], baselineSubject(), { names: ['country=JP'] })).toEqual({ names: ['country=JP'], shortfall: 0, basis: null });
  });
});
