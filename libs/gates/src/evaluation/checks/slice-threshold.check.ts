import type { CheckResult } from '@modelreg/events';
import type { CheckDefinition } from '../../policy/gate-policy';
import { compareWithBound, formatNumber } from '../bound-comparison';
import { checkResult, type CheckContext } from '../check-context';
import { selectSlices, sliceMetric } from '../slice-selection';
import { missingResult } from './missing';

type SliceThreshold = Extract<CheckDefinition, { kind: 'slice-threshold' }>;

/** A metric within a bound on each selected slice, e.g. calibration slope within 0.02 of 1 on the top 5 traffic slices. */
export function evaluateSliceThreshold(check: SliceThreshold, context: CheckContext): CheckResult[] {
  const slices = context.candidate.metrics.slices;
  const { names, shortfall } = selectSlices(slices, check.slices);
  const base = { checkId: check.id, kind: check.kind, metric: check.metric, tolerance: context.tolerance };
  const results = names.map((name) => {
    const observed = sliceMetric(slices, name, check.metric);
    if (observed === undefined) return missingResult(base, { slice: name }, `${check.metric} on slice ${name}`);
    const comparison = compareWithBound(observed, check.bound, context.tolerance);
    return checkResult(base, {
      slice: name,
      observed,
      threshold: comparison.threshold,
      comparator: comparison.comparator,
      outcome: comparison.passed ? 'PASSED' : 'FAILED',
      explanation: `${check.metric} on slice ${name} is ${formatNumber(observed)}; required ${comparison.comparator}: ${comparison.passed ? 'passed' : 'failed'}`,
    });
  });
  for (let index = 0; index < shortfall; index += 1) {
    results.push(missingResult(base, { slice: `#${names.length + index + 1} by traffic` }, `slice #${names.length + index + 1} by traffic share`));
  }
  return results;
}
