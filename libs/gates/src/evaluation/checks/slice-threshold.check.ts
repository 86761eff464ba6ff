import type { CheckResult } from '@modelreg/events';
import type { CheckDefinition } from '../../policy/gate-policy';
import { compareWithBound, formatNumber } from '../bound-comparison';
import { checkResult, type CheckContext } from '../check-context';
import { findSlice, selectSlices, sliceMetric } from '../slice-selection';
import { missingResult, missingSliceResult, shortfallResults } from './missing';

type SliceThreshold = Extract<CheckDefinition, { kind: 'slice-threshold' }>;

/** A metric within a bound on each selected slice, e.g. calibration slope within 0.02 of 1 on the top 5 traffic slices. */
export function evaluateSliceThreshold(check: SliceThreshold, context: CheckContext): CheckResult[] {
  const slices = context.candidate.metrics.slices;
  const selected = selectSlices(slices, context.baseline, check.slices);
  const base = { checkId: check.id, kind: check.kind, metric: check.metric, tolerance: context.tolerance };
  const basis = selected.basis ? ` (${selected.basis})` : '';
  const results = selected.names.map((name) => {
    if (!findSlice(slices, name)) return missingSliceResult(base, name, selected.basis);
    const observed = sliceMetric(slices, name, check.metric);
    if (observed === undefined) return missingResult(base, { slice: name }, `${check.metric} on slice ${name}`);
    const comparison = compareWithBound(observed, check.bound, context.tolerance);
    return checkResult(base, {
      slice: name,
      observed,
      threshold: comparison.threshold,
      comparator: comparison.comparator,
      outcome: comparison.passed ? 'PASSED' : 'FAILED',
      explanation:
        `${check.metric} on slice ${name}${basis} is ${formatNumber(observed)}; ` +
        `required ${comparison.comparator}: ${comparison.passed ? 'passed' : 'failed'}`,
    });
  });
  return [...results, ...shortfallResults(base, selected)];
}
