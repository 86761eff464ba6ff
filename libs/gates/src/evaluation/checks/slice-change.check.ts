import type { CheckResult } from '@modelreg/events';
import type { CheckDefinition } from '../../policy/gate-policy';
import type { CheckContext } from '../check-context';
import { findSlice, selectSlices, sliceMetric } from '../slice-selection';
import { changeResult } from './metric-change.check';
import { missingResult, missingSliceResult, noBaselineResult, shortfallResults } from './missing';

type SliceChange = Extract<CheckDefinition, { kind: 'slice-change' }>;

/** A metric improves on the baseline's, slice by slice, e.g. no slice of the top 5 loses more than 0.01 AUC. */
export function evaluateSliceChange(check: SliceChange, context: CheckContext): CheckResult[] {
  const slices = context.candidate.metrics.slices;
  const selected = selectSlices(slices, context.baseline, check.slices);
  const base = { checkId: check.id, kind: check.kind, metric: check.metric, tolerance: context.tolerance };
  const basis = selected.basis ? ` (${selected.basis})` : '';
  const results = selected.names.map((name) => {
    const observed = sliceMetric(slices, name, check.metric);
    if (!context.baseline)
      return noBaselineResult(
        base,
        { slice: name, observed: observed ?? null },
        context.blockWithoutBaseline,
        `${check.metric} change on slice ${name}${basis}`,
      );
    if (!findSlice(slices, name)) return missingSliceResult(base, name, selected.basis);
    if (observed === undefined) return missingResult(base, { slice: name }, `candidate ${check.metric} on slice ${name}`);
    const baselineValue = sliceMetric(context.baseline.metrics.slices, name, check.metric);
    if (baselineValue === undefined)
      return missingResult(base, { slice: name, observed }, `baseline v${context.baseline.modelVersion} ${check.metric} on slice ${name}`);
    return changeResult(base, { slice: name }, observed, baselineValue, check.change, context, `${check.metric} on slice ${name}${basis}`);
  });
  return [...results, ...shortfallResults(base, selected)];
}
